#!/usr/bin/env bash
# Builds the working corpora fuzz/corpus/<target>/ (gitignored, never committed): the
# committed seeds plus pieces of the real files in ../shared/data/real (read at fuzz time).
# CSV files are cut into their header plus a few rows (libFuzzer mutates small inputs
# faster); workbooks, GeoPackages and GeoJSON files are taken whole when small enough.
set -euo pipefail
cd "$(dirname "$0")/.."
REAL=../shared/data/real
C=fuzz/corpus
mkdir -p "$C"
for d in fuzz/seeds/*/; do
  t=$(basename "$d"); mkdir -p "$C/$t"; cp "$d"* "$C/$t/"
done
if [ ! -d "$REAL" ]; then
  echo "no $REAL: corpora hold the committed seeds only" >&2; exit 0
fi
cut_csv() { # file target: header + rows 1-5, 100-104 and 1000-1004 as three inputs
  local f=$1 t=$2 b; b=$(basename "$f" .csv)
  head -6 "$f" >"$C/$t/real-$b-a.csv"
  { head -1 "$f"; sed -n '100,104p' "$f"; } >"$C/$t/real-$b-b.csv"
  { head -1 "$f"; sed -n '1000,1004p' "$f"; } >"$C/$t/real-$b-c.csv"
}
for f in "$REAL"/cbs-kwb-*/*.csv; do
  case "$(basename "$f")" in columns.csv|gemeenten_in_subset.csv) continue;; esac
  cut_csv "$f" kwb_csv
done
for f in "$REAL"/cbs-misdrijven-*/*.csv "$REAL"/cbs-uitkeringen-*/*.csv "$REAL"/cbs-wmo-*/*.csv \
         "$REAL"/cbs-ses-*/*.csv "$REAL"/leefbaarometer-*/*.csv "$REAL"/rivm-*/*.csv; do
  [ -f "$f" ] || continue
  case "$(basename "$f")" in columns.csv) continue;; esac
  cut_csv "$f" area_table_csv
done
for f in "$REAL"/cbs-kwb-utrecht-*/*.xlsx; do cp "$f" "$C/xlsx/real-$(basename "$f")"; done
for f in "$REAL"/geo-*/*.geojson "$REAL"/geo-*/*.json; do
  [ -f "$f" ] || continue
  if [ "$(stat -c %s "$f")" -lt 2000000 ]; then cp "$f" "$C/geojson/real-$(basename "$f")"; fi
done
for f in "$REAL"/geo-*/*.gpkg; do
  [ -f "$f" ] || continue
  if [ "$(stat -c %s "$f")" -lt 4000000 ]; then cp "$f" "$C/gpkg/real-$(basename "$f")"; fi
done
du -sh "$C"/* | sort -h | tail -5

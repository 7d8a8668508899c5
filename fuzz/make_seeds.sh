#!/usr/bin/env bash
# Writes the committed seed corpus fuzz/seeds/<target>/ from the project's own demo region
# (synthetic data veerkracht generates; nothing from ../shared is committed) plus the
# shipped data files. Deterministic: the demo seed is fixed. Run from the repo root after
# changing a format: bash fuzz/make_seeds.sh
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET="${CARGO_TARGET_DIR:-target}"
cargo build -q --release -p veerkracht --bin veerkracht
VK="$TARGET/release/veerkracht"
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
"$VK" demo --out "$W/demo" >/dev/null
S=fuzz/seeds
rm -rf "$S"; mkdir -p "$S"
for t in kwb_csv area_table_csv mapping_toml xlsx odata_json geojson gpkg gpkg_geometry vera_json flat_csv \
         index_definition scenario gal gwt api_run_body api_edit_form; do mkdir -p "$S/$t"; done
# KWB CSV: header and 6 rows of the demo's 2024 file (gemeente, wijk and buurt rows)
head -7 "$W/demo/veerstad-kwb-2024.csv" >"$S/kwb_csv/demo-kwb-2024.csv"
printf 'gwb_code;regio;recs;a_inw;p_wcorpw\nBU90010101;Noord;Buurt;120;45\nBU90010102;Zuid;Buurt;.;x\nWK900101;Wijk 1;Wijk;-;\n' >"$S/kwb_csv/korte-codes.csv"
# other CBS tables: the demo's crime and Leefbaarometer files, cut
head -6 "$W/demo/veerstad-misdrijven.csv" >"$S/area_table_csv/demo-misdrijven.csv"
head -6 "$W/demo/veerstad-leefbaarometer.csv" >"$S/area_table_csv/demo-leefbaarometer.csv"
for m in data/mappings/*.toml; do cp "$m" "$S/mapping_toml/"; done
# XLSX and GeoPackage: exports of the demo region (gemeente level: small)
"$VK" export --level gemeente --out "$W/gemeente.xlsx" >/dev/null
"$VK" export --level gemeente --out "$W/gemeente.gpkg" >/dev/null
cp "$W/gemeente.xlsx" "$S/xlsx/demo-gemeente.xlsx"
cp "$W/gemeente.gpkg" "$S/gpkg/demo-gemeente.gpkg"
# the geometry blobs of that GeoPackage, one per file
python3 - "$W/gemeente.gpkg" "$S/gpkg_geometry" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
(table, col), = con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns LIMIT 1")
for i, (blob,) in enumerate(con.execute(f'SELECT "{col}" FROM "{table}" LIMIT 3')):
    open(f"{sys.argv[2]}/demo-{i}.gpb", "wb").write(blob)
PY
# OData: the ingest test fixtures (hand-written), TypedDataSet, a NUL byte, DataProperties
{ cat crates/ingest/tests/fixtures/odata/85984NED_TypedDataSet.json; printf '\0'; cat crates/ingest/tests/fixtures/odata/85984NED_DataProperties.json; } >"$S/odata_json/85984NED.bin"
cp "$W/demo/veerstad-gemeente-2024.geojson" "$S/geojson/demo-gemeente-2024.geojson"
# VERA units: the flat form's unit as JSON (one object and NDJSON of two)
printf '%s\n' '{"id":"u1","Woningwaarderingstelsel":{"code":"ZEL"},"bouwjaar":1970,"panden":[{"soort":{"code":"MGW"}}],"monumenten":[],"gebruiksoppervlakte":60,"wozEenheden":[{"vastgesteldeWaarde":200000,"waardepeildatum":"2025-01-01"}],"energieprestaties":[{"soort":{"code":"NTA"},"status":{"code":"DEF"},"label":{"code":"C","naam":"C"},"begindatum":"2025-01-01","einddatum":"2035-01-01"}],"ruimten":[{"id":"w","naam":"Woonkamer","soort":{"code":"VTK"},"detailSoort":{"code":"WOO"},"oppervlakte":25,"verwarmd":true},{"id":"k","naam":"Keuken","soort":{"code":"VTK"},"detailSoort":{"code":"KEU"},"oppervlakte":8,"verwarmd":true,"bouwkundigeElementen":[{"id":"a","detailSoort":{"code":"AAN"},"lengte":2100}]},{"id":"b","naam":"Badkamer","soort":{"code":"VTK"},"detailSoort":{"code":"BAD"},"oppervlakte":5,"verwarmd":true,"installaties":[{"code":"DOU"},{"code":"WAS"},{"code":"STO"}]},{"id":"s","naam":"Slaapkamer","soort":{"code":"VTK"},"detailSoort":{"code":"SLA"},"oppervlakte":12,"verwarmd":true},{"id":"bal","naam":"Balkon","soort":{"code":"BTR"},"detailSoort":{"code":"BAL"},"oppervlakte":6}]}' >"$S/vera_json/eenheid.json"
{ cat "$S/vera_json/eenheid.json"; sed 's/"u1"/"u2"/; s/"ZEL"/"ONZ"/' "$S/vera_json/eenheid.json"; } >"$S/vera_json/twee.ndjson"
head -8 "$W/demo/veerstad-corporatie-voorraad.csv" >"$S/flat_csv/demo-voorraad.csv"
printf 'eenheid_id,woningtype,bouwjaar,oppervlakte_m2,energielabel,woz_waarde,kamers,aanrecht_mm,buitenruimte_m2\nA,EGW,2017,35,,90000,1,900,0\nB,MGW,1890,1200.5,A++++,4000000,40,,\n' >"$S/flat_csv/randen.csv"
cp data/index/veerkracht-basis.toml "$S/index_definition/"
for f in data/sim/scenarios/*.toml; do cp "$f" "$S/scenario/"; done
printf '0 3 buurten id\nBU1 2\nBU2 BU3\nBU2 1\nBU1\nBU3 1\nBU1\n' >"$S/gal/drie.gal"
printf '0 3 buurten id\nBU1 BU2 1.0\nBU2 BU1 1.0\nBU1 BU3 0.5\nBU3 BU1 0.5\n' >"$S/gwt/drie.gwt"
printf '%s' '{"scenario": "spreiding", "runs": 5, "seed": 3}' >"$S/api_run_body/naam.json"
cat >"$S/api_run_body/toml.json" <<'JSON'
{"scenario": "schema = 1\nnaam = \"x\"\nstartjaar = 2025\njaren = 3\npeildatum = 2025-01-01\n[spreiding]\ngroepen = [\"lvb\"]\nmax_aandeel = 0.2\n", "basis": "basis", "runs": 2}
JSON
printf '%s' 'toml=schema+%3D+1%0Anaam+%3D+%22x%22%0Astartjaar+%3D+2025%0Ajaren+%3D+3%0Apeildatum+%3D+2025-01-01%0A%5Bspreiding%5D%0Agroepen+%3D+%5B%22lvb%22%5D%0Amax_aandeel+%3D+0.2%0A&runs=5' >"$S/api_edit_form/form.txt"
find "$S" -type f | wc -l

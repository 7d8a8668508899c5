#!/usr/bin/env bash
# Benchmark: import of a national-size KWB CSV (~17,000 rows × 121 columns) by veerkracht,
# against pandas read_csv and read_csv + the same cleaning. See bench/README.md.
#
# Usage: bash bench/kwb_import.sh [RUNS]      (RUNS: timed runs per side, default 15 / 9)
#
# Environment: PYTHON (default python3) creates bench/.venv; SEED (default: the demo seed).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="bench/out"
csv="$out/kwb-national.csv"
venv="bench/.venv"
runs_rust="${1:-15}"
runs_py="${1:-9}"
if (( runs_py < 7 )); then runs_py=7; fi
mkdir -p "$out"

echo "== building release binaries"
cargo build --release --quiet -p veerkracht-demo --example national_kwb
cargo build --release --quiet -p veerkracht-ingest --example time_import
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
bin="$target_dir/release/examples"

echo "== writing $csv"
if [[ -n "${SEED:-}" ]]; then
  "$bin/national_kwb" "$csv" "$SEED"
else
  "$bin/national_kwb" "$csv"
fi
rows=$(( $(wc -l < "$csv") - 1 ))
cols=$(head -n 1 "$csv" | tr ';' '\n' | wc -l)
size_mb=$(awk -v b="$(stat -c %s "$csv")" 'BEGIN { printf "%.1f", b / 1e6 }')

echo "== veerkracht: import_bytes + Dataset::add_batch, $runs_rust runs after a warm-up"
rust_out="$("$bin/time_import" "$csv" "$runs_rust")"
echo "$rust_out"

echo "== pandas (virtualenv $venv)"
if [[ ! -x "$venv/bin/python" ]]; then
  "${PYTHON:-python3}" -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import pandas, numpy; assert pandas.__version__ == "2.2.3"' 2>/dev/null; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'pandas==2.2.3' 'numpy<2.3'
fi
# OPENBLAS_CORETYPE may be set on this machine; unset only for the measurement (no BLAS is used here).
py_out="$(env -u OPENBLAS_CORETYPE "$venv/bin/python" bench/kwb_import.py "$csv" "$runs_py")"
echo "$py_out"

get() { # get KEY TEXT
  printf '%s\n' "$2" | sed -n "s/^$1=//p" | head -n 1
}
vk_import="$(get import_ms "$rust_out")"
vk_total="$(get median_ms "$rust_out")"
pd_read="$(get read_csv_ms "$py_out")"
pd_clean="$(get read_clean_ms "$py_out")"
pd_strops="$(get read_clean_string_ops_ms "$py_out")"
vk_import_min="$(get import_min_ms "$rust_out")"
vk_total_min="$(get min_ms "$rust_out")"
pd_read_min="$(get read_csv_min_ms "$py_out")"
pd_clean_min="$(get read_clean_min_ms "$py_out")"
pd_strops_min="$(get read_clean_string_ops_min_ms "$py_out")"

# Both sides must produce the same long table (cells, missing reasons, rounded flags).
for key in observations not_available secret nil rounded; do
  a="$(get "$key" "$rust_out")"
  b="$(get "$key" "$py_out")"
  if [[ "$a" != "$b" ]]; then
    echo "MISMATCH: $key is $a in veerkracht but $b in pandas" >&2
    exit 1
  fi
done

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo
echo "KWB import benchmark — $(date -u +%Y-%m-%d)"
echo "file:     $csv: $rows rows × $cols columns, $size_mb MB; $(get observations "$rust_out") cells"
echo "machine:  $(nproc) cores, $cpu; $(rustc --version | cut -d' ' -f1-2); pandas 2.2.3"
echo
row() { # row LABEL MEDIAN MIN [ratios]
  printf '%-44s %9s %8s %10s %10s\n' "$1" "$2" "$3" "${4:-}" "${5:-}"
}
row "" "median ms" "min ms" "pd/vk imp" "pd/vk all"
row "veerkracht import_bytes" "$vk_import" "$vk_import_min" "1.00"
row "veerkracht import_bytes + Dataset::add_batch" "$vk_total" "$vk_total_min" "" "1.00"
row "pandas read_csv" "$pd_read" "$pd_read_min" "$(ratio "$pd_read" "$vk_import")" "$(ratio "$pd_read" "$vk_total")"
row "pandas read_csv + cleaning" "$pd_clean" "$pd_clean_min" "$(ratio "$pd_clean" "$vk_import")" "$(ratio "$pd_clean" "$vk_total")"
row "pandas read_csv + cleaning (string ops)" "$pd_strops" "$pd_strops_min" "$(ratio "$pd_strops" "$vk_import")" "$(ratio "$pd_strops" "$vk_total")"
echo
target=300
verdict() { awk -v a="$1" -v t="$target" 'BEGIN { print (a < t) ? "met" : "NOT met" }'; }
echo "target < ${target} ms: import_bytes $(verdict "$vk_import"); import + dataset $(verdict "$vk_total")"
echo "(ratios: pandas median ÷ veerkracht median; above 1 means veerkracht is faster)"

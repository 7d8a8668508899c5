#!/usr/bin/env bash
# Benchmark (issue 4): queen weights construction plus LISA with 9,999 permutations, veerkracht-
# spatial against PySAL (libpysal 4.14.1 + esda 2.9.0 with numba, warmed up, n_jobs=1) on the
# same polygons and values: the 3,475 real wijken 2024 (../shared) and a synthetic set of 17,030
# polygons. Prints both sides and the ratios. See bench/README.md.
#
# Usage: bash bench/spatial.sh [RUNS] [PERMUTATIONS]   (defaults 5 and 9999)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${SHARED:-$root/../shared}/data/real"
geo="$shared/geo-wijken-gemeenten-2024-nl/wijken_2024.geojson"
wmo="$shared/cbs-wmo-clienten-wijk-2024h1/wmo_clienten_wijk_2024h1.csv"
runs="${1:-5}"
perms="${2:-9999}"
out="bench/out/spatial"
venv="bench/.venv-esda"
mkdir -p "$out"
for f in "$geo" "$wmo"; do
  [[ -s "$f" ]] || { echo "missing $f (../shared beside the repository)" >&2; exit 1; }
done

echo "== veerkracht (release build)"
cargo build --release --quiet -p veerkracht-spatial --example bench_spatial
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
ours="$("$target_dir/release/examples/bench_spatial" "$geo" "$wmo" "$out" "$runs" "$perms")"
echo "$ours"

if [[ ! -x "$venv/bin/python" ]]; then python3 -m venv "$venv"; fi
if ! "$venv/bin/python" -c "import esda, numba; assert esda.__version__ == '2.9.0'" 2>/dev/null; then
  "$venv/bin/pip" install -q --disable-pip-version-check "esda==2.9.0" "libpysal==4.14.1" numba
fi
echo "== esda (numba, n_jobs=1, pinned to one core)"
peer=""
for name in wijken synthetic; do
  peer+="$(taskset -c 0 "$venv/bin/python" bench/spatial_peer.py "$name" "$out/${name}_input.json" "$(( runs > 3 ? 3 : runs ))")"$'\n'
done
echo "$peer"

get() { echo "$2" | sed -n "s/^$1=//p" | head -1; }
printf '\n%-44s %12s %12s %9s\n' "step ($perms permutations)" "veerkracht" "esda" "ratio"
for name in wijken synthetic; do
  n="$(get "${name}_n" "$ours")"
  w="$(get "${name}_weights_ms" "$ours")"; pw="$(get "${name}_weights_ms" "$peer")"
  l1="$(get "${name}_lisa_1t_ms" "$ours")"; l2="$(get "${name}_lisa_2t_ms" "$ours")"; pl="$(get "${name}_lisa_1t_ms" "$peer")"
  ratio() { python3 -c "print(f'{$1/$2:.1f}x')"; }
  printf '%-44s %9s ms %9s ms %9s\n' "$name ($n): queen weights" "$w" "$pw" "$(ratio "$pw" "$w")"
  printf '%-44s %9s ms %9s ms %9s\n' "$name: LISA, 1 thread" "$l1" "$pl" "$(ratio "$pl" "$l1")"
  printf '%-44s %9s ms %9s ms %9s\n' "$name: weights + LISA, 1 thread (per core)" \
    "$(python3 -c "print(f'{$w+$l1:.1f}')")" "$(python3 -c "print(f'{$pw+$pl:.1f}')")" "$(ratio "($pw+$pl)" "($w+$l1)")"
  printf '%-44s %9s ms %9s ms %9s\n' "$name: weights + LISA, 2 threads" \
    "$(python3 -c "print(f'{$w+$l2:.1f}')")" "$(python3 -c "print(f'{$pw+$pl:.1f}')")" "$(ratio "($pw+$pl)" "($w+$l2)")"
done

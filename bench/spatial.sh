#!/usr/bin/env bash
# Benchmark: spatial weights and statistics, veerkracht-spatial against PySAL (libpysal 4.14.1,
# esda 2.9.0 with numba) on the same input: the real national wijken 2024 (../shared) with the
# Wmo 2024 rate. Prints the time of each step on both sides and the ratio. See bench/README.md.
#
# Usage: bash bench/spatial.sh [RUNS]     (default 7 runs of ours, 5 of esda, after a warm-up)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${SHARED:-$root/../shared}/data/real"
geo="$shared/geo-wijken-gemeenten-2024-nl/wijken_2024.geojson"
wmo="$shared/cbs-wmo-clienten-wijk-2024h1/wmo_clienten_wijk_2024h1.csv"
runs="${1:-7}"
out="bench/out"
venv="bench/.venv-esda"
mkdir -p "$out"
for f in "$geo" "$wmo"; do
  [[ -s "$f" ]] || { echo "missing $f (../shared beside the repository)" >&2; exit 1; }
done

echo "== building"
cargo build --release --quiet -p veerkracht-spatial --example bench_spatial
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
ours="$(taskset -c 0,1 "$target_dir/release/examples/bench_spatial" "$geo" "$wmo" "$runs" "$out/spatial_input.json")"
echo "$ours"

if [[ ! -x "$venv/bin/python" ]]; then python3 -m venv "$venv"; fi
if ! "$venv/bin/python" -c "import esda, numba; assert esda.__version__ == '2.9.0'" 2>/dev/null; then
  "$venv/bin/pip" install -q --disable-pip-version-check "esda==2.9.0" "libpysal==4.14.1" numba
fi
echo "== esda (one core: n_jobs=1)"
peer="$(taskset -c 0 "$venv/bin/python" bench/spatial_peer.py "$out/spatial_input.json" "$(( runs > 5 ? 5 : runs ))")"
echo "$peer"

get() { echo "$2" | sed -n "s/^$1=//p"; }
printf '\n%-28s %12s %12s %10s\n' "step (999 permutations)" "veerkracht" "esda" "ratio"
row() { # label our_key peer_key
  local a b
  a="$(get "$2" "$ours")"; b="$(get "$3" "$peer")"
  printf '%-28s %10s ms %10s ms %9sx\n' "$1" "$a" "$b" "$(python3 -c "print(f'{$b/$a:.1f}')")"
}
row "queen weights" weights_ms weights_ms
row "global Moran" moran_ms moran_ms
row "LISA, 1 thread" lisa_1t_ms lisa_1t_ms
row "LISA, 2 threads" lisa_2t_ms lisa_1t_ms
row "Gi + Gi*, 1 thread" gi_both_1t_ms gi_both_1t_ms
row "Gi + Gi*, 2 threads" gi_both_2t_ms gi_both_1t_ms

#!/usr/bin/env bash
# Benchmark (issue 7): the API under a fixed offered rate and the first map render.
#  (1) GET /api/v1/areas/{code} (the buurt profile) at ~1,000 requests/s (12 paced connections) for 15 s
#      with wrk (Debian package), paced by bench/web_rate.lua: throughput, p50, p99, errors.
#  (2) first render of the map of the 3,475 real wijken 2024 (../shared) coloured by the Wmo rate,
#      in headless Chromium (bench/web_render.py; .ci/venv-browser or BROWSER_PYTHON with selenium).
# Usage: bash bench/web.sh [SECONDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
secs="${1:-15}"
out="$root/bench/out/web"
mkdir -p "$out"
shared="${SHARED:-$root/../shared}/data/real"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
py="${BROWSER_PYTHON:-$root/.ci/venv-browser/bin/python}"
cargo build --release --quiet -p veerkracht
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
vk="$target_dir/release/veerkracht"

start() { # start WORKDIR [ARGS] -> sets url and pid
  ( cd "$1" && shift && exec "$vk" "$@" serve --port 0 > "$out/serve.out" 2> "$out/serve.err" ) &
  pid=$!
  for _ in $(seq 100); do [[ -s "$out/serve.out" ]] && break; sleep 0.1; done
  url="$(head -1 "$out/serve.out")"
}

echo "== (1) buurt profile on the demo region, ~1,000 requests/s for ${secs}s"
rm -f "$out/serve.out"; mkdir -p "$out/empty"
start "$out/empty"
code="BU90010312"
curl -s -o /dev/null "${url}api/v1/areas/$code"   # warm the index cache
wrk -t2 -c12 -d"${secs}s" --latency -s bench/web_rate.lua "${url}api/v1/areas/$code" | tee "$out/wrk.txt"
kill "$pid"; wait "$pid" 2>/dev/null || true

echo "== (2) the map of the 3,475 wijken 2024"
ws="$out/wijken.gpkg"
if [[ ! -s "$ws" ]]; then
  "$vk" --workspace "$ws" import "$shared/geo-wijken-gemeenten-2024-nl/wijken_2024.geojson" --edition 2024 >/dev/null
  "$vk" --workspace "$ws" import "$shared/cbs-wmo-clienten-wijk-2024h1/wmo_clienten_wijk_2024h1.csv" >/dev/null
fi
rm -f "$out/serve.out"
start "$out" --workspace "$ws"
page="${url}?var=i_p_wmo_t&level=wijk&edition=2024"
curl -s -o /dev/null "$page"   # warm
curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w "server: %{time_total}s for %{size_download} bytes (gzip)\n" "$page"
if [[ -x "$py" ]]; then
  "$py" bench/web_render.py "$page" 5 | tee "$out/render.json"
else
  echo "no Python with selenium ($py): skipping the browser render" >&2
fi
kill "$pid"; wait "$pid" 2>/dev/null || true

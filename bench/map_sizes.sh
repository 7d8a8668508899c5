#!/usr/bin/env bash
# Bytes of the dashboard's map page on the real wijk shapes 2024 and the KWB 2024 (partial):
# the whole country and two gemeenten, raw and as the server sends them gzipped.
#
#   bash bench/map_sizes.sh [BINARY]     (default: a debug build of veerkracht)
set -euo pipefail
cd "$(dirname "$0")/.."
REAL=${REAL:-../shared/data/real}
BIN=${1:-target/debug/veerkracht}
[ -x "$BIN" ] || { cargo build -q -p veerkracht; BIN=target/debug/veerkracht; }
BIN=$(realpath "$BIN")
WORK=$(mktemp -d)
SERVER=""
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
"$BIN" import --workspace "$WORK/w.gpkg" "$REAL/cbs-kwb-2024-85984NED-partial/kwb2024_partial.csv" \
    "$REAL/geo-wijken-gemeenten-2024-nl/wijken_2024.geojson" \
    "$REAL/geo-wijken-gemeenten-2024-nl/gemeenten_2024_with_indicators.geojson" >/dev/null
PORT=${PORT:-18097}
"$BIN" serve --workspace "$WORK/w.gpkg" --port "$PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/assets/style.css" && break; sleep 0.2; done
printf '%-26s %10s %10s\n' page raw gzip
for page in "/" "/?gemeente=Utrecht" "/?gemeente=GM0363"; do
    raw=$(curl -s -o /dev/null -w '%{size_download}' "http://127.0.0.1:$PORT$page")
    gz=$(curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{size_download}' "http://127.0.0.1:$PORT$page")
    printf '%-26s %10s %10s\n' "$page" "$raw" "$gz"
done

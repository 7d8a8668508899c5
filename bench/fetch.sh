#!/usr/bin/env bash
# veerkracht fetch against the replay server on loopback (the real files of ../shared/data/real
# in the publishers' shapes; nothing leaves the machine): requests, bytes, seconds and peak
# memory, for one gemeente cold and warm (second run: conditional requests only), and for the
# whole country's KWB 2024 (the 10,000-row partial table).
#
#   bash bench/fetch.sh            (release build; prints a table)
set -euo pipefail
cd "$(dirname "$0")/.."
REAL=${REAL:-../shared/data/real}
cargo build --release -q -p veerkracht
cargo build --release -q -p veerkracht-fetch --features replay --example replay
BIN=target/release/veerkracht
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
target/release/examples/replay "$REAL" >"$WORK/url" &
SERVER=$!
for _ in $(seq 1 300); do [ -s "$WORK/url" ] && break; sleep 0.1; done
URL=$(head -1 "$WORK/url")
HOSTS=(--cbs-url "$URL" --politie-url "$URL" --pdok-url "$URL")
run() { # label, args...
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$BIN" --json "$@" "${HOSTS[@]}" >"$WORK/out.json"
    read -r secs kb <"$WORK/time"
    python3 - "$label" "$secs" "$kb" "$WORK/out.json" <<'PY'
import json, sys
label, secs, kb, path = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
out = json.load(open(path))
req = sum(x["verzoeken"] for x in out["verzoeken"])
byt = sum(x["bytes"] for x in out["verzoeken"])
cached = sum(x["uit_cache"] for x in out["verzoeken"])
print(f"| {label} | {len(out['opgehaald'])} | {req} | {cached} | {byt/1e6:.1f} | {secs:.2f} | {kb/1024:.0f} |")
for x in out["verzoeken"]:
    print(f"|   {x['bron']} | | {x['verzoeken']} | {x['uit_cache']} | {x['bytes']/1e6:.1f} | {x['seconden']:.2f} | |")
PY
}
echo "| run | files | requests | from cache | MB | s | peak MB |"
echo "|---|---:|---:|---:|---:|---:|---:|"
WS="$WORK/ws.gpkg"
run "Amersfoort 2016–2024, cold" --workspace "$WS" fetch --gemeente Amersfoort --from 2016 --to 2024 --cache "$WORK/cache"
run "Amersfoort 2016–2024, warm" --workspace "$WS" fetch --gemeente Amersfoort --from 2016 --to 2024 --cache "$WORK/cache"
run "heel Nederland, KWB 2024" --workspace "$WORK/nl.gpkg" fetch --heel-nederland --edition 2024 --alleen kwb --geen-cache

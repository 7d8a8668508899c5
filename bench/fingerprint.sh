#!/usr/bin/env bash
# Output fingerprints of the CLI and the HTTP API on the embedded demo region.
#
# A refactoring that must not change behaviour is checked by running this before and after and
# comparing the two lists (`diff`). Timing fields ("seconden", "ms") are removed first; every
# other byte counts.
#
#   bash bench/fingerprint.sh [BINARY] > before.txt     (default: target/release/veerkracht)
#
# Prints one line per output: md5, bytes, what was run.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/veerkracht}
if [ ! -x "$BIN" ]; then
    cargo build --release -q -p veerkracht
    BIN=target/release/veerkracht
fi
BIN=$(realpath "$BIN")
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
SERVER=""
cd "$WORK"
"$BIN" demo --out demo >/dev/null
STOCK=demo/veerstad-corporatie-voorraad.csv

untimed() { grep -v -E '"(seconden|ms|duur_ms|elapsed)"' || true; }
line() { # name, file
    printf '%s %8d  %s\n' "$(md5sum <"$2" | cut -c1-32)" "$(wc -c <"$2")" "$1"
}
cli() { # name, args...
    local name=$1; shift
    "$BIN" "$@" 2>/dev/null | untimed >out.txt || true
    line "cli: $name" out.txt
}
file() { # name, path
    line "file: $1" "$2"
}

cli "info" --json info
cli "indicators" --json indicators
cli "index 2024" --json index --edition 2024
cli "index 2021 wijk" --json index --edition 2021 --level wijk
cli "signal" --json signal --from 2019 --to 2024
cli "compare corporatie" --json compare corporatie --seed 3
cli "crosswalk 2021-2022" --json crosswalk --from 2021 --to 2022 --level buurt
cli "spatial moran" --json spatial moran --index veerkracht-basis
cli "spatial lisa" --json spatial lisa --index veerkracht-basis
cli "spatial gi" --json spatial gi --star --indicator p_wcorpw
"$BIN" wws --bulk "$STOCK" --out punten.csv >/dev/null 2>&1
file "wws bulk csv" punten.csv
cli "wws what-if" --json wws --bulk "$STOCK" --what-if 'energielabel(A)'
cli "wws rent-mix" --json wws --rent-mix
cli "wws rent-mix k5" --json wws --rent-mix --min-cel 5
cli "simulate middenhuur" --json simulate middenhuur --runs 20
cli "simulate compare" --json simulate compare basis middenhuur --runs 10
"$BIN" export --level buurt --edition 2024 --out buurten.csv >/dev/null
file "export buurt csv" buurten.csv
"$BIN" export --level wijk --out wijken.geojson >/dev/null
file "export wijk geojson" wijken.geojson
"$BIN" simulate middenhuur --runs 10 --out sim >/dev/null
for f in sim/*.csv; do file "simulate --out $(basename "$f")" "$f"; done

# the HTTP API and pages
"$BIN" serve --port 0 >server.txt 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do
    ADDR=$(grep -o 'http://127.0.0.1:[0-9]*' server.txt | head -1 || true)
    [ -n "$ADDR" ] && break
    sleep 0.2
done
[ -n "$ADDR" ] || { echo "server did not start" >&2; cat server.txt >&2; exit 1; }
BUURT=$(curl -s "$ADDR/api/v1/areas?level=buurt" | grep -o '"BU[0-9]*"' | head -1 | tr -d '"')
WIJK=$(curl -s "$ADDR/api/v1/areas?level=wijk" | grep -o '"WK[0-9]*"' | head -1 | tr -d '"')
for path in \
    / "/?edition=2021&level=wijk" "/?laag=signaal" "/?laag=lisa" /buurt/$BUURT /buurt/$BUURT/dossier \
    /buurt/$WIJK /corporatie /signaal /hotspots /methode /huurmix "/huurmix?naar=B" \
    "/huurmix?format=csv" /scenarios "/scenarios?a=basis&b=middenhuur&runs=10" \
    "/?lang=en" "/buurt/$BUURT?lang=en" /nietbestaand \
    /api/v1/openapi.json "/api/v1/areas?level=buurt" /api/v1/areas/$BUURT "/api/v1/index?edition=2024" \
    "/api/v1/index?level=wijk&format=csv" /api/v1/compare /api/v1/signal /api/v1/spatial/lisa \
    /api/v1/rentmix "/api/v1/rentmix?naar=A" "/api/v1/rentmix?format=csv" /api/v1/scenarios \
    "/api/v1/areas?level=straat" /api/v1/areas/BU99999999 /api/v1/plans /plans /login \
    /assets/style.css; do
    curl -s -o body.txt -w '%{http_code}\n' "$ADDR$path" >status.txt
    untimed <body.txt >b.txt
    cat status.txt >>b.txt
    line "http: GET $path" b.txt
done
curl -s -o body.txt -w '%{http_code}\n' -H 'content-type: application/json' \
    -d '{"scenario":"middenhuur","runs":10}' "$ADDR/api/v1/scenarios/run" >status.txt
untimed <body.txt >b.txt
cat status.txt >>b.txt
line "http: POST /api/v1/scenarios/run" b.txt

#!/usr/bin/env bash
# WWS throughput per core: veerkracht-wws against the reference package woningwaardering
# (pinned 6.202607.3) on the same VERA JSON units, parsing included, plus the throughput
# once parsed and of the flat portfolio form. Prints the ratios.
#
#   bash bench/wws.sh            # 2,000 seeded units (the differential generator, seed 1)
#   bash bench/wws.sh 5000 25    # more units, more runs of our side
#
# Needs ../shared/peers/woningwaardering (fixture inputs seed the generator). The reference
# is installed into .ci/venv (as .ci/run does) unless WWS_PEER_PYTHON is set. Both sides
# run pinned to one core (taskset) when available.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-2000}"
RUNS="${2:-15}"
OUT=bench/out
mkdir -p "$OUT"
FIX=../shared/peers/woningwaardering/fixtures/tests/data
[ -d "$FIX" ] || { echo "missing $FIX" >&2; exit 1; }

PEER_VERSION=6.202607.3
if [ -z "${WWS_PEER_PYTHON:-}" ]; then
  VENV="$PWD/.ci/venv"
  if ! "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('woningwaardering') != '$PEER_VERSION')" >/dev/null 2>&1; then
    rm -rf "$VENV"; python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check --no-input "woningwaardering==$PEER_VERSION"
  fi
  WWS_PEER_PYTHON="$VENV/bin/python"
fi
PIN=()
if command -v taskset >/dev/null 2>&1; then PIN=(taskset -c 0); fi

"$WWS_PEER_PYTHON" crates/wws/tests/differential/gen.py "$FIX" "$N" 1 "$OUT/wws-units.ndjson"
cargo build -q --release -p veerkracht-wws --example wws_bench
cargo run -q --release -p veerkracht --bin veerkracht -- demo --out "$OUT/veerstad" >/dev/null
FLAT="$OUT/veerstad/veerstad-corporatie-voorraad.csv"

echo "units: $N VERA JSON units ($(wc -c <"$OUT/wws-units.ndjson") bytes), flat: $(($(wc -l <"$FLAT") - 1)) rows" >&2
OURS=$("${PIN[@]}" target/release/examples/wws_bench "$OUT/wws-units.ndjson" "$RUNS" "$FLAT")
PEER=$("${PIN[@]}" "$WWS_PEER_PYTHON" bench/wws_peer.py "$OUT/wws-units.ndjson")
echo "$OURS" >"$OUT/wws-ours.json"
echo "$PEER" >"$OUT/wws-peer.json"

python3 - "$OURS" "$PEER" <<'PY'
import json, sys
o, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
f = lambda x: f"{x:>14,.0f}"
print(f"{'units/s per core':<40}{'veerkracht':>14}{'woningwaardering':>18}{'ratio':>10}")
print(f"{'parse JSON + value (full result)':<40}{f(o['parse_and_value_per_s'])}{f(p['parse_and_value_per_s']):>18}{o['parse_and_value_per_s']/p['parse_and_value_per_s']:>9.0f}x")
print(f"{'value, parsed units (full result)':<40}{f(o['value_parsed_per_s'])}{f(p['value_parsed_per_s']):>18}{o['value_parsed_per_s']/p['value_parsed_per_s']:>9.0f}x")
print(f"{'points only, parsed units':<40}{f(o['points_parsed_per_s'])}{'':>18}{o['points_parsed_per_s']/p['value_parsed_per_s']:>9.0f}x")
if o.get('flat'):
    fl = o['flat']['units_per_s']
    print(f"{'flat CSV (parse + points)':<40}{f(fl)}")
    print(f"2.3 million flat units on 2 cores: {2.3e6/(2*fl):.2f} s (target < 2 s)")
print(f"targets: parse+value >= 200x the package per core; parsed >= 1,000,000 units/s per core")
PY

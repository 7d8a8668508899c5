#!/usr/bin/env bash
# WWS throughput per core: veerkracht-wws against the reference package woningwaardering
# (pinned 6.202607.3) on the same VERA JSON units, parsing included, plus the throughput
# once parsed (full result and points only) and of the flat portfolio form: the demo stock
# on one thread and a 2.3-million-row stock made from it (bench/out/wws-flat-2.3m.csv,
# ~200 MB, generated once, not committed) on two threads with the wall time. Prints the
# ratios. Honours CARGO_TARGET_DIR.
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
TARGET="${CARGO_TARGET_DIR:-target}"
cargo build -q --release -p veerkracht-wws --example wws_bench --example wws_flat_bulk
FLAT="$OUT/veerstad/veerstad-corporatie-voorraad.csv"
if [ ! -f "$FLAT" ]; then
  cargo run -q --release -p veerkracht --bin veerkracht -- demo --out "$OUT/veerstad" >/dev/null
fi
# 2.3 million rows (the national corporation stock) made from the demo stock; not committed
BIG="$OUT/wws-flat-2.3m.csv"
if [ ! -f "$BIG" ]; then
  "$TARGET/release/examples/wws_flat_bulk" gen "$FLAT" 2300000 "$BIG"
fi

echo "units: $N VERA JSON units ($(wc -c <"$OUT/wws-units.ndjson") bytes), flat: $(($(wc -l <"$FLAT") - 1)) rows, big flat: $(($(wc -l <"$BIG") - 1)) rows; load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" >&2
OURS=$("${PIN[@]}" "$TARGET/release/examples/wws_bench" "$OUT/wws-units.ndjson" "$RUNS" "$FLAT")
BULK=$("$TARGET/release/examples/wws_flat_bulk" run "$BIG" 2 3)
PEER=$("${PIN[@]}" "$WWS_PEER_PYTHON" bench/wws_peer.py "$OUT/wws-units.ndjson")
echo "$OURS" >"$OUT/wws-ours.json"
echo "$BULK" >"$OUT/wws-bulk.json"
echo "$PEER" >"$OUT/wws-peer.json"

python3 - "$OURS" "$PEER" "$BULK" <<'PY'
import json, sys
o, p, b = (json.loads(a) for a in sys.argv[1:4])
f = lambda x: f"{x:>14,.0f}"
pv = p['value_parsed_per_s']
print(f"{'units/s per core':<46}{'veerkracht':>14}{'woningwaardering':>18}{'ratio':>10}")
print(f"{'parse JSON + value (full result)':<46}{f(o['parse_and_value_per_s'])}{f(p['parse_and_value_per_s']):>18}{o['parse_and_value_per_s']/p['parse_and_value_per_s']:>9.0f}x")
print(f"{'value, parsed units (full result)':<46}{f(o['value_parsed_per_s'])}{f(pv):>18}{o['value_parsed_per_s']/pv:>9.0f}x")
print(f"{'points only, parsed VERA units':<46}{f(o['points_parsed_per_s'])}{'':>18}{o['points_parsed_per_s']/pv:>9.0f}x")
print(f"   ({o['points_without_lines']} of {o['units']} VERA units valued without criterium lines)")
if o.get('flat'):
    fl = o['flat']
    print(f"{'points only, parsed flat-form units':<46}{f(fl['points_parsed_per_s'])}   (as VERA units, no shortcut)")
    print(f"{'points only, parsed flat rows (shortcut)':<46}{f(fl['rows_parsed_per_s'])}   (FlatWaardeerder, memo cold each run)")
    print(f"{'flat CSV (parse + points), 1 thread':<46}{f(fl['units_per_s'])}")
print(f"{'2.3M-row flat CSV (parse + points), 2 threads':<46}{f(b['units_per_s_per_thread'])}   per thread; wall {b['wall_s']:.2f} s, CPU {b['cpu_s']:.2f} s, {b['units_per_s']:,.0f} units/s (target < 2 s)")
print("targets: parse+value >= 200x the package per core; parsed >= 1,000,000 units/s per core; 2.3M flat < 2 s on 2 cores")
PY

#!/usr/bin/env bash
# veerkracht-sim throughput (issue 6 targets): allocation decisions per second on the demo
# region, a city (30,000 dwellings, 10 years, 200 runs) and national scale (2.3 million
# dwellings = the Veerstad stock replicated 100 times, each copy a housing market of its own,
# 10 years, 100 runs), all on 2 threads. The model set-up (stock valued by veerkracht-wws,
# synthesis, calibration) is timed apart: it happens once per scenario, not per run.
# Each figure is run REPEAT times (default 3; national once unless REPEAT_NATIONAL is set)
# and printed with the load average, so min and median can be reported. Honours
# CARGO_TARGET_DIR.
#
#   bash bench/simulate.sh            # all three
#   bash bench/simulate.sh quick      # decisions and city only
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET="${CARGO_TARGET_DIR:-target}"
REPEAT="${REPEAT:-3}"
cargo build -q --release -p veerkracht-sim --example sim_bench
B="$TARGET/release/examples/sim_bench"
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null; }
echo "cores: $(nproc)" >&2
run() {
  local n="$1"; shift
  for _ in $(seq "$n"); do
    echo "  [load $(load)] $("$B" "$@")"
  done
}
echo "== decisions: demo region (23,223 dwellings, 143 buurten), 10 years, 200 runs, 2 threads, per-buurt output"
run "$REPEAT" decisions 200
echo "== city: 30,000 dwellings (one market), 10 years, 200 runs, 2 threads, per-buurt output (target < 1 s)"
run "$REPEAT" scale 2 10 200 2 per_buurt 30000
echo "== city, region output only"
run "$REPEAT" scale 2 10 200 2 - 30000
echo "== city, 1 thread, region output (for the 2-thread scaling)"
run 1 scale 2 10 200 1 - 30000
if [ "${1:-}" != "quick" ]; then
  echo "== national: 2.3 million dwellings (100 markets), 10 years, 100 runs, 2 threads, region output (target < 60 s)"
  run "${REPEAT_NATIONAL:-1}" scale 100 10 100 2 -
fi
echo "load average after: $(load)" >&2

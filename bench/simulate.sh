#!/usr/bin/env bash
# veerkracht-sim throughput (issue 6 targets): allocation decisions per second on the demo
# region, a city (30,000 dwellings, 10 years, 200 runs) and national scale (2.3 million
# dwellings = the Veerstad stock replicated 100 times, 10 years, 100 runs), all on 2 threads.
# The model set-up (stock valued by veerkracht-wws, synthesis, calibration) is timed apart:
# it happens once per scenario, not per run. Honours CARGO_TARGET_DIR.
#
#   bash bench/simulate.sh            # all three
#   bash bench/simulate.sh quick      # decisions and city only
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET="${CARGO_TARGET_DIR:-target}"
cargo build -q --release -p veerkracht-sim --example sim_bench
B="$TARGET/release/examples/sim_bench"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null); cores: $(nproc)" >&2
echo "== decisions: demo region (23,223 dwellings, 143 buurten), 10 years, 200 runs, 2 threads, per-buurt output"
"$B" decisions 200
echo "== city: 30,000 dwellings, 10 years, 200 runs, 2 threads, per-buurt output (target < 1 s)"
"$B" scale 2 10 200 2 per_buurt 30000
echo "== city, region output only"
"$B" scale 2 10 200 2 - 30000
if [ "${1:-}" != "quick" ]; then
  echo "== national: 2.3 million dwellings, 10 years, 100 runs, 2 threads, region output (target < 60 s)"
  "$B" scale 100 10 100 2 -
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" >&2

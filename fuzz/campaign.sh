#!/usr/bin/env bash
# A fuzzing campaign: every target (or those named) for RUNS executions each (default
# 10 million) on fuzz/corpus/<target> (made by fuzz/corpus.sh from the seeds and the real
# files in ../shared), one target after another on one core. Appends one line per target
# to fuzz/campaign.tsv: date, target, executions, seconds, executions/s, corpus size,
# outcome. Crashes land in fuzz/artifacts/<target>/ and must become regression inputs
# (fuzz/regressions/<target>/) with a fix.
# MAX_SECS (optional) stops a target earlier, after that many seconds. TIMEOUT (default 1)
# is the seconds one input may take; on a loaded machine at nice 19 raise it (a starved
# process shows spurious timeouts: re-run such an input alone before believing it).
#   bash fuzz/campaign.sh [RUNS] [TARGET...]
#   MAX_SECS=300 nice -n 19 bash fuzz/campaign.sh 10000000
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-10000000}"; shift || true
export RUSTC_BOOTSTRAP=1
TD="${FUZZ_TARGET_DIR:-fuzz/target}"
[ -d fuzz/corpus ] || bash fuzz/corpus.sh
cargo fuzz build -O --target-dir "$TD"
TARGETS=("$@"); [ ${#TARGETS[@]} -gt 0 ] || mapfile -t TARGETS < <(cargo fuzz list)
for t in "${TARGETS[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  log=$(mktemp)
  start=$(date +%s)
  # the binary built above, run directly (cargo fuzz run would rebuild on every source change)
  mkdir -p "fuzz/artifacts/$t"
  if "$TD/x86_64-unknown-linux-gnu/release/$t" "fuzz/corpus/$t" \
       -artifact_prefix="fuzz/artifacts/$t/" -runs="$RUNS" ${MAX_SECS:+-max_total_time=$MAX_SECS} \
       -timeout="${TIMEOUT:-1}" -rss_limit_mb=2048 -max_len=262144 -print_final_stats=1 >"$log" 2>&1; then
    outcome=ok
  else
    outcome="FAILED (see fuzz/artifacts/$t)"; tail -30 "$log"
  fi
  secs=$(( $(date +%s) - start ))
  execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -1)
  rate=$(grep -E '^stat::average_exec_per_sec' "$log" | awk '{print $2}' | tail -1)
  n=$(find "fuzz/corpus/$t" -type f | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%F)" "$t" "${execs:-?}" "$secs" "${rate:-?}" "$n" "$outcome" | tee -a fuzz/campaign.tsv
  rm -f "$log"
done

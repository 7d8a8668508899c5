#!/usr/bin/env bash
# The fuzz smoke of CI (.ci/run): builds every target with libFuzzer and AddressSanitizer
# and runs each for a few seconds on its committed seeds (new inputs go to a temporary
# directory; nothing is written into fuzz/seeds). A crash, a hang (> 5 s on one input:
# CI machines are shared; TIMEOUT=1 for the issue's 1 s) or
# more than 2 GB of memory fails it; the input is left in fuzz/artifacts/<target>/.
#   bash fuzz/smoke.sh [SECONDS_PER_TARGET]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-4}"
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install -q cargo-fuzz --locked --version 0.13.2
fi
# cargo fuzz passes -Z flags (sanitizer, coverage) to rustc; the machine's one toolchain is
# stable, which accepts them with RUSTC_BOOTSTRAP (its sanitizer runtimes ship with it).
export RUSTC_BOOTSTRAP=1
TD="${FUZZ_TARGET_DIR:-fuzz/target}"
cargo fuzz build -O --target-dir "$TD"
for t in $(cargo fuzz list); do
  tmp=$(mktemp -d)
  out=$(cargo fuzz run -O --target-dir "$TD" "$t" "$tmp" "fuzz/seeds/$t" -- \
        -max_total_time="$SECS" -timeout="${TIMEOUT:-5}" -rss_limit_mb=2048 -max_len=262144 2>&1) || {
    echo "$out" | tail -40; echo "fuzz smoke: $t FAILED" >&2; rm -rf "$tmp"; exit 1; }
  echo "$t: $(echo "$out" | grep -E '^Done [0-9]+ runs' | tail -1)"
  rm -rf "$tmp"
done

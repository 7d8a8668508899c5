#!/usr/bin/env bash
# Runs every test of the workspace (the README's "all tests" command).
# Real-data tests read ../shared/data/real; with CI set they fail when it is missing.
set -euo pipefail
cd "$(dirname "$0")"
if command -v cargo-nextest >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast "$@"
  cargo test --workspace --doc
else
  cargo test --workspace --no-fail-fast "$@"
fi

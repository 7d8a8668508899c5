#!/usr/bin/env bash
# Runs every test of the workspace (the README's "all tests" command).
# Real-data tests read ../shared/data/real; with CI set they fail when it is missing.
set -euo pipefail
cd "$(dirname "$0")"
# The partner workspace's tests run on SQLite and PostgreSQL: start a throwaway server when
# Debian's postgresql binaries are here and none is given (.ci/run installs them).
if [ -z "${VEERKRACHT_TEST_PG:-}" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  VEERKRACHT_TEST_PG="$(bash .ci/postgres.sh)"
  export VEERKRACHT_TEST_PG
fi
if command -v cargo-nextest >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast "$@"
  cargo test --workspace --doc
else
  cargo test --workspace --no-fail-fast "$@"
fi

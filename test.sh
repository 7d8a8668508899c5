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
# The Python package (issue 20): wheel, a new virtualenv, pytest with a Ray loopback
# cluster, the example notebook. Needs VEERKRACHT_PY_TOOLS (a virtualenv with maturin;
# .ci/run makes .ci/venv-python); with CI set it must run.
if [ -n "${VEERKRACHT_PY_TOOLS:-}" ]; then
  bash python/test.sh
elif [ -n "${CI:-}" ]; then
  echo "CI is set but VEERKRACHT_PY_TOOLS is not: the Python package tests cannot run (.ci/run sets it)" >&2
  exit 1
else
  echo "note: the Python package tests were skipped (set VEERKRACHT_PY_TOOLS to a virtualenv with maturin==1.16.0)"
fi

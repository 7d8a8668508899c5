#!/usr/bin/env bash
# Issue 8 item 8: 200 concurrent simulated users read and edit buurt plans on loopback
# (crates/web/examples/partners_load.rs, release build): each logs in through the real form
# (argon2id, OWASP parameters), then loops think (100–500 ms) → one action: the plan page
# (HTML, 45 %), the plan as JSON (20 %), the plan list (10 %), a comment (15 %), a measure's
# status change against the version just read (10 %; a 409 conflict is a correct answer).
# Prints p50/p95/p99/max per action, errors, and whether every acknowledged comment is in
# the database afterwards (and the audit chain holds). Target: p99 < 50 ms, zero errors,
# nothing lost. Runs on SQLite and, when VEERKRACHT_TEST_PG is set or Debian's postgresql is
# installed (.ci/postgres.sh), on PostgreSQL.
# Usage: bash bench/partners.sh [SECONDS] [USERS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
secs="${1:-30}"
users="${2:-200}"
cargo build --release --quiet -p veerkracht-web --example partners_load
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
load="$target_dir/release/examples/partners_load"
echo "== SQLite (WAL, synchronous FULL) =="
"$load" --users "$users" --seconds "$secs"
if [[ -z "${VEERKRACHT_TEST_PG:-}" ]] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  VEERKRACHT_TEST_PG="$(bash .ci/postgres.sh)"
fi
if [[ -n "${VEERKRACHT_TEST_PG:-}" ]]; then
  db="vk_bench_$(date +%s)"
  psql "$VEERKRACHT_TEST_PG" -qc "CREATE DATABASE $db" >/dev/null
  echo "== PostgreSQL =="
  "$load" --users "$users" --seconds "$secs" --db "$VEERKRACHT_TEST_PG dbname=$db"
  psql "$VEERKRACHT_TEST_PG" -qc "DROP DATABASE $db" >/dev/null || true
fi

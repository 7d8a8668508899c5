#!/usr/bin/env bash
# Starts (or reuses) a throwaway PostgreSQL server from Debian's postgresql package for the
# test suite and prints its connection string on stdout. Data and socket live under
# $PGROOT (default /tmp/veerkracht-pg); it listens on a Unix socket only (no TCP port).
# Used by .ci/run (exports VEERKRACHT_TEST_PG) and by hand:
#   export VEERKRACHT_TEST_PG="$(bash .ci/postgres.sh)"
set -euo pipefail
PGROOT="${PGROOT:-/tmp/veerkracht-pg}"
PORT="${VEERKRACHT_PG_PORT:-54329}"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >/dev/null
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
if [ -d "$PGROOT/data" ] && as_pg "$BIN/pg_ctl" -D "$PGROOT/data" status >/dev/null 2>&1; then
  : # already running
else
  rm -rf "$PGROOT"
  mkdir -p "$PGROOT/sock"
  [ "$(id -u)" = 0 ] && { id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres; chown -R postgres "$PGROOT"; }
  as_pg "$BIN/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_pg "$BIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w \
    -o "-k $PGROOT/sock -p $PORT -c listen_addresses='' -c max_connections=400 -c shared_buffers=64MB" start >/dev/null
fi
echo "host=$PGROOT/sock port=$PORT user=postgres dbname=postgres"

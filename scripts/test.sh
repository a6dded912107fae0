#!/usr/bin/env bash
# The test command (README; .ci/run calls exactly this):
#   1. set-up (scripts/setup.sh);
#   2. a throwaway PostgreSQL cluster (initdb in a temporary folder, port 54329, stopped on exit);
#   3. the whole suite on SQLite (browser tests included), with any arguments given here;
#   4. the data-layer tests (tests/web, tests/plan; no browser) again on PostgreSQL.
# Exits non-zero if either run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
# The second run uses PostgreSQL: install its driver (the [postgres] extra) too.
PIIPLAN_POSTGRES=1 bash scripts/setup.sh </dev/null
source scripts/_python.sh
# CI=true loads the derandomised Hypothesis profile (tests/conftest.py).
export CI="${CI:-true}"

PG_PORT="${PIIPLAN_TEST_PG_PORT:-54329}"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "test: không tìm thấy PostgreSQL (initdb) trong /usr/lib/postgresql/*/bin" >&2
  exit 1
fi
PG_DIR="$(mktemp -d /tmp/piiplan-pg.XXXXXX)"

as_pg() {
  # PostgreSQL refuses to run as root: use the postgres account when we are root.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_pg() {
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
}
trap stop_pg EXIT

if [ "$(id -u)" -eq 0 ]; then chown postgres: "$PG_DIR"; fi
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1 \
  || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
# A test cluster: durability off for speed, unix socket in the temporary folder.
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  >/dev/null || { cat "$PG_DIR/server.log" >&2; exit 1; }
echo "test: PostgreSQL tạm thời trên cổng $PG_PORT ($PG_DIR)"

mkdir -p artifacts/screenshots

echo "== Toàn bộ bộ kiểm thử trên SQLite =="
sqlite_status=0
"$PY" -m pytest "$@" || sqlite_status=$?

echo "== Kiểm thử tầng dữ liệu trên PostgreSQL =="
pg_paths=()
for path in tests/web tests/plan; do
  if [ -d "$path" ] && [ -n "$(find "$path" -name 'test_*.py' -print -quit)" ]; then pg_paths+=("$path"); fi
done
pg_status=0
DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/piiplan" \
  "$PY" -m pytest -m "not browser" -p no:cacheprovider "${pg_paths[@]}" || pg_status=$?

# On success pytest's own summary stays the last line of the output.
if [ "$sqlite_status" -ne 0 ] || [ "$pg_status" -ne 0 ]; then
  echo "test: THẤT BẠI — SQLite: mã $sqlite_status, PostgreSQL: mã $pg_status" >&2
  exit 1
fi

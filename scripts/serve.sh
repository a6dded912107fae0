#!/usr/bin/env bash
# Migrate, load the demo data into a NEW database only, start the background task worker (when the
# project has django-tasks) and serve the workspace: gunicorn by default, Django's development server
# only with DEBUG=1. Called by scripts/run.sh after setup; usable alone on an installed checkout.
#   HOST (127.0.0.1), PORT (8000), WEB_CONCURRENCY (workers: 2 × CPU + 1, at most 9), DEBUG,
#   DATABASE_URL and the other settings: see docs/deployment.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_python.sh

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
# This tree's code first (several checkouts may share one editable install).
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}"

"$PY" manage.py migrate --noinput
# The demo data goes only into a database without any data: a restart never touches users' work.
if "$PY" manage.py instance_state >/dev/null; then
  "$PY" manage.py load_demo
else
  echo "Cơ sở dữ liệu đã có dữ liệu: không nạp dữ liệu mẫu."
fi

# Background jobs (django-tasks' database back-end): one worker beside the web server, stopped with it.
WORKER_PID=""
stop_worker() {
  if [ -n "$WORKER_PID" ] && kill -0 "$WORKER_PID" 2>/dev/null; then
    kill "$WORKER_PID" 2>/dev/null || true
    wait "$WORKER_PID" 2>/dev/null || true
  fi
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if "$PY" manage.py help db_worker >/dev/null 2>&1; then
  "$PY" manage.py db_worker &
  WORKER_PID=$!
fi

echo
echo "piiplan đang chạy tại: http://$HOST:$PORT/"
echo "Đăng nhập bằng một trong các tài khoản mẫu đã in khi nạp dữ liệu mẫu. Dừng máy chủ: Ctrl+C."
echo
if [ "${DEBUG:-}" = "1" ] || [ "${DEBUG:-}" = "true" ]; then
  # Development only: Django's server, one thread per request (no persistent DB connections).
  "$PY" manage.py runserver "$HOST:$PORT" --noreload &
else
  CORES="$(nproc 2>/dev/null || echo 1)"
  WORKERS="${WEB_CONCURRENCY:-$((2 * CORES + 1))}"
  if [ "$WORKERS" -gt 9 ]; then WORKERS=9; fi
  # Sync workers each hold one database connection, kept for 60 s unless set otherwise.
  export PIIPLAN_CONN_MAX_AGE="${PIIPLAN_CONN_MAX_AGE:-60}"
  # Static files: WhiteNoise inside the application; long work runs as background jobs, so a
  # request over 60 s is a fault (the worker is restarted).
  "$PY" -m gunicorn piiplan.web.wsgi:application --bind "$HOST:$PORT" --workers "$WORKERS" \
    --timeout 60 --graceful-timeout 10 --backlog 256 --error-logfile - \
    --log-level warning &
fi
SERVER_PID=$!
# Wait for the server; on Ctrl+C/TERM stop it first, then the trap stops the worker.
trap 'kill -TERM "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; exit 130' INT
trap 'kill -TERM "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; exit 143' TERM
wait "$SERVER_PID"

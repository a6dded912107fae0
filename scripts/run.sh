#!/usr/bin/env bash
# The main job: set up, migrate, load the demo data and start the workspace on SQLite.
#   PORT (8000), HOST (127.0.0.1), DATABASE_URL and the other settings: see docs/deployment.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/_python.sh

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

"$PY" manage.py migrate --noinput
"$PY" manage.py load_demo

echo
echo "piiplan đang chạy tại: http://$HOST:$PORT/"
echo "Đăng nhập bằng một trong các tài khoản mẫu ở trên. Dừng máy chủ: Ctrl+C."
echo
# Django serves pages and static files itself (embedded mode, no CDN; WhiteNoise serves the static
# files with DEBUG off, the default — DEBUG=1 bash scripts/run.sh shows Django's debug pages);
# see docs/deployment.md for a production set-up behind gunicorn and a reverse proxy.
exec "$PY" manage.py runserver "$HOST:$PORT" --noreload

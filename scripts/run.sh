#!/usr/bin/env bash
# The main job: set up, migrate, load the demo data into a new database and start the workspace.
#   PORT (8000), HOST (127.0.0.1), DATABASE_URL and the other settings: see docs/deployment.md.
#   The server is gunicorn (WhiteNoise serves the static files, no CDN); DEBUG=1 bash scripts/run.sh
#   uses Django's development server with its debug pages instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec bash scripts/serve.sh

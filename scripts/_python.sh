# Sourced by the other scripts: chooses the Python interpreter ($PY).
# Order: $PYTHON if set, the project's .venv (created by setup.sh when the system Python is
# "externally managed", as on a stock Debian), then python, then python3.
if [ -n "${PYTHON:-}" ]; then
  PY="$PYTHON"
elif [ -x .venv/bin/python ]; then
  PY=.venv/bin/python
elif command -v python >/dev/null 2>&1; then
  PY=python
else
  PY=python3
fi
export PY

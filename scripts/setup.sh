#!/usr/bin/env bash
# Installs what piiplan needs on a Debian machine; safe to run again (does nothing twice).
#   - Debian packages, only those missing (apt-get update first when something is missing):
#     chromium (browser tests), fonts, LibreOffice writer/calc (DOCX/XLSX → PDF), poppler-utils
#     (PDF checks), postgresql (the PostgreSQL test run);
#   - the Python package with its development extras: pip install -e '.[dev]', plus the PostgreSQL driver
#     ('.[dev,postgres]') when DATABASE_URL points at PostgreSQL or PIIPLAN_POSTGRES=1 (scripts/test.sh).
# `playwright install` is not used: browsers cannot be downloaded here, tests use /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"

APT_PACKAGES=(chromium fonts-liberation fonts-liberation2 fonts-dejavu-core libreoffice-writer-nogui libreoffice-calc-nogui
              poppler-utils postgresql)

missing=()
for package in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

source scripts/_python.sh
if [ ! -x .venv/bin/python ] && [ -z "${PYTHON:-}" ] && command -v "$PY" >/dev/null 2>&1 && "$PY" - <<'PYEOF'
import os, sys, sysconfig
managed = os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED"))
sys.exit(0 if managed and sys.prefix == sys.base_prefix else 1)
PYEOF
then
  NEED_VENV=1
  dpkg-query -W -f='${Status}' python3-venv 2>/dev/null | grep -q "install ok installed" || missing+=(python3-venv)
else
  NEED_VENV=0
fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: cài gói Debian còn thiếu: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
fi

if [ "$NEED_VENV" = 1 ]; then
  echo "setup: Python hệ thống do Debian quản lý: tạo môi trường ảo .venv"
  "$PY" -m venv .venv
  PY=.venv/bin/python
fi

"$PY" - <<'PYEOF'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"setup: cần Python ≥ 3.11 (đang có {sys.version.split()[0]})")
PYEOF

# The PostgreSQL driver is an extra: only where PostgreSQL is used.
EXTRAS="dev"
case "${DATABASE_URL:-}" in postgres://*|postgresql://*|pgsql://*) EXTRAS="dev,postgres" ;; esac
if [ "${PIIPLAN_POSTGRES:-0}" = 1 ]; then EXTRAS="dev,postgres"; fi

# pip only when pyproject.toml changed or the installed package is not this checkout.
mkdir -p var
STAMP="var/.setup-stamp"
WANT="$(sha256sum pyproject.toml | cut -d' ' -f1) $REPO $PY $EXTRAS"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && "$PY" - "$REPO" "$EXTRAS" <<'PYEOF'
import importlib, sys
from pathlib import Path
import piiplan, django, whitenoise, pytest_django, playwright, PIL, threadpoolctl  # noqa: F401
if "postgres" in sys.argv[2]:
    importlib.import_module("psycopg")
sys.exit(0 if Path(piiplan.__file__).resolve().is_relative_to(Path(sys.argv[1]) / "src") else 1)
PYEOF
then
  echo "setup: gói Python đã cài đặt (bỏ qua pip)"
else
  echo "setup: pip install -e '.[$EXTRAS]'"
  PIP_ROOT_USER_ACTION=ignore "$PY" -m pip install -q -e ".[$EXTRAS]"
  echo "$WANT" > "$STAMP"
fi

"""scripts/serve.sh (run.sh's server): gunicorn by default, demo data only into a new database,
``check --deploy`` clean with the production settings of docs/deployment.md."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.web.live_server import ROOT, Server

pytestmark = pytest.mark.slow


def test_serve_starts_gunicorn_serves_pages_and_static_files_and_keeps_data_on_restart(tmp_path):
    server = Server(tmp_path / "var").start()
    try:
        status, headers, body = server.get("/tai-khoan/dang-nhap/")
        assert status == 200 and "Đăng nhập".encode() in body
        assert headers.get("Server", "").startswith("gunicorn")
        status, headers, body = server.get("/static/pages/piiplan.css")
        assert status == 200 and headers["Content-Type"].startswith("text/css")
        assert body == (ROOT / "src/piiplan/web/pages/static/pages/piiplan.css").read_bytes()
        # Uploaded files are never served by URL (only through permission-checked views).
        assert server.get("/media/")[0] == 404
        # The background task worker runs beside the server, in its process group.
        group = str(server.proc.pid)
        assert any("db_worker" in args for args in group_processes(group)), group_processes(group)
    finally:
        server.stop()
    assert not group_processes(group), "serve.sh left processes behind"
    log = server.log.read_text()
    assert "Đã nạp dữ liệu mẫu." in log

    # Users' work since the first start: a changed password and a renamed account.
    server.manage("shell", "-c", (
        "from piiplan.web.accounts.models import User; u = User.objects.get(username='quantri');"
        "u.set_password('mat-khau-rieng-cua-toi-9'); u.first_name = 'Đã đổi'; u.save()"))
    server.log.write_text("")
    server.start()
    try:
        assert server.get("/tai-khoan/dang-nhap/")[0] == 200
    finally:
        server.stop()
    log = server.log.read_text()
    assert "Đã nạp dữ liệu mẫu." not in log and "không nạp dữ liệu mẫu" in log
    out = server.manage("shell", "-c", (
        "from piiplan.web.accounts.models import User; u = User.objects.get(username='quantri');"
        "print(u.check_password('mat-khau-rieng-cua-toi-9'), u.first_name)")).stdout
    assert "True Đã đổi" in out


def group_processes(group: str) -> list[str]:
    ps = subprocess.run(["ps", "-e", "-o", "pgid=,args="], capture_output=True, text=True).stdout
    return [line.split(None, 1)[1] for line in ps.splitlines() if line.split(None, 1)[0] == group]


def test_instance_state_says_empty_until_data_exists(tmp_path):
    server = Server(tmp_path / "var")
    server.manage("migrate", "-v", "0")
    empty = server.manage("instance_state", check=False)
    assert empty.returncode == 0 and "trống" in empty.stdout
    server.manage("shell", "-c", "from piiplan.web.accounts.models import Agency; Agency.objects.create(name='Sở A', code='A')")
    full = server.manage("instance_state", check=False)
    assert full.returncode == 1 and "đã có dữ liệu" in full.stdout


def deployment_exports() -> str:
    """The `export …` lines of the check --deploy example in docs/deployment.md."""
    doc = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(export PIIPLAN_ENV=production.*?)```", doc, re.S).group(1)
    return "\n".join(line for line in block.splitlines() if line.startswith("export "))


def test_check_deploy_passes_with_the_documented_production_settings(tmp_path):
    exports = deployment_exports()
    for setting in ("PIIPLAN_ENV=production", "SECRET_KEY", "ALLOWED_HOSTS", "PIIPLAN_BEHIND_PROXY"):
        assert setting in exports
    dropped = ("DEBUG", "DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "ALLOWED_HOSTS", "PIIPLAN_ENV")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(PIIPLAN_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT / "src"))
    # The documented PostgreSQL URL needs a server; the deploy checks do not depend on the engine.
    script = (f"{exports}\nunset DATABASE_URL\n"
              f'"{sys.executable}" manage.py check --deploy --fail-level WARNING\n'
              f'"{sys.executable}" -c "import django, os; os.environ.setdefault(\'DJANGO_SETTINGS_MODULE\', '
              f"'piiplan.web.settings'); django.setup(); from django.conf import settings as s; "
              f"print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, "
              f"s.DATABASES['default']['CONN_MAX_AGE'])\"\n")
    result = subprocess.run(["bash", "-e", "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "True True 31536000 True 0"

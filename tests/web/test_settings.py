"""Settings from the environment: typed readers, start-up checks, production, locale."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from piiplan.numbers import MISSING
from piiplan.web import env

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_problems(monkeypatch):
    monkeypatch.setattr(env, "PROBLEMS", [])
    return env.PROBLEMS


def run_manage(*args, extra_env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    # A clean environment: DJANGO_ALLOW_ASYNC_UNSAFE (set for the browser tests) would itself
    # be flagged by check --deploy.
    dropped = ("DEBUG", "DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "ALLOWED_HOSTS", "PIIPLAN_ENV")
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update({"PIIPLAN_VAR_DIR": str(tmp_path)}, **extra_env)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=environment,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.parametrize(
    "raw, expected",
    [("true", True), ("1", True), ("Yes", True), ("off", False), ("0", False), ("", None)],
)
def test_env_bool(monkeypatch, no_problems, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert env.env_bool("X_FLAG", True) is (True if expected is None else expected)
    assert no_problems == []


def test_env_bool_rejects_other_words_and_keeps_the_default(monkeypatch, no_problems):
    monkeypatch.setenv("X_FLAG", "maybe")
    assert env.env_bool("X_FLAG", False) is False
    assert [p.name for p in no_problems] == ["X_FLAG"]
    assert "true/false" in no_problems[0].message_vi


def test_env_int_rejects_text_and_values_below_minimum(monkeypatch, no_problems):
    monkeypatch.setenv("X_NUM", "mười")
    assert env.env_int("X_NUM", 7) == 7
    monkeypatch.setenv("X_NUM", "-3")
    assert env.env_int("X_NUM", 7, minimum=0) == 7
    monkeypatch.setenv("X_NUM", "12")
    assert env.env_int("X_NUM", 7, minimum=0) == 12
    assert [p.message_vi for p in no_problems] == [
        "X_NUM='mười' không phải là số nguyên.",
        "X_NUM='-3' phải lớn hơn hoặc bằng 0.",
    ]


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("X_HOSTS", " a.gov.vn, b.gov.vn ,,")
    assert env.env_list("X_HOSTS", ["x"]) == ["a.gov.vn", "b.gov.vn"]
    monkeypatch.delenv("X_HOSTS")
    assert env.env_list("X_HOSTS", ["x"]) == ["x"]


def test_postgresql_url_is_parsed_for_psycopg():
    db = env.parse_database_url("postgresql://pii:m%40t@db.local:5433/piiplan?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "piiplan",
        "pii",
        "m@t",
        "db.local",
        "5433",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_sqlite_url_uses_wal_and_immediate_transactions():
    db = env.parse_database_url("sqlite:////srv/piiplan/db.sqlite3")
    assert db["NAME"] == "/srv/piiplan/db.sqlite3"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.parametrize(
    "url, words",
    [
        ("mysql://u@h/db", "không hỗ trợ"),
        ("postgresql://u@h/", "thiếu tên cơ sở dữ liệu"),
        ("postgresql://u@h:99999999/db", "cổng"),
        ("sqlite://", "thiếu đường dẫn"),
    ],
)
def test_bad_database_urls_are_rejected_with_a_vietnamese_message(url, words):
    with pytest.raises(ValueError, match=words):
        env.parse_database_url(url)


def test_bad_database_url_is_recorded_and_masks_the_password(monkeypatch, no_problems):
    monkeypatch.setenv("X_DB", "oracle://u:secretpw@h/db")
    db = env.env_database("X_DB", "/tmp/x.sqlite3")
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert "secretpw" not in no_problems[0].value


def test_startup_check_refuses_a_bad_setting(tmp_path):
    result = run_manage("check", extra_env={"DEBUG": "có", "PIIPLAN_UPLOAD_MAX_MB": "nhiều"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "piiplan.E001" in result.stderr and "DEBUG='có'" in result.stderr
    assert "PIIPLAN_UPLOAD_MAX_MB='nhiều' không phải là số nguyên" in result.stderr


def test_production_refuses_to_start_without_secret_key_and_hosts(tmp_path):
    result = run_manage("check", extra_env={"PIIPLAN_ENV": "production"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY chưa được đặt" in result.stderr
    assert "ALLOWED_HOSTS phải được đặt" in result.stderr


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        extra_env={
            "PIIPLAN_ENV": "production",
            "SECRET_KEY": "k" * 20 + "-Production-Secret-Key-0123456789-abcdefghijklmnop",
            "ALLOWED_HOSTS": "pii.langson.gov.vn",
        },
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_sqlite_database_runs_in_wal_mode(tmp_path):
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    environment = dict(os.environ, DJANGO_SETTINGS_MODULE="piiplan.web.settings", PIIPLAN_VAR_DIR=str(tmp_path))
    environment.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "wal", out.stderr
    assert (tmp_path / "piiplan.sqlite3").exists()


def test_argon2_is_the_password_hasher():
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_vietnamese_language_time_zone_and_province_defaults():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.PIIPLAN_PROVINCE == "Lạng Sơn"
    assert not hasattr(settings, "PIIPLAN_ISSUER")  # the issuing body is an edited record, not a setting


def render(source: str, **context) -> str:
    return Template("{% load vi %}" + source).render(Context(context)).strip()


def test_vi_vn_numbers_and_dates_in_templates():
    assert render("{{ x|floatformat:2 }}", x=65.678) == "65,68"
    assert render("{{ d }}", d=date(2026, 6, 25)) == "25/06/2026"
    assert render("{{ d|ngay }}", d=date(2026, 12, 25)) == "25/12/2026"
    assert render("{{ x|so:2 }}", x=65.675) == "65,68"
    assert render("{{ x|so }}", x=1234567) == "1.234.567"
    assert render("{{ x|so:1 }}", x=-1234.56) == "-1.234,6"
    assert render("{{ x|so:2 }}", x=float("nan")) == MISSING  # the one missing-value dash (piiplan.numbers)
    assert render("{{ x|so:2 }}", x=None) == MISSING
    assert render("{{ x|so:2 }}", x=0.01823) == "0,0182"          # small values keep significant digits
    # Years stay as written: no thousands separator outside |so.
    assert render("{{ y }}", y=2026) == "2026"


def test_wsgi_start_up_refuses_a_bad_setting(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)}
    environment.update(PIIPLAN_VAR_DIR=str(tmp_path), DATABASE_URL="mysql://u@h/db")
    result = subprocess.run(
        [sys.executable, "-c", "import piiplan.web.wsgi"], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DATABASE_URL có lược đồ không hỗ trợ 'mysql'" in result.stderr


@pytest.mark.postgres
def test_postgresql_run_really_uses_postgresql():
    # Runs only in scripts/test.sh's PostgreSQL pass (see tests/conftest.py).
    from django.db import connection

    assert connection.vendor == "postgresql"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_embedded_mode_runs_without_debug_by_default(tmp_path):
    shown = run_manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)",
                       extra_env={}, tmp_path=tmp_path)
    last = shown.stdout.strip().splitlines()[-1]             # (the shell may print an import summary first)
    assert last.split(" ", 1)[0] == "False", shown.stdout + shown.stderr
    assert "'127.0.0.1'" in last and "'localhost'" in last
    asked = run_manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)",
                       extra_env={"DEBUG": "1"}, tmp_path=tmp_path)
    assert asked.stdout.strip().splitlines()[-1] == "True", asked.stdout + asked.stderr


def test_embedded_server_shows_vietnamese_errors_and_serves_static_files(tmp_path):
    """The server as scripts/run.sh starts it (runserver, no DEBUG in the environment): a missing page is
    the Vietnamese 404, not Django's debug page with the URL list; static files still load."""
    import time
    import urllib.error
    import urllib.request

    assert run_manage("migrate", "--noinput", extra_env={}, tmp_path=tmp_path).returncode == 0
    port = _free_port()
    dropped = ("DEBUG", "DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "ALLOWED_HOSTS", "PIIPLAN_ENV")
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment["PIIPLAN_VAR_DIR"] = str(tmp_path)
    server = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}",
                               "--noreload"], env=environment, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)

    def fetch(path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=20) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    try:
        for _ in range(100):
            try:
                status, html = fetch("/khong-co-trang-nay/")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start")
        assert status == 404
        assert "Không tìm thấy trang" in html
        assert "Page not found" not in html and "URLconf" not in html
        status, css = fetch("/static/pages/piiplan.css")
        assert status == 200 and css.strip()
    finally:
        server.terminate()
        server.wait(timeout=20)

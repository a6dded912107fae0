"""Login throttling (accounts/ratelimit.py), the client address behind trusted proxies, and ``?next=``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from django.db import close_old_connections
from django.test import Client, RequestFactory
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from piiplan.web.accounts import ratelimit
from piiplan.web.accounts.models import LoginThrottle
from piiplan.web.audit.models import AuditEntry
from piiplan.web.client_address import client_address

ROOT = Path(__file__).resolve().parents[2]


def post_login(client, username, password, ip="10.0.0.1", next_url="", **extra):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data, REMOTE_ADDR=ip, **extra)


# --- limits ----------------------------------------------------------------------------------------


def test_the_lock_applies_to_the_attackers_address_only(personas):
    for _ in range(5):
        post_login(Client(), "agency", "sai-mat-khau", ip="203.0.113.9")
    blocked = post_login(Client(), "agency", personas.password, ip="203.0.113.9")
    assert blocked.status_code == 429
    text = blocked.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in text and "15 phút" in text and "quản trị viên mở khoá" in text
    # The real user at the office is not locked out by the attacker.
    assert post_login(Client(), "agency", personas.password, ip="10.1.1.1").status_code == 302


def test_password_spraying_from_one_address_is_limited(personas, settings):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 8
    for number in range(8):
        assert post_login(Client(), f"nguoi-{number}", "matkhau123", ip="198.51.100.7").status_code == 200
    # Another username from the same address: refused before the password is even checked.
    response = post_login(Client(), "leader", personas.password, ip="198.51.100.7")
    assert response.status_code == 429 and "từ địa chỉ này" in response.content.decode()
    assert not AuditEntry.objects.filter(action="login").exists()
    # Other addresses are unaffected.
    assert post_login(Client(), "leader", personas.password, ip="198.51.100.8").status_code == 302


def test_a_success_gives_the_shared_reservation_back(personas, settings):
    """An office behind one NAT address: many people signing in correctly never fill the address limit."""
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    for _ in range(10):
        assert post_login(Client(), "staff", personas.password, ip="10.9.9.9").status_code == 302
    assert post_login(Client(), "agency", personas.password, ip="10.9.9.9").status_code == 302


def test_a_distributed_attack_on_one_username_spares_its_usual_address(personas, settings):
    settings.LOGIN_MAX_FAILURES_PER_USERNAME = 6
    # The user signs in from the office once: that address is now known (audit log).
    assert post_login(Client(), "agency", personas.password, ip="10.0.0.50").status_code == 302
    for number in range(6):
        post_login(Client(), "agency", "sai-mat-khau", ip=f"192.0.2.{number + 1}")
    # A new address is refused (the username is under attack) ...
    assert post_login(Client(), "agency", personas.password, ip="192.0.2.200").status_code == 429
    # ... but the user's usual address still signs in.
    assert post_login(Client(), "agency", personas.password, ip="10.0.0.50").status_code == 302


def test_the_administrator_unlocks_a_user(personas, client_for):
    for _ in range(5):
        post_login(Client(), "agency", "sai-mat-khau")
    assert ratelimit.is_locked("agency", "10.0.0.1")
    admin = client_for("dost_admin")
    users_page = admin.get(reverse("accounts:users")).content.decode()
    assert "Tạm chặn đăng nhập" in users_page
    assert reverse("accounts:user_unlock", args=[personas.agency.pk]) in users_page
    edit = admin.get(reverse("accounts:user_edit", args=[personas.agency.pk])).content.decode()
    assert 'id="login-locked"' in edit
    response = admin.post(reverse("accounts:user_unlock", args=[personas.agency.pk]))
    assert response.status_code == 302
    assert not ratelimit.is_locked("agency", "10.0.0.1")
    assert AuditEntry.objects.filter(action="user_unlock_login", object_id=str(personas.agency.pk)).exists()
    assert post_login(Client(), "agency", personas.password).status_code == 302


def test_a_refused_attempt_uses_no_counter(personas, settings):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 100
    for _ in range(5):
        post_login(Client(), "agency", "sai")
    before = dict(LoginThrottle.objects.values_list("key", "count"))
    for _ in range(3):
        assert post_login(Client(), "agency", "sai").status_code == 429
    assert dict(LoginThrottle.objects.values_list("key", "count")) == before


# --- the race --------------------------------------------------------------------------------------

RACE_SCRIPT = textwrap.dedent(
    """
    import json, sys, threading
    import django
    django.setup()
    from django.db import close_old_connections, connection
    from django.core.management import call_command
    call_command("migrate", "accounts", verbosity=0)
    call_command("migrate", "audit", verbosity=0)
    from piiplan.web.accounts import ratelimit
    barrier = threading.Barrier(40)
    allowed = []
    def attempt():
        close_old_connections()
        barrier.wait(timeout=30)
        result = ratelimit.begin("agency", "10.0.0.1")
        allowed.append(result.allowed)
        close_old_connections()
    threads = [threading.Thread(target=attempt) for _ in range(40)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    print(json.dumps({"allowed": sum(allowed), "total": len(allowed)}))
    """
)


def test_forty_parallel_attempts_on_sqlite_get_no_more_than_the_limit(tmp_path):
    """Threads against a real SQLite file (the test database is in memory and cannot be shared this way)."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "piiplan.web.settings", "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", RACE_SCRIPT], env=env, capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"allowed": 5, "total": 40}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_forty_parallel_logins_on_postgresql_check_at_most_five_passwords(settings):
    from piiplan.web.accounts.models import Role, User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    User.objects.create_user(username="agency", password="mat-khau-dung-2026", role=Role.LEADER)
    barrier = threading.Barrier(40)
    statuses: list[int] = []

    def attempt():
        close_old_connections()
        try:
            barrier.wait(timeout=30)
            statuses.append(post_login(Client(), "agency", "sai-mat-khau").status_code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 40
    assert statuses.count(200) == 5 and statuses.count(429) == 35
    assert AuditEntry.objects.filter(action="login_failed").count() == 5


# --- client address --------------------------------------------------------------------------------


@pytest.mark.parametrize("proxies, remote, forwarded, expected", [
    ([], "203.0.113.5", "1.2.3.4", "203.0.113.5"),                       # no proxy trusted: header ignored
    (["127.0.0.1"], "127.0.0.1", "198.51.100.20", "198.51.100.20"),      # nginx on the same machine
    (["127.0.0.1"], "127.0.0.1", "6.6.6.6, 198.51.100.20", "198.51.100.20"),  # client-written entry ignored
    (["127.0.0.1", "10.0.0.0/24"], "127.0.0.1", "6.6.6.6, 198.51.100.20, 10.0.0.3", "198.51.100.20"),
    (["127.0.0.1"], "10.10.10.10", "198.51.100.20", "10.10.10.10"),      # not from the proxy: not believed
    (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
    (["127.0.0.1"], "127.0.0.1", "not-an-ip", "127.0.0.1"),
    (["127.0.0.1"], "127.0.0.1", "198.51.100.20:51234", "198.51.100.20"),
    (["::1"], "::1", "2001:db8::7", "2001:db8::7"),
])
def test_client_address(settings, proxies, remote, forwarded, expected):
    settings.PIIPLAN_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_behind_the_proxy_users_are_throttled_and_audited_by_their_real_address(personas, settings):
    settings.PIIPLAN_TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(5):
        post_login(Client(), "agency", "sai", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert post_login(Client(), "agency", personas.password, ip="127.0.0.1",
                      HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    # Someone else behind the same proxy is not locked out.
    assert post_login(Client(), "agency", personas.password, ip="127.0.0.1",
                      HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302
    assert AuditEntry.objects.get(action="login").ip == "198.51.100.2"
    assert set(AuditEntry.objects.filter(action="login_failed").values_list("ip", flat=True)) == {"198.51.100.1"}


def test_a_bad_trusted_proxy_setting_is_a_vietnamese_check_error(settings):
    from piiplan.web.checks import check_environment

    settings.PIIPLAN_TRUSTED_PROXIES = ["127.0.0.1", "may-chu-proxy"]
    errors = check_environment()
    assert any(e.id == "piiplan.E120" and "may-chu-proxy" in e.msg for e in errors)


# --- next ------------------------------------------------------------------------------------------


LANDING = object()  # the user's landing page (settings.LOGIN_REDIRECT_URL)


@pytest.mark.parametrize("next_url, expected", [
    ("/nhat-ky/", "/nhat-ky/"), ("abc", LANDING), ("//evil.com", LANDING), ("https://evil", LANDING),
    ("https://evil.example/", LANDING), ("/\\evil.com", LANDING), ("javascript:alert(1)", LANDING), ("", LANDING),
    ("/" + "a" * 5000, LANDING),
])
def test_next_after_sign_in_is_safe_or_ignored(personas, next_url, expected):
    response = post_login(Client(), "staff", personas.password, next_url=next_url)
    landing = resolve_url(settings.LOGIN_REDIRECT_URL)
    assert response.status_code == 302 and response["Location"] == (landing if expected is LANDING else expected)


@pytest.mark.parametrize("next_url", ["abc", "//evil.com", "https://evil"])
def test_next_on_the_login_page_never_errors(client_for, next_url):
    # Signed in: the login page sends the user on, to their landing page for a bad target.
    response = client_for("dost_staff").get(reverse("accounts:login"), {"next": next_url})
    assert response.status_code == 302 and response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)
    # Not signed in: the form is shown, the bad target is not carried along.
    page = Client().get(reverse("accounts:login"), {"next": next_url})
    landing = resolve_url(settings.LOGIN_REDIRECT_URL)
    assert page.status_code == 200 and f'<input type="hidden" name="next" value="{landing}">' in page.content.decode()


def test_the_client_address_can_never_be_chosen_by_the_client(settings):
    """Property: whatever the client writes in X-Forwarded-For, the address found is the right-most
    untrusted hop that the trusted proxies appended (or the proxy itself), never one the client wrote."""
    from hypothesis import given, settings as hsettings, strategies as st

    settings.PIIPLAN_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/24"]
    public = st.ip_addresses(v=4, network="198.51.100.0/24").map(str)
    proxies = st.lists(st.ip_addresses(v=4, network="10.0.0.0/24").map(str), max_size=3)
    forged = st.lists(st.one_of(public, st.text(max_size=12)), max_size=4)

    @hsettings(max_examples=200, deadline=None)
    @given(client=public, hops=proxies, written=forged)
    def check(client, hops, written):
        header = ", ".join([*written, client, *hops])
        request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=header)
        assert client_address(request) == client

    check()

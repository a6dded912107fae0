"""Login (with rate-limiting), logout and password change."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from piiplan.web.accounts import ratelimit
from piiplan.web.audit.models import AuditEntry


def post_login(client, username, password, ip="10.0.0.1", next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data, REMOTE_ADDR=ip)


def test_login_page_is_in_vietnamese(db):
    page = Client().get(reverse("accounts:login")).content.decode()
    assert "Tên đăng nhập" in page and "Mật khẩu" in page and 'lang="vi"' in page


def test_login_succeeds_and_is_audited(personas):
    client = Client()
    response = post_login(client, "agency", personas.password)
    assert response.status_code == 302 and response["Location"] == reverse("plan:my_work")  # LOGIN_REDIRECT_URL: the landing page
    assert client.get(reverse("accounts:password_change")).status_code == 200
    entry = AuditEntry.objects.get(action="login")
    assert (entry.username, entry.ip) == ("agency", "10.0.0.1")


def test_wrong_password_shows_a_vietnamese_message(personas):
    response = post_login(Client(), "agency", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert AuditEntry.objects.filter(action="login_failed", object_id="agency").count() == 1


def test_deactivated_user_cannot_log_in(personas):
    personas.leader.is_active = False
    personas.leader.save()
    response = post_login(Client(), "leader", personas.password)
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_five_failures_lock_the_username_from_that_ip(personas, settings):
    assert settings.LOGIN_MAX_FAILURES == 5
    client = Client()
    for _ in range(5):
        assert post_login(client, "agency", "sai").status_code == 200
    # Even the right password is refused now, with the wait in minutes.
    response = post_login(client, "agency", personas.password)
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "15 phút" in response.content.decode()
    assert not client.session.get("_auth_user_id")
    # Another IP, or another username from the same IP, is not locked.
    assert post_login(Client(), "agency", personas.password, ip="10.0.0.2").status_code == 302
    assert post_login(Client(), "leader", personas.password).status_code == 302


def test_username_case_does_not_dodge_the_limit(personas):
    for name in ("agency", "AGENCY", "Agency", "aGency", "agencY"):
        post_login(Client(), name, "sai")
    assert ratelimit.is_locked("agency", "10.0.0.1")


def test_failures_outside_the_window_no_longer_count(personas, settings):
    from datetime import timedelta

    from django.utils import timezone

    from piiplan.web.accounts.models import LoginThrottle

    old = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS + 60)
    LoginThrottle.objects.create(key=ratelimit.pair_key("agency", "10.0.0.1"), count=9, window_start=old)
    LoginThrottle.objects.create(key=ratelimit.address_key("10.0.0.1"), count=99, window_start=old)
    assert not ratelimit.is_locked("agency", "10.0.0.1")
    assert post_login(Client(), "agency", personas.password).status_code == 302


def test_success_clears_earlier_failures(personas):
    client = Client()
    for _ in range(4):
        post_login(client, "agency", "sai")
    assert post_login(client, "agency", personas.password).status_code == 302
    assert ratelimit.failures("agency", "10.0.0.1") == 0


@pytest.mark.parametrize(
    "next_url, expected",
    [("/nhat-ky/", "/nhat-ky/"), ("https://evil.example/", "/ke-hoach/viec-cua-toi/"), ("//evil.example/x", "/ke-hoach/viec-cua-toi/")],
)
def test_next_is_followed_only_within_the_site(personas, next_url, expected):
    response = post_login(Client(), "staff", personas.password, next_url=next_url)
    assert response["Location"] == expected


def test_anonymous_visitor_is_sent_to_login_and_back(personas):
    client = Client()
    response = client.get(reverse("audit:log"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/nhat-ky/"
    response = post_login(client, "staff", personas.password, next_url="/nhat-ky/")
    assert client.get(response["Location"]).status_code == 200


def test_logout_needs_post_and_ends_the_session(client_for):
    client = client_for("leader")
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:password_change")).status_code == 302
    assert AuditEntry.objects.filter(action="logout", username="leader").exists()


def test_login_form_requires_csrf(personas):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "agency", "password": personas.password})
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()


def test_password_change(personas, client_for):
    client = client_for("agency")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": personas.password, "new_password1": "Moi-Hon-2026-xyz", "new_password2": "Moi-Hon-2026-xyz"},
    )
    assert response.status_code == 302
    personas.agency.refresh_from_db()
    assert personas.agency.check_password("Moi-Hon-2026-xyz")
    # The session survives the change.
    assert client.get(reverse("accounts:password_change")).status_code == 200


def test_a_long_username_is_refused_cleanly(personas):
    # 150 characters reach the audit log and the rate-limit table (column limits on PostgreSQL).
    response = post_login(Client(), "x" * 150, "sai")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert AuditEntry.objects.get(action="login_failed").object_id == "x" * 64

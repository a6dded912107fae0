"""The administrator's user management: list, create, deactivate, reactivate."""

from __future__ import annotations

from django.urls import reverse

from piiplan.web.accounts.models import Role, User
from piiplan.web.audit.models import AuditEntry


def new_user(**overrides):
    data = {
        "username": "moi",
        "full_name": "Nguyễn Văn Mới",
        "email": "moi@langson.gov.vn",
        "role": "leader",
        "agency": "",
        "password1": "Mat-Khau-Rat-Dai-2026",
        "password2": "Mat-Khau-Rat-Dai-2026",
    }
    data.update(overrides)
    return data


def test_users_page_lists_every_account_in_vietnamese(client_for):
    page = client_for("dost_admin").get(reverse("accounts:users")).content.decode()
    for username in ("admin", "staff", "agency", "agency_b", "leader"):
        assert f'data-username="{username}"' in page
    assert "Đầu mối cơ quan, đơn vị" in page and "Sở Thử nghiệm" in page


def test_admin_creates_an_agency_focal_point(personas, client_for):
    response = client_for("dost_admin").post(
        reverse("accounts:user_create"), new_user(role="agency", agency=personas.agency_b.pk)
    )
    assert response.status_code == 302
    user = User.objects.get(username="moi")
    assert (user.role, user.agency, user.full_name) == (Role.AGENCY, personas.agency_b, "Nguyễn Văn Mới")
    assert user.password.startswith("md5$")  # the hasher in force (Argon2 outside tests)
    entry = AuditEntry.objects.get(action="user_create")
    assert entry.after["role"] == "agency" and entry.username == "admin"


def test_agency_role_needs_an_agency_and_others_must_not_have_one(personas, client_for):
    client = client_for("dost_admin")
    response = client.post(reverse("accounts:user_create"), new_user(role="agency"))
    assert "Đầu mối phải thuộc đúng một cơ quan, đơn vị." in response.content.decode()
    response = client.post(reverse("accounts:user_create"), new_user(role="leader", agency=personas.agency_a.pk))
    assert "Chỉ vai trò đầu mối cơ quan, đơn vị mới gắn với một cơ quan." in response.content.decode()
    assert not User.objects.filter(username="moi").exists()


def test_weak_or_mismatched_passwords_and_duplicate_names_are_refused(personas, client_for):
    client = client_for("dost_admin")
    page = client.post(reverse("accounts:user_create"), new_user(password1="123", password2="123")).content.decode()
    assert "Mật khẩu này quá ngắn" in page
    page = client.post(reverse("accounts:user_create"), new_user(password2="khac-hoan-toan-2026")).content.decode()
    assert "Hai mật khẩu không khớp." in page
    page = client.post(reverse("accounts:user_create"), new_user(username="LEADER")).content.decode()
    assert "Tên đăng nhập này đã có người dùng." in page
    assert User.objects.count() == 5


def test_database_refuses_an_agency_user_without_agency(db):
    import pytest
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", role=Role.AGENCY)


def test_deactivate_and_reactivate(personas, client_for):
    client = client_for("dost_admin")
    client.post(reverse("accounts:user_deactivate", args=[personas.agency.pk]))
    personas.agency.refresh_from_db()
    assert not personas.agency.is_active
    # A deactivated user's open session no longer grants anything.
    assert client_for(personas.agency).get(reverse("accounts:password_change")).status_code == 302
    entry = AuditEntry.objects.get(action="user_deactivate")
    assert (entry.before["is_active"], entry.after["is_active"]) == (True, False)

    client.post(reverse("accounts:user_activate", args=[personas.agency.pk]))
    personas.agency.refresh_from_db()
    assert personas.agency.is_active


def test_admin_cannot_deactivate_themself(personas, client_for):
    client = client_for("dost_admin")
    response = client.post(reverse("accounts:user_deactivate", args=[personas.admin.pk]), follow=True)
    assert "Không thể tự khoá tài khoản của chính mình." in response.content.decode()
    personas.admin.refresh_from_db()
    assert personas.admin.is_active


def test_staff_cannot_manage_users(personas, client_for):
    response = client_for("dost_staff").post(reverse("accounts:user_deactivate", args=[personas.leader.pk]))
    assert response.status_code == 403
    personas.leader.refresh_from_db()
    assert personas.leader.is_active

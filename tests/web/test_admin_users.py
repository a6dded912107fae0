"""The administrator's user pages: edit (version-checked, audited), reset links, temporary passwords,
and the password rules every new password obeys."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from piiplan.web.accounts.models import Role, User
from piiplan.web.audit.models import AuditEntry


def edit_data(user, **overrides):
    data = {"full_name": user.full_name, "email": user.email, "role": user.role,
            "agency": user.agency_id or "", "version": user.version}
    data.update(overrides)
    return data


def edit_url(user):
    return reverse("accounts:user_edit", args=[user.pk])


def state(user):
    fresh = User.objects.get(pk=user.pk)
    return (fresh.full_name, fresh.email, fresh.role, fresh.agency_id, fresh.version)


def test_admin_edits_role_agency_name_and_email(personas, client_for):
    client = client_for("dost_admin")
    leader = personas.leader
    response = client.post(edit_url(leader), edit_data(leader, full_name="Trần Thị Lãnh Đạo", email="LD@langson.gov.vn",
                                                       role=Role.AGENCY, agency=personas.agency_b.pk))
    assert response.status_code == 302
    fresh = User.objects.get(pk=leader.pk)
    assert (fresh.full_name, fresh.email, fresh.role, fresh.agency, fresh.version) == (
        "Trần Thị Lãnh Đạo", "LD@langson.gov.vn", Role.AGENCY, personas.agency_b, 2)
    entry = AuditEntry.objects.get(action="user_update")
    assert entry.before["role"] == "leader" and entry.after["role"] == "agency"
    assert entry.before["agency"] is None and entry.after["agency"] == personas.agency_b.pk
    assert entry.after["full_name"] == "Trần Thị Lãnh Đạo" and entry.username == "admin"
    page = client.get(edit_url(leader)).content.decode()
    assert "Đã lưu tài khoản leader." in page


@pytest.mark.parametrize("overrides, message", [
    ({"full_name": "   "}, "Hãy nhập họ và tên."),
    ({"email": "AGENCY@langson.gov.vn"}, "Thư điện tử này đã được dùng cho một tài khoản khác."),
    ({"email": "khong-phai-thu"}, "Địa chỉ thư điện tử không hợp lệ."),
    ({"role": Role.AGENCY, "agency": "999999"}, "Lựa chọn không hợp lệ"),
    ({"role": Role.AGENCY, "agency": "abc"}, "Lựa chọn không hợp lệ"),
    ({"role": Role.AGENCY, "agency": ""}, "Đầu mối phải thuộc đúng một cơ quan, đơn vị."),
    ({"role": "vua"}, "Lựa chọn không hợp lệ"),
    ({"version": "abc"}, "Phiên bản biểu mẫu không hợp lệ."),
])
def test_bad_input_gets_a_vietnamese_message_and_changes_nothing(personas, client_for, overrides, message):
    personas.agency.email = "agency@langson.gov.vn"
    personas.agency.save()
    before = state(personas.leader)
    response = client_for("dost_admin").post(edit_url(personas.leader), edit_data(personas.leader, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert state(personas.leader) == before
    assert not AuditEntry.objects.filter(action="user_update").exists()


def test_a_stale_form_is_refused_with_the_conflict_message(personas, client_for):
    client = client_for("dost_admin")
    leader = personas.leader
    stale = edit_data(leader, full_name="Bản cũ")
    assert client.post(edit_url(leader), edit_data(leader, full_name="Bản mới")).status_code == 302
    response = client.post(edit_url(leader), stale)
    assert response.status_code == 409
    assert "Tài khoản này vừa được" in response.content.decode()
    assert User.objects.get(pk=leader.pk).full_name == "Bản mới"


def test_the_admin_cannot_demote_or_lock_themself(personas, client_for):
    client = client_for("dost_admin")
    admin = personas.admin
    response = client.post(edit_url(admin), edit_data(admin, role=Role.LEADER))
    assert "Không thể tự bỏ vai trò quản trị của chính mình." in response.content.decode()
    client.post(reverse("accounts:user_deactivate", args=[admin.pk]))
    assert User.objects.get(pk=admin.pk).is_active and User.objects.get(pk=admin.pk).role == Role.DOST_ADMIN


def test_lock_and_unlock_from_the_edit_page_are_audited(personas, client_for):
    client = client_for("dost_admin")
    response = client.post(reverse("accounts:user_deactivate", args=[personas.leader.pk]), {"back": "edit"})
    assert response["Location"] == edit_url(personas.leader)
    assert not User.objects.get(pk=personas.leader.pk).is_active
    client.post(reverse("accounts:user_activate", args=[personas.leader.pk]))
    assert User.objects.get(pk=personas.leader.pk).is_active
    actions = list(AuditEntry.objects.filter(object_id=str(personas.leader.pk)).values_list("action", flat=True))
    assert "user_deactivate" in actions and "user_activate" in actions


def _link_path(response) -> str:
    page = response.content.decode()
    start = page.index('id="secret"')
    value = page[start:].split('value="', 1)[1].split('"', 1)[0]
    return value.replace("http://testserver", "")


def test_a_one_time_reset_link_works_once(personas, client_for):
    response = client_for("dost_admin").post(reverse("accounts:user_reset_link", args=[personas.leader.pk]))
    assert response.status_code == 200
    path = _link_path(response)
    assert path.startswith("/tai-khoan/dat-lai-mat-khau/")
    visitor = Client()
    assert visitor.get(path).status_code == 200
    weak = visitor.post(path, {"new_password1": "matkhau123", "new_password2": "matkhau123"})
    assert weak.status_code == 400 and "quá phổ biến" in weak.content.decode()
    done = visitor.post(path, {"new_password1": "Hoa-Dao-Xu-Lang-2026", "new_password2": "Hoa-Dao-Xu-Lang-2026"})
    assert done.status_code == 302
    assert User.objects.get(pk=personas.leader.pk).check_password("Hoa-Dao-Xu-Lang-2026")
    assert AuditEntry.objects.filter(action="password_reset", username="leader").exists()
    # Used twice: refused in Vietnamese, nothing changes.
    again = Client().post(path, {"new_password1": "Mot-Mat-Khau-Khac-99", "new_password2": "Mot-Mat-Khau-Khac-99"})
    assert again.status_code == 400
    assert "đã được dùng, đã hết hạn" in again.content.decode()
    assert User.objects.get(pk=personas.leader.pk).check_password("Hoa-Dao-Xu-Lang-2026")
    # The link is not written to the audit log.
    assert not AuditEntry.objects.filter(note__contains=path.split("/")[-2]).exists()


def test_an_expired_reset_link_is_refused(personas, client_for, settings):
    path = _link_path(client_for("dost_admin").post(reverse("accounts:user_reset_link", args=[personas.leader.pk])))
    from django.contrib.auth.tokens import PasswordResetTokenGenerator

    settings.PASSWORD_RESET_TIMEOUT = 60
    later = PasswordResetTokenGenerator._now

    def _future(self):
        return later(self) + timedelta(hours=1)

    PasswordResetTokenGenerator._now = _future
    try:
        response = Client().get(path)
    finally:
        PasswordResetTokenGenerator._now = later
    assert response.status_code == 400 and "hết hạn" in response.content.decode()


def test_a_temporary_password_must_be_changed_at_first_login(personas, client_for):
    response = client_for("dost_admin").post(reverse("accounts:user_temp_password", args=[personas.leader.pk]))
    assert response.status_code == 200
    temporary = response.content.decode().split('id="secret"')[1].split('value="', 1)[1].split('"', 1)[0]
    assert len(temporary) >= 12
    user = User.objects.get(pk=personas.leader.pk)
    assert user.must_change_password and user.check_password(temporary)
    assert AuditEntry.objects.get(action="user_temp_password").after["must_change_password"] is True
    assert temporary not in str(list(AuditEntry.objects.values_list("note", "before", "after")))

    client = Client()
    signed_in = client.post(reverse("accounts:login"), {"username": "leader", "password": temporary})
    assert signed_in["Location"] == reverse("accounts:password_change")
    # Every other page sends the user back to the password change page.
    for url in (reverse("pages:home"), reverse("plan:dashboard"), reverse("pages:ranking")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change"), url
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "mật khẩu tạm thời" in page
    changed = client.post(reverse("accounts:password_change"), {
        "old_password": temporary, "new_password1": "Suoi-Ma-Mua-Xuan-2026", "new_password2": "Suoi-Ma-Mua-Xuan-2026"})
    assert changed.status_code == 302
    assert not User.objects.get(pk=personas.leader.pk).must_change_password
    assert client.get(reverse("pages:home")).status_code == 200


def test_a_locked_account_gets_no_reset(personas, client_for):
    personas.leader.is_active = False
    personas.leader.save()
    client = client_for("dost_admin")
    response = client.post(reverse("accounts:user_temp_password", args=[personas.leader.pk]), follow=True)
    assert "Tài khoản đang bị khoá" in response.content.decode()
    assert not User.objects.get(pk=personas.leader.pk).must_change_password


def test_unknown_user_is_a_404(client_for):
    assert client_for("dost_admin").get(reverse("accounts:user_edit", args=[999999])).status_code == 404


def test_the_create_form_refuses_a_duplicate_email_in_any_case(personas, client_for):
    personas.staff.email = "canbo@langson.gov.vn"
    personas.staff.save()
    response = client_for("dost_admin").post(reverse("accounts:user_create"), {
        "username": "moi", "full_name": "Người Mới", "email": "CanBo@LangSon.gov.vn", "role": "leader", "agency": "",
        "password1": "Mat-Khau-Rat-Dai-2026", "password2": "Mat-Khau-Rat-Dai-2026"})
    assert "Thư điện tử này đã được dùng cho một tài khoản khác." in response.content.decode()
    assert not User.objects.filter(username="moi").exists()


def test_the_create_form_preselects_an_agency(personas, client_for):
    page = client_for("dost_admin").get(reverse("accounts:user_create"), {"agency": personas.agency_b.pk}).content.decode()
    assert f'<option value="{personas.agency_b.pk}" selected>' in page


# --- password rules --------------------------------------------------------------------------------


@pytest.mark.parametrize("password, message", [
    ("matkhau123", "quá phổ biến"),
    ("MatKhau123", "quá phổ biến"),
    ("piiplan-demo-2026", "quá phổ biến"),
    ("password123", "quá phổ biến"),
    ("ngan", "quá ngắn: cần ít nhất 10 ký tự"),
    ("98765432109876", "chỉ gồm chữ số"),
    ("nguyenvanmoi", "quá giống tên đăng nhập"),
])
def test_weak_passwords_are_refused_in_vietnamese(db, password, message):
    user = User(username="nguyenvanmoi", full_name="Nguyễn Văn Mới", email="moi@langson.gov.vn")
    with pytest.raises(ValidationError) as error:
        validate_password(password, user)
    assert any(message in text for text in error.value.messages)


def test_the_installations_demo_password_is_refused_for_real_accounts(db, monkeypatch):
    monkeypatch.setenv("PIIPLAN_DEMO_PASSWORD", "Dao-Mai-Lang-Son-2026")
    with pytest.raises(ValidationError, match="mật khẩu mẫu"):
        validate_password("dao-mai-lang-son-2026", User(username="x"))
    validate_password("Mot-Mat-Khau-Rieng-2026", User(username="x"))


def test_help_texts_are_vietnamese(db):
    from django.contrib.auth.password_validation import password_validators_help_texts

    texts = " ".join(password_validators_help_texts())
    assert "ít nhất 10 ký tự" in texts and "phổ biến" in texts and "chữ số" in texts and "giống" in texts


def test_the_reset_link_can_be_mailed_to_the_user(personas, client_for, mailoutbox):
    personas.leader.email = "lanhdao@langson.gov.vn"
    personas.leader.save()
    response = client_for("dost_admin").post(reverse("accounts:user_reset_link", args=[personas.leader.pk]),
                                             {"send": "1"})
    assert 'id="mailed"' in response.content.decode()
    path = _link_path(response)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["lanhdao@langson.gov.vn"] and message.subject == "Đặt lại mật khẩu piiplan"
    assert path in message.body and "một lần" in message.body
    # Without an address nothing is sent and the page says so.
    personas.staff.email = ""
    personas.staff.save()
    response = client_for("dost_admin").post(reverse("accounts:user_reset_link", args=[personas.staff.pk]),
                                             {"send": "1"})
    assert 'id="mail-failed"' in response.content.decode() and len(mailoutbox) == 1

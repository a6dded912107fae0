"""The administrator's changes to users and agencies: one function per change, each in one
transaction, guarded by the record's version (a stale form is refused, never overwrites) and written
to the audit log with the values before and after."""

from __future__ import annotations

import secrets

from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from piiplan.web.accounts import ratelimit
from piiplan.web.accounts.models import Agency, User
from piiplan.web.audit.log import record, snapshot
from piiplan.web.versioning import ConflictError, guarded_update  # noqa: F401 (views use svc.ConflictError)

USER_FIELDS = ["username", "full_name", "email", "role", "agency", "is_active", "must_change_password"]
AGENCY_FIELDS = ["code", "name", "kind", "email", "note", "active", "merged_into"]

USER = "Tài khoản này"
AGENCY = "Cơ quan, đơn vị này"


# Vietnamese names of the audit actions written by the accounts app (for the audit log page).
ACTION_LABELS = {
    "login": "Đăng nhập", "login_failed": "Đăng nhập sai", "login_blocked": "Đăng nhập bị chặn tạm thời",
    "logout": "Đăng xuất", "password_change": "Đổi mật khẩu", "password_reset": "Đặt lại mật khẩu bằng liên kết",
    "user_create": "Tạo tài khoản", "user_update": "Sửa tài khoản", "user_activate": "Mở khoá tài khoản",
    "user_deactivate": "Khoá tài khoản", "user_unlock_login": "Gỡ chặn đăng nhập",
    "user_reset_link": "Cấp liên kết đặt lại mật khẩu", "user_temp_password": "Cấp mật khẩu tạm thời",
    "agency_create": "Thêm cơ quan", "agency_update": "Sửa cơ quan", "agency_retire": "Ngừng hoạt động cơ quan",
    "agency_restore": "Khôi phục cơ quan", "agency_merge": "Gộp cơ quan", "agency_merge_into": "Nhận gộp cơ quan",
}


class AdminError(Exception):
    """A change that is refused; ``str()`` is the Vietnamese message. Nothing was changed."""


def _guarded_update(model, pk: int, expected_version, what: str, **changes):
    """``versioning.guarded_update``, then the record as saved. A stale form raises ``ConflictError``
    (not an ``AdminError``: views answer it with 409)."""
    guarded_update(model, pk, expected_version, what, **changes)
    return model._base_manager.get(pk=pk)


# --- users -----------------------------------------------------------------------------------------


def save_user(request, user: User, changes: dict, expected_version) -> User:
    """Change ``full_name``, ``email``, ``role``, ``agency`` of a user if nobody saved it meanwhile."""
    with transaction.atomic():
        before = snapshot(User.objects.get(pk=user.pk), USER_FIELDS)
        fresh = _guarded_update(User, user.pk, expected_version, USER, **changes)
        record(request, "user_update", fresh, before=before, after=snapshot(fresh, USER_FIELDS))
    return fresh


def set_user_active(request, user: User, active: bool, expected_version=None) -> User:
    if user.pk == request.user.pk and not active:
        raise AdminError("Không thể tự khoá tài khoản của chính mình.")
    with transaction.atomic():
        before = snapshot(User.objects.get(pk=user.pk), USER_FIELDS)
        version = user.version if expected_version is None else expected_version
        fresh = _guarded_update(User, user.pk, version, USER, is_active=active)
        action = "user_activate" if active else "user_deactivate"
        record(request, action, fresh, before=before, after=snapshot(fresh, USER_FIELDS))
    return fresh


def unlock_login(request, user: User) -> int:
    """Lift the login throttling of the user's username (every address)."""
    with transaction.atomic():
        removed = ratelimit.unlock(user.username)
        record(request, "user_unlock_login", user, note=f"Gỡ chặn đăng nhập ({removed} bộ đếm).")
    return removed


def reset_link(request, user: User) -> str:
    """A one-time link to choose a new password (Django's token: void once used, or after
    ``PASSWORD_RESET_TIMEOUT``). The link itself is not stored or logged."""
    if not user.is_active:
        raise AdminError("Tài khoản đang bị khoá: hãy mở khoá trước khi cấp liên kết đặt lại mật khẩu.")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    record(request, "user_reset_link", user, note="Cấp liên kết đặt lại mật khẩu dùng một lần.")
    return request.build_absolute_uri(path)


def mail_reset_link(user: User, link: str) -> bool:
    """E-mail the one-time link to the user's own address (Django's mail settings). False without an
    address or when the mail server refuses; the administrator then passes the link on by hand."""
    from django.conf import settings
    from django.core.mail import send_mail

    if not user.email:
        return False
    body = (
        f"Kính gửi {user.display_name},\n\n"
        f"Quản trị viên đã cấp cho tài khoản {user.username} một liên kết để đặt lại mật khẩu:\n\n{link}\n\n"
        "Liên kết chỉ dùng được một lần và hết hạn sau 3 ngày. Nếu bạn không đề nghị đặt lại mật khẩu, "
        "hãy báo ngay cho quản trị viên.\n"
    )
    try:
        send_mail("Đặt lại mật khẩu piiplan", body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:  # noqa: BLE001 - SMTP errors of every kind: the link is still shown
        return False
    return True


TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def temporary_password(request, user: User) -> str:
    """Give the user a random temporary password that must be changed at the next sign-in."""
    if not user.is_active:
        raise AdminError("Tài khoản đang bị khoá: hãy mở khoá trước khi cấp mật khẩu tạm thời.")
    password = "-".join("".join(secrets.choice(TEMP_ALPHABET) for _ in range(4)) for _ in range(3))
    with transaction.atomic():
        before = snapshot(User.objects.get(pk=user.pk), USER_FIELDS)
        fresh = User.objects.select_for_update().get(pk=user.pk)
        fresh.set_password(password)
        fresh.must_change_password = True
        fresh.version = F("version") + 1
        fresh.save(update_fields=["password", "must_change_password", "version"])
        fresh.refresh_from_db()
        ratelimit.unlock(fresh.username)
        record(request, "user_temp_password", fresh, before=before, after=snapshot(fresh, USER_FIELDS),
               note="Cấp mật khẩu tạm thời (phải đổi khi đăng nhập).")
    return password


# --- agencies --------------------------------------------------------------------------------------


def create_agency(request, data: dict) -> Agency:
    with transaction.atomic():
        agency = Agency.objects.create(**data)
        record(request, "agency_create", agency, after=snapshot(agency, AGENCY_FIELDS))
    return agency


def save_agency(request, agency: Agency, changes: dict, expected_version) -> Agency:
    with transaction.atomic():
        before = snapshot(Agency.all_objects.get(pk=agency.pk), AGENCY_FIELDS)
        fresh = _guarded_update(Agency, agency.pk, expected_version, AGENCY, **changes)
        record(request, "agency_update", fresh, before=before, after=snapshot(fresh, AGENCY_FIELDS))
    return fresh


def set_agency_active(request, agency: Agency, active: bool, expected_version) -> Agency:
    if active and agency.merged_into_id:
        raise AdminError(
            f"Cơ quan này đã được gộp vào {agency.merged_into.name}: không khôi phục được, công việc của nó đã chuyển sang đó."
        )
    if not active and agency.users.filter(is_active=True).exists():
        raise AdminError(
            "Cơ quan còn tài khoản đầu mối đang hoạt động: hãy khoá các tài khoản đó hoặc chuyển sang cơ quan khác "
            "(hoặc gộp cơ quan vào cơ quan khác) trước khi ngừng hoạt động."
        )
    with transaction.atomic():
        before = snapshot(Agency.all_objects.get(pk=agency.pk), AGENCY_FIELDS)
        fresh = _guarded_update(Agency, agency.pk, expected_version, AGENCY, active=active)
        record(request, "agency_restore" if active else "agency_retire", fresh,
               before=before, after=snapshot(fresh, AGENCY_FIELDS))
    return fresh


def _relations():
    """Every relation that points at an agency (foreign keys and many-to-many), found from the models
    so that one added later by another app is moved too."""
    for rel in Agency._meta.get_fields(include_hidden=True):
        if not (rel.is_relation and rel.auto_created and not rel.concrete):
            continue
        if rel.related_model is Agency or rel.related_model._meta.auto_created:
            continue  # merged_into itself; the hidden rows of an automatic many-to-many table
        yield rel


def merge_agency(request, source: Agency, target: Agency, expected_version) -> dict[str, int]:
    """Move everything of ``source`` (tasks, reports, users, models, …) to ``target``, then retire
    ``source`` with ``merged_into = target``. Its audit history stays under its own id."""
    if source.pk == target.pk:
        raise AdminError("Không thể gộp một cơ quan vào chính nó: hãy chọn cơ quan khác.")
    if not target.active or target.deleted_at is not None:
        raise AdminError(f"{target.name} đã ngừng hoạt động: hãy chọn một cơ quan đang hoạt động để gộp vào.")
    if source.merged_into_id:
        raise AdminError("Cơ quan này đã được gộp trước đó.")
    moved: dict[str, int] = {}
    try:
        with transaction.atomic():
            before = snapshot(Agency.all_objects.get(pk=source.pk), AGENCY_FIELDS)
            _guarded_update(Agency, source.pk, expected_version, AGENCY)  # claims the version first
            for rel in _relations():
                name = rel.field.name
                label = str(rel.related_model._meta.verbose_name_plural)
                rows = rel.related_model._base_manager.filter(**{name: source})
                if rel.many_to_many:
                    count = 0
                    for obj in rows:
                        manager = getattr(obj, name)
                        manager.remove(source)
                        manager.add(target)
                        count += 1
                else:
                    count = rows.update(**{name: target})
                if count:
                    moved[label] = moved.get(label, 0) + count
            fresh = Agency.all_objects.get(pk=source.pk)
            fresh.active, fresh.merged_into = False, target
            fresh.save(update_fields=["active", "merged_into"])
            note = "; ".join(f"{label}: {count}" for label, count in moved.items()) or "không có dữ liệu cần chuyển"
            record(request, "agency_merge", fresh, before=before, after=snapshot(fresh, AGENCY_FIELDS),
                   note=f"Gộp vào {target.name} (#{target.pk}). Đã chuyển {note}.")
            record(request, "agency_merge_into", target, note=f"Nhận gộp từ {source.name} (#{source.pk}): {note}.")
    except IntegrityError:
        raise AdminError(
            f"Không gộp được: {source.name} và {target.name} cùng có dữ liệu không thể gộp làm một "
            "(ví dụ cùng có báo cáo của một kỳ). Hãy xử lý phần trùng trước; chưa có gì bị thay đổi."
        ) from None
    return moved

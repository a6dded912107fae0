"""What the audit log says to people: Vietnamese action names, object names and field names.

The one mapping from the codes stored in ``AuditEntry`` (``report_return``, ``accounts.user``,
``{"is_active": false}``) to text (``Trả lại báo cáo``, ``Người dùng: Nguyễn Văn A``, ``Đang hoạt
động: Có → Không``). Codes not listed are composed from their words (``user_update`` → ``Sửa người
dùng``), so a new action added elsewhere still reads in Vietnamese.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from piiplan.numbers import MISSING

ACTIONS = {
    "login": "Đăng nhập",
    "logout": "Đăng xuất",
    "login_failed": "Đăng nhập sai mật khẩu",
    "login_blocked": "Chặn đăng nhập (sai quá nhiều lần)",
    "password_change": "Đổi mật khẩu",
    "user_create": "Tạo người dùng",
    "user_activate": "Mở khoá người dùng",
    "user_deactivate": "Khoá người dùng",
    "delete": "Xoá",
    "restore": "Khôi phục",
    "import_upload": "Tải lên tệp số liệu",
    "import_refused": "Từ chối tệp số liệu",
    "import_confirm": "Xác nhận nhập số liệu",
    "import_reject": "Huỷ lượt nhập số liệu",
    "dataset_import": "Nhập phiên bản dữ liệu",
    "dataset_activate": "Dùng phiên bản dữ liệu",
    "dataset_publish": "Công bố phiên bản dữ liệu",
    "dataset_unpublish": "Thôi công bố phiên bản dữ liệu",
    "dataset_export": "Xuất dữ liệu",
    "framework_import": "Nhập khung chỉ số",
    "framework_activate": "Dùng khung chỉ số",
    "scenario_create": "Tạo kịch bản",
    "scenario_update": "Sửa kịch bản",
    "optimise": "Tìm phương án nâng hạng",
    "plan_update": "Sửa kế hoạch",
    "target_update": "Sửa chỉ tiêu",
    "task_create": "Thêm nhiệm vụ",
    "task_update": "Sửa nhiệm vụ",
    "task_status": "Cập nhật tiến độ nhiệm vụ",
    "task_import": "Cập nhật nhiệm vụ từ phụ lục",
    "task_update_from_report": "Cập nhật nhiệm vụ theo báo cáo được chấp nhận",
    "appendix_export": "Tải phụ lục kế hoạch",
    "appendix_import": "Nhập phụ lục kế hoạch",
    "agency_template_download": "Tải biểu mẫu số liệu của cơ quan",
    "ministry_form_download": "Tải biểu nhập của Bộ KH&CN",
    "period_create": "Tạo kỳ báo cáo",
    "period_update": "Sửa kỳ báo cáo",
    "period_report": "Tải báo cáo gửi UBND",
    "reminder_letter": "Tải công văn đôn đốc",
    "send_reminders": "Gửi thư nhắc hạn",
    "report_create": "Lập báo cáo",
    "report_save": "Lưu báo cáo",
    "report_submit": "Gửi báo cáo",
    "report_return": "Trả lại báo cáo",
    "report_accept": "Chấp nhận, khoá báo cáo",
    "report_reopen": "Mở lại báo cáo",
    "report_template_import": "Nhập số liệu từ biểu mẫu Excel",
    "evidence_upload": "Tải lên minh chứng",
    "evidence_download": "Tải về minh chứng",
    "model_propose": "Đề xuất mô hình tiêu biểu",
    "model_publish": "Công bố mô hình tiêu biểu",
    "model_return": "Trả lại đề xuất mô hình",
    "clean_orphans": "Dọn tệp mồ côi",
    "mail_preference": "Đổi tuỳ chọn nhận thư điện tử",
    "email_enabled": "Bật/tắt nhận thư điện tử",
    "reminders_send": "Gửi thư nhắc hạn",
}

# Words of composed codes (``<object>_<verb>``).
VERBS = {
    "create": "Tạo", "update": "Sửa", "edit": "Sửa", "delete": "Xoá", "restore": "Khôi phục", "import": "Nhập",
    "export": "Xuất", "download": "Tải về", "upload": "Tải lên", "publish": "Công bố", "unpublish": "Thôi công bố",
    "activate": "Kích hoạt", "deactivate": "Khoá", "unlock": "Mở khoá", "lock": "Khoá", "merge": "Gộp",
    "retire": "Ngừng sử dụng", "rename": "Đổi tên", "reset": "Đặt lại", "send": "Gửi", "submit": "Gửi",
    "accept": "Chấp nhận", "return": "Trả lại", "reopen": "Mở lại", "review": "Duyệt", "save": "Lưu",
    "confirm": "Xác nhận", "reject": "Từ chối", "assign": "Giao", "run": "Chạy", "start": "Bắt đầu",
    "finish": "Hoàn thành", "fail": "Lỗi", "change": "Đổi", "preview": "Xem trước",
}
NOUNS = {
    "user": "người dùng", "agency": "cơ quan, đơn vị", "password": "mật khẩu", "role": "vai trò",
    "dataset": "phiên bản dữ liệu", "framework": "khung chỉ số", "scenario": "kịch bản", "plan": "kế hoạch",
    "target": "chỉ tiêu", "task": "nhiệm vụ", "period": "kỳ báo cáo", "report": "báo cáo",
    "evidence": "minh chứng", "model": "mô hình tiêu biểu", "reminder": "thư nhắc", "reminders": "thư nhắc",
    "notice": "thông báo", "notification": "thông báo", "email": "thư điện tử", "job": "tác vụ nền",
    "import": "lượt nhập", "appendix": "phụ lục", "template": "biểu mẫu", "settings": "cấu hình",
    "organisation": "cơ quan ban hành", "issuer": "cơ quan ban hành", "link": "liên kết", "login": "đăng nhập",
    "pathway": "lộ trình", "lever": "giải pháp", "gains": "lợi ích",
}

OBJECT_TYPES = {
    "accounts.user": "Người dùng",
    "accounts.agency": "Cơ quan, đơn vị",
    "accounts.loginfailure": "Lần đăng nhập sai",
    "plan.notice": "Thông báo",
    "plan.remindersent": "Thư nhắc đã gửi",
    "plan.taskprogress": "Tiến độ nhiệm vụ",
    "plan.indicatorvalue": "Số liệu chỉ số",
}

# Field names whose model gives no Vietnamese name (or keys of hand-made snapshots).
FIELDS = {
    "id": "Mã số", "version": "Phiên bản bản ghi", "progress": "Tiến độ nhiệm vụ", "values": "Số liệu chỉ số",
    "content_type": "Kiểu tệp", "size": "Dung lượng (byte)", "is_active": "Đang hoạt động",
    "first_name": "Tên", "last_name": "Họ", "email": "Thư điện tử", "username": "Tên đăng nhập",
    "last_login": "Lần đăng nhập cuối", "date_joined": "Ngày tạo", "is_staff": "Quản trị kỹ thuật",
    "is_superuser": "Toàn quyền", "groups": "Nhóm", "user_permissions": "Quyền", "password": "Mật khẩu",
}
HIDDEN_FIELDS = {"password"}


# Apps that keep the labels of their own actions beside them (one place each): merged in, theirs win.
APP_LABEL_MODULES = ("piiplan.web.accounts.admin_services", "piiplan.web.indexdata.jobs", "piiplan.web.plan.services")


def _app_labels() -> dict[str, str]:
    from importlib import import_module

    labels: dict[str, str] = {}
    for name in APP_LABEL_MODULES:
        try:
            labels.update(getattr(import_module(name), "ACTION_LABELS", {}))
        except ImportError:
            continue
    return labels


def action_label(code: str) -> str:
    known = {**ACTIONS, **_app_labels()}
    if code in known:
        return known[code]
    words = code.split("_")
    if len(words) >= 2 and words[-1] in VERBS and all(w in NOUNS for w in words[:-1]):
        return f"{VERBS[words[-1]]} {' '.join(NOUNS[w] for w in words[:-1])}"
    if len(words) >= 2 and words[0] in VERBS and all(w in NOUNS for w in words[1:]):
        return f"{VERBS[words[0]]} {' '.join(NOUNS[w] for w in words[1:])}"
    return code


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type: str) -> str:
    if not object_type:
        return ""
    if object_type in OBJECT_TYPES:
        return OBJECT_TYPES[object_type]
    model = _model(object_type)
    if model is None:
        return object_type
    name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]


def object_text(obj) -> str:
    if obj is None:
        return ""
    full_name = getattr(obj, "full_name", None)
    if isinstance(full_name, str) and full_name.strip():
        return full_name.strip()
    return str(obj)


def resolve_objects(entries) -> dict[tuple[str, str], Any]:
    """The live objects the entries point to, fetched with one query per object type."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        if entry.object_type and entry.object_id:
            wanted[entry.object_type].add(entry.object_id)
    found: dict[tuple[str, str], Any] = {}
    for object_type, ids in wanted.items():
        model = _model(object_type)
        if model is None:
            continue
        pks = []
        for value in ids:
            try:
                pks.append(model._meta.pk.to_python(value))
            except Exception:  # not this model's key (a failed login's username): nothing to resolve
                continue
        if not pks:
            continue
        for obj in model._base_manager.filter(pk__in=pks):
            found[(object_type, str(obj.pk))] = obj
    return found


def object_label(entry, objects: dict | None = None) -> str:
    """``Người dùng: Nguyễn Văn A`` (the object's current name, else the name when it was logged)."""
    if not entry.object_type:
        return ""
    obj = (objects or {}).get((entry.object_type, entry.object_id))
    name = object_text(obj) or entry.object_repr or (f"số {entry.object_id}" if entry.object_id else "")
    return f"{type_label(entry.object_type)}: {name}" if name else type_label(entry.object_type)


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        for field in model._meta.concrete_fields:
            if getattr(field, "attname", None) == name:
                return field
    return None


def field_label(model, name: str) -> str:
    field = _field(model, name)
    verbose = str(getattr(field, "verbose_name", "") or "")
    if verbose and verbose != name.replace("_", " "):
        return verbose[:1].upper() + verbose[1:]
    return FIELDS.get(name, name.replace("_", " "))


def value_text(value, field=None, related: dict | None = None) -> str:
    if value is None or value == "":
        return MISSING
    if field is not None and getattr(field, "choices", None):
        choices = {str(k): str(v) for k, v in field.flatchoices}
        if str(value) in choices:
            return choices[str(value)]
    if field is not None and isinstance(field, models.ForeignKey) and related is not None:
        obj = related.get((field.related_model._meta.label_lower, str(value)))
        if obj is not None:
            return object_text(obj)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, dict):
        return "; ".join(f"{k}: {value_text(v)}" for k, v in value.items()) or MISSING
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(v) for v in value) or MISSING
    return str(value)


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str
    changed: bool


def changes(entry, related: dict | None = None) -> list[Change]:
    """Field-by-field rows of an entry's before/after (changed fields first, in model order)."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    if not before and not after:
        return []
    model = _model(entry.object_type) if entry.object_type else None
    keys = list(dict.fromkeys([*before, *after]))
    rows = []
    for key in keys:
        if key in HIDDEN_FIELDS:
            continue
        field = _field(model, key)
        old = value_text(before.get(key), field, related) if entry.before is not None else ""
        new = value_text(after.get(key), field, related) if entry.after is not None else ""
        changed = entry.before is None or entry.after is None or before.get(key) != after.get(key)
        rows.append(Change(field_label(model, key), old, new, changed))
    rows.sort(key=lambda c: not c.changed)
    return rows


def related_objects(entries) -> dict[tuple[str, str], Any]:
    """Objects referred to by foreign keys inside the entries' before/after (one query per model)."""
    wanted: dict[str, set] = defaultdict(set)
    for entry in entries:
        model = _model(entry.object_type) if entry.object_type else None
        if model is None:
            continue
        for side in (entry.before, entry.after):
            if not isinstance(side, dict):
                continue
            for key, value in side.items():
                field = _field(model, key)
                if isinstance(field, models.ForeignKey) and value not in (None, ""):
                    wanted[field.related_model._meta.label_lower].add(value)
    found = {}
    for label, ids in wanted.items():
        model = _model(label)
        try:
            rows = model._base_manager.filter(pk__in=list(ids))
            found.update({(label, str(o.pk)): o for o in rows})
        except (ValueError, TypeError):
            continue
    return found

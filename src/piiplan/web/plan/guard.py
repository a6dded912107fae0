"""Optimistic locking for every editable plan record (plan, reporting periods, indicator targets,
exemplary models); tasks and reports use the same rule in ``services``.

A form carries the record's ``version``; the save is one conditional UPDATE (``… WHERE id = ? AND
version = ?``) that also bumps it, so of two people saving from the same version exactly one wins and
the other gets :class:`ConflictError` with a Vietnamese message instead of silently overwriting.
"""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

GUARDED_MESSAGE = (
    "{what} vừa được {who} cập nhật lúc {when} trong khi bạn đang sửa. Thay đổi của bạn chưa được lưu để "
    "không ghi đè lên thay đổi đó. Vui lòng xem lại nội dung mới nhất và nhập lại thay đổi của mình."
)


class ConflictError(Exception):
    """A stale save: the record changed since the form was opened. ``str()`` is Vietnamese."""


def conflict(instance, what: str) -> ConflictError:
    from piiplan.web.audit.models import AuditEntry

    label = f"{instance._meta.app_label}.{instance._meta.model_name}"
    last = AuditEntry.objects.filter(object_type=label, object_id=str(instance.pk)).order_by("-at", "-id").first()
    who = (last.username or "người khác") if last else "người khác"
    when = timezone.localtime(last.at).strftime("%H:%M %d/%m/%Y") if last else "vừa rồi"
    return ConflictError(GUARDED_MESSAGE.format(what=what, who=who, when=when))


def parse_version(value) -> int | None:
    """The version a form sent back, or None when it is missing or not a whole number ≥ 1."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 2**31 else None


def claim(instance, expected_version, what: str) -> int:
    """Bump ``instance``'s version if it is still ``expected_version``; return the new version.
    Call inside the transaction that saves the record's fields."""
    model = type(instance)
    manager = getattr(model, "all_objects", model.objects)
    version = parse_version(expected_version)
    updated = manager.filter(pk=instance.pk, version=version).update(version=F("version") + 1) if version else 0
    if not updated:
        raise conflict(instance, what)
    instance.version = version + 1
    return instance.version

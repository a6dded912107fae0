"""Optimistic locking: the one rule for every record two people may edit at once.

Every editable record (plan, periods, targets, exemplary models, tasks, agency reports, users, agencies,
scenarios, the issuing organisation) has a ``version``. A form carries the version it was opened at; the
save is one conditional UPDATE (``… WHERE id = ? AND version = ?``) that also bumps it, so of two people
saving from the same version exactly one wins, on SQLite and PostgreSQL alike, and the other gets
:class:`ConflictError` with a Vietnamese message saying who changed the record and when (from the audit
log) instead of silently overwriting it.
"""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

MESSAGE = (
    "{what} vừa được {who} cập nhật lúc {when} trong khi bạn đang sửa. Thay đổi của bạn chưa được lưu để "
    "không ghi đè lên thay đổi đó. Vui lòng xem lại nội dung mới nhất và nhập lại thay đổi của mình."
)


class ConflictError(Exception):
    """A stale save: the record changed since the form was opened. ``str()`` is Vietnamese."""


def parse_version(value) -> int | None:
    """The version a form sent back, or None when it is missing or not a whole number ≥ 1."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 2**31 else None


def conflict(model, pk, what: str) -> ConflictError:
    """The error for a stale save of record ``pk``: who saved it last and when, from the audit log."""
    from piiplan.web.audit.models import AuditEntry

    label = f"{model._meta.app_label}.{model._meta.model_name}"
    last = AuditEntry.objects.filter(object_type=label, object_id=str(pk)).order_by("-at", "-id").first()
    who = (last.username or "người khác") if last else "người khác"
    when = timezone.localtime(last.at).strftime("%H:%M %d/%m/%Y") if last else "vừa rồi"
    return ConflictError(MESSAGE.format(what=what, who=who, when=when))


def guarded_update(model, pk, expected_version, what: str, **changes) -> int:
    """Write ``changes`` to record ``pk`` and bump its version, if its version is still
    ``expected_version``; return the new version, else raise :class:`ConflictError`. Also stamps
    ``updated_at`` when the model has one. Call inside the transaction that audits the change."""
    version = parse_version(expected_version)
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        changes.setdefault("updated_at", timezone.now())
    rows = model._base_manager.filter(pk=pk, version=version) if version else None
    if rows is None or not rows.update(**changes, version=F("version") + 1):
        raise conflict(model, pk, what)
    return version + 1


def claim(instance, expected_version, what: str) -> int:
    """Bump ``instance``'s version if it is still ``expected_version`` (the caller then saves the fields
    in the same transaction); return the new version."""
    instance.version = guarded_update(type(instance), instance.pk, expected_version, what)
    return instance.version

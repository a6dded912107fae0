"""``record()``: the one way any app writes to the audit log."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.models import model_to_dict

if TYPE_CHECKING:
    from piiplan.web.audit.models import AuditEntry


def snapshot(obj: models.Model | None, fields: list[str] | None = None) -> dict | None:
    """A JSON-safe dict of a model instance's field values (for ``before`` / ``after``)."""
    if obj is None:
        return None
    data = model_to_dict(obj, fields=fields)
    for field in obj._meta.concrete_fields:
        # model_to_dict skips non-editable fields; the audit wants them (e.g. deleted_at).
        if (fields is None or field.name in fields) and field.name not in data:
            data[field.name] = field.value_from_object(obj)
    for key, value in list(data.items()):
        if isinstance(value, models.Model):
            data[key] = value.pk
        elif isinstance(value, (list, tuple)) and value and isinstance(value[0], models.Model):
            data[key] = [item.pk for item in value]
        elif hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
            data[key] = value.name or None
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def client_ip(request) -> str | None:
    """The real client address (``X-Forwarded-For`` only from ``PIIPLAN_TRUSTED_PROXIES``)."""
    if request is None:
        return None
    from piiplan.web.client_address import client_address

    return client_address(request)


def record(
    request=None,
    action: str = "",
    obj: models.Model | None = None,
    *,
    user=None,
    before: Any = None,
    after: Any = None,
    object_type: str | None = None,
    object_id: Any = None,
    note: str = "",
) -> AuditEntry:
    """Append one entry to the audit log.

    ``request`` (may be None, e.g. in management commands) gives the user and the IP;
    ``user`` overrides the request's user. ``obj`` fills the object type/id/representation;
    ``before``/``after`` are dicts (use :func:`snapshot`) or model instances.
    """
    if not action:
        raise ValueError("audit.record needs an action")
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if isinstance(before, models.Model):
        before = snapshot(before)
    if isinstance(after, models.Model):
        after = snapshot(after)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    # Looked up through the app registry: the models module imports this one (soft delete records here).
    return apps.get_model("audit", "AuditEntry").objects.create(
        user=user,
        username=getattr(user, "username", "") or "",
        action=action,
        # Truncated to the column sizes: some values (a failed login's username) come from users.
        object_type=(object_type or "")[:100],
        object_id=("" if object_id is None else str(object_id))[:64],
        object_repr=str(obj)[:200] if obj is not None else "",
        before=_jsonable(before),
        after=_jsonable(after),
        ip=client_ip(request),
        note=note,
    )


def _jsonable(value):
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))

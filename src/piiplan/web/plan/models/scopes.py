"""Object scopes shared by the plan's models (read by ``accounts.access.visible_to``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from piiplan.web.accounts.access import SEE_ALL, WRITE_ALL
from piiplan.web.accounts.models import Role

LEADER_READ_ONLY = "Lãnh đạo chỉ được xem, không được thay đổi."


def members_read_staff_write(queryset, user, role, write):
    """Rows every signed-in role may read (the plan, its targets, its periods); DoST staff write."""
    if write:
        if role in WRITE_ALL:
            return queryset
        if role == Role.LEADER:
            raise PermissionDenied(LEADER_READ_ONLY)
        return queryset.none()
    if role in SEE_ALL or role == Role.AGENCY:
        return queryset
    return queryset.none()


def staff_or_own(queryset, user, role, write, condition):
    """DoST staff: everything; leaders: read everything; agencies: rows matching ``condition(user)``."""
    if role in WRITE_ALL:
        return queryset
    if role == Role.LEADER:
        if write:
            raise PermissionDenied(LEADER_READ_ONLY)
        return queryset
    if role == Role.AGENCY and getattr(user, "agency_id", None):
        return queryset.filter(condition(user)).distinct()
    return queryset.none()

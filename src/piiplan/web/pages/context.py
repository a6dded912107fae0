"""Template context shared by every page: navigation, the province, the signed-in role."""

from __future__ import annotations

from django.conf import settings

from piiplan.web.accounts.access import user_role
from piiplan.web.accounts.models import ANONYMOUS, Role
from piiplan.web.pages.nav import nav_for


def workspace(request):
    user = getattr(request, "user", None)
    role = user_role(user)
    items = nav_for(user, request.path)
    return {
        "nav_main": [item for item in items if item["group"] == "main"],
        "nav_admin": [item for item in items if item["group"] == "admin"],
        "province": settings.PIIPLAN_PROVINCE,
        "issuer_parent": settings.PIIPLAN_ISSUER_PARENT,
        "issuer": settings.PIIPLAN_ISSUER,
        "user_role": role,
        "user_role_label": "Khách" if role == ANONYMOUS else Role(role).label,
    }

"""Template context shared by every page: navigation, the province, the signed-in role."""

from __future__ import annotations

from django.conf import settings

from piiplan.web.accounts.access import user_role
from piiplan.web.accounts.models import ANONYMOUS, Role
from piiplan.web.pages.nav import nav_for


class _Issuer:
    """The footer's issuing body, read from the documents' one source only when a page prints it."""

    def __init__(self):
        self._org = None

    def _get(self):
        if self._org is None:
            from piiplan.web.documents import organisation

            self._org = organisation()
        return self._org

    @property
    def parent(self):
        return self._get().superior

    @property
    def name(self):
        return self._get().name


def workspace(request):
    user = getattr(request, "user", None)
    role = user_role(user)
    items = nav_for(user, request.path)
    return {
        "nav_main": [item for item in items if item["group"] == "main"],
        "nav_admin": [item for item in items if item["group"] == "admin"],
        "province": settings.PIIPLAN_PROVINCE,
        "issuing": _Issuer(),
        "user_role": role,
        "user_role_label": "Khách" if role == ANONYMOUS else Role(role).label,
    }

"""Template context of every page from the plan app: the signed-in user's unread notices (header badge)."""

from __future__ import annotations


def notices(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from piiplan.web.plan.models import Notice

    return {"unread_notices": Notice.unread_for(user).count()}

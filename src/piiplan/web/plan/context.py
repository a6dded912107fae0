"""Template context of every page from the plan app: the signed-in user's unread notices (header badge)."""

from __future__ import annotations


def notices(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from piiplan.web.accounts.access import visible_to
    from piiplan.web.plan.models import Notice

    return {"unread_notices": visible_to(user, Notice).filter(read_at__isnull=True).count()}

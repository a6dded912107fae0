from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from piiplan.web.accounts.access import access
from piiplan.web.audit.models import AuditEntry

PAGE_SIZE = 50


@access("staff")
def log(request):
    entries = AuditEntry.objects.select_related("user")
    action = request.GET.get("action", "").strip()
    object_type = request.GET.get("object_type", "").strip()
    username = request.GET.get("user", "").strip()
    if action:
        entries = entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if username:
        entries = entries.filter(username__iexact=username)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "action": action,
        "object_type": object_type,
        "username": username,
        "actions": AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct(),
        "object_types": AuditEntry.objects.exclude(object_type="")
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct(),
    }
    return render(request, "audit/log.html", context)

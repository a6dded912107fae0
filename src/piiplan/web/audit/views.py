"""The audit log page (staff) and its CSV export: Vietnamese names, field-by-field changes,
filters by person, action, object type (and object) and date range."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from piiplan.web.accounts.access import access
from piiplan.web.audit import labels
from piiplan.web.audit.models import AuditEntry
from piiplan.web.csv_export import csv_response
from piiplan.numbers import MISSING

PAGE_SIZE = 50
CSV_LIMIT = 50_000


def _date(raw: str, name: str, errors: list[str]) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    for parse in (date.fromisoformat, lambda s: datetime.strptime(s, "%d/%m/%Y").date()):
        try:
            return parse(raw[:20])
        except ValueError:
            continue
    errors.append(f"{name} không hợp lệ: nhập ngày dạng ngày/tháng/năm (ví dụ 25/06/2026).")
    return None


def filtered(request):
    """The entries matching the request's filters, the filter values and the problems found."""
    get = request.GET
    errors: list[str] = []
    values = {key: get.get(key, "").strip()[:200] for key in ("action", "object_type", "object_id", "user")}
    start = _date(get.get("tu", ""), "Từ ngày", errors)
    end = _date(get.get("den", ""), "Đến ngày", errors)
    if start and end and start > end:
        errors.append("Từ ngày phải trước hoặc bằng Đến ngày.")
        start = end = None
    entries = AuditEntry.objects.select_related("user")
    if values["action"]:
        entries = entries.filter(action=values["action"])
    if values["object_type"]:
        entries = entries.filter(object_type=values["object_type"])
    if values["object_id"]:
        entries = entries.filter(object_id=values["object_id"])
    if values["user"]:
        entries = entries.filter(username__iexact=values["user"])
    zone = timezone.get_current_timezone()
    if start:
        entries = entries.filter(at__gte=datetime.combine(start, time.min, tzinfo=zone))
    if end:
        entries = entries.filter(at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone))
    values.update(tu=start.isoformat() if start else "", den=end.isoformat() if end else "")
    return entries, values, errors


def _choices():
    actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    types = (AuditEntry.objects.exclude(object_type="").order_by("object_type")
             .values_list("object_type", flat=True).distinct())
    users = (AuditEntry.objects.exclude(username="").order_by("username")
             .values_list("username", "user__full_name").distinct())
    people = {}
    for username, full in users:
        people[username] = f"{full} ({username})" if full and full != username else username
    return (
        sorted(((a, labels.action_label(a)) for a in actions), key=lambda x: x[1]),
        sorted(((t, labels.type_label(t)) for t in types), key=lambda x: x[1]),
        sorted(people.items(), key=lambda x: x[1]),
    )


def _person(entry) -> str:
    if entry.user is not None:
        full = labels.object_text(entry.user)
        return f"{full} ({entry.username})" if full != entry.username else entry.username
    return entry.username or MISSING


@access("staff")
def log(request):
    entries, values, errors = filtered(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page)
    objects = labels.resolve_objects(rows)
    related = labels.related_objects(rows)
    for entry in rows:
        entry.action_vi = labels.action_label(entry.action)
        entry.object_vi = labels.object_label(entry, objects)
        entry.person = _person(entry)
        entry.changes = labels.changes(entry, related)
    actions, types, people = _choices()
    query = urlencode({k: v for k, v in values.items() if v})
    context = {"page": page, "rows": rows, "values": values, "errors": errors, "actions": actions,
               "object_types": types, "people": people, "query": query}
    return render(request, "audit/log.html", context, status=400 if errors else 200)


@access("staff")
def log_csv(request):
    entries, values, errors = filtered(request)
    rows = list(entries[:CSV_LIMIT])
    objects = labels.resolve_objects(rows)
    related = labels.related_objects(rows)

    def lines():
        for e in rows:
            change = "; ".join(f"{c.field}: {c.before} → {c.after}" for c in labels.changes(e, related) if c.changed)
            yield [e.at, _person(e), labels.action_label(e.action), labels.type_label(e.object_type),
                   labels.object_label(e, objects), change, e.note, e.ip or ""]

    headers = ["Thời điểm", "Người thực hiện", "Hành động", "Loại đối tượng", "Đối tượng", "Thay đổi",
               "Ghi chú", "Địa chỉ IP"]
    return csv_response("nhat-ky-he-thong.csv", headers, lines())

"""The reminders page of a reporting period (issue 12.4): who will be reminded and why, the e-mail and
the letter each agency would get, "send now", and the history of what was sent (by this page or by
the scheduled ``manage.py send_reminders``: the same ``ReminderSent`` rows)."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.shortcuts import redirect, render

from piiplan.web.accounts.access import access, get_object_for_user
from piiplan.web.audit.log import record
from piiplan.web.plan import reminders as rem
from piiplan.web.plan.models import ReportingPeriod, today


@access("staff")
def period_reminders(request, pk):
    period = get_object_for_user(request, ReportingPeriod.objects.select_related("plan"), pk=pk)
    on = today()
    items = rem.period_items(period, on)
    if request.method == "POST":
        summary = rem.send_reminders(on, items=items, sent_by=request.user)
        record(request, "reminders_send", period,
               note=f"{len(summary.items)} việc, {summary.emails} thư, {summary.notices} thông báo")
        if summary.items:
            messages.success(request, f"Đã nhắc {len(summary.items)} việc: gửi {summary.emails} thư điện tử, "
                                      f"tạo {summary.notices} thông báo.")
        else:
            messages.info(request, "Không có lời nhắc mới nào cần gửi (các việc đến hạn đã được nhắc trước đó).")
        if summary.agencies_without_email:
            messages.warning(request, "Cơ quan chưa có địa chỉ thư điện tử (chỉ nhận thông báo trong hệ thống): "
                                      + ", ".join(summary.agencies_without_email))
        return redirect("plan:period_reminders", pk=period.pk)
    by_agency: dict[int, list] = defaultdict(list)
    for item in items:
        by_agency[item.agency.pk].append(item)
    letters = rem.letter_agencies(period, on)
    groups = []
    for group in by_agency.values():
        agency = group[0].agency
        for i in group:
            i.sent, i.label, i.text = rem.already_sent(i), rem.THRESHOLD_LABELS[i.threshold], i.line()[2:]
        pending = [i for i in group if not i.sent]
        groups.append({"agency": agency, "items": group, "pending": pending, "letter": agency.pk in letters,
                       "mail": rem.preview(agency, pending or group)})
    groups.sort(key=lambda g: g["agency"].name)
    history = list(rem.history(period)[:200])
    for h in history:
        h.label = rem.THRESHOLD_LABELS.get(h.threshold, h.threshold)
    return render(request, "plan/period_reminders.html", {
        "period": period, "groups": groups, "pending": sum(len(g["pending"]) for g in groups),
        "history": history, "today": on,
    })

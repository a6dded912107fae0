"""Reminders: e-mail and in-app notices 7 days and 1 day before deadlines and once when overdue.

Items are task deadlines (of the lead agency; recurring tasks by their next due date) and report
deadlines of open reporting periods (for each expected agency that has not submitted). A reminder is
recorded in ``ReminderSent`` (item × agency × threshold × due date, unique), so running the command
twice a day, or after a missed day, never sends the same reminder twice. Thresholds are windows, not
exact days: a task created 3 days before its deadline still gets its "7 days" reminder at once.

The reminders page of a period (views/reminders.py) lists the same items for that period
(:func:`period_items`), previews the e-mail and the letter, sends them now (``sent_by`` set) and shows
the history from the same ``ReminderSent`` rows the scheduled command writes. Nobody is reminded whose
report is already accepted, and the Department never reminds itself (:func:`is_department`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from piiplan.web.accounts.models import Agency
from piiplan.web.plan.models import (
    AgencyReport,
    Notice,
    ReminderSent,
    ReportingPeriod,
    ReportStatus,
    Task,
    TaskStatus,
)

THRESHOLD_LABELS = {"7": "còn 7 ngày", "1": "còn 1 ngày", "overdue": "đã quá hạn"}


def threshold_for(days_left: int) -> str | None:
    if days_left < 0:
        return "overdue"
    if days_left <= 1:
        return "1"
    if days_left <= 7:
        return "7"
    return None


@dataclass
class Item:
    kind: str  # "task" | "report"
    object_id: int
    agency: Agency
    due: date
    threshold: str
    title: str
    url: str
    days_left: int

    def line(self) -> str:
        when = f"hạn {self.due:%d/%m/%Y}"
        if self.threshold == "overdue":
            return f"- {self.title} ({when}, đã quá hạn {-self.days_left} ngày)"
        return f"- {self.title} ({when}, còn {self.days_left} ngày)"


@dataclass
class Summary:
    items: list[Item] = field(default_factory=list)
    emails: int = 0
    notices: int = 0
    skipped_already_sent: int = 0
    agencies_without_email: list[str] = field(default_factory=list)


def due_items(on: date) -> list[Item]:
    items: list[Item] = []
    tasks = Task.objects.filter(plan__deleted_at__isnull=True).exclude(status=TaskStatus.DONE).select_related("lead_agency")
    for task in tasks:
        due = task.due_date(on)
        if due is None:
            continue
        days = (due - on).days
        threshold = threshold_for(days)
        if threshold:
            items.append(Item("task", task.pk, task.lead_agency, due, threshold,
                              f"Nhiệm vụ {task.number}: {task.content[:120]}",
                              reverse("plan:task_detail", kwargs={"pk": task.pk}), days))
    for period in ReportingPeriod.objects.filter(closed=False, plan__deleted_at__isnull=True):
        days = (period.agency_deadline - on).days
        threshold = threshold_for(days)
        if not threshold:
            continue
        done = set(AgencyReport.objects.filter(period=period, status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
                   .values_list("agency_id", flat=True))
        for agency in period.expected_agencies():
            if agency.pk not in done:
                items.append(Item("report", period.pk, agency, period.agency_deadline, threshold,
                                  f"{period.title} gửi Sở Khoa học và Công nghệ", reverse("plan:dashboard"), days))
    return items


def is_department(agency: Agency) -> bool:
    """The issuing Department itself (its agency row, e.g. "Sở Khoa học và Công nghệ"): no reminder
    or letter goes from the Department to itself."""
    from piiplan.web.documents import issuer

    own = issuer()
    return (agency.name.strip().casefold() == own.name.strip().casefold()
            or agency.name.strip().casefold() == own.body.strip().casefold()
            or agency.code.strip().upper() == own.symbol.strip().upper())


def period_items(period: ReportingPeriod, on: date) -> list[Item]:
    """Reminders due for ``period`` on ``on``: the period's report and the tasks of its expected
    agencies, leaving out agencies whose report is accepted and the Department itself."""
    expected = {a.pk for a in period.expected_agencies() if not is_department(a)}
    accepted = set(AgencyReport.objects.filter(period=period, status=ReportStatus.ACCEPTED)
                   .values_list("agency_id", flat=True))
    tasks = set(Task.objects.filter(plan=period.plan).values_list("pk", flat=True))
    out = []
    for item in due_items(on):
        if item.agency.pk not in expected or item.agency.pk in accepted:
            continue
        if (item.kind == "report" and item.object_id == period.pk) or (item.kind == "task" and item.object_id in tasks):
            out.append(item)
    return out


def letter_agencies(period: ReportingPeriod, on: date) -> set[int]:
    """Agencies a reminder letter (công văn đôn đốc) may go to: something overdue (the period's report
    past its deadline, or a task past its deadline), report not accepted, not the Department itself."""
    return {i.agency.pk for i in period_items(period, on) if i.threshold == "overdue"}


def already_sent(item: Item) -> bool:
    return ReminderSent.objects.filter(kind=item.kind, object_id=item.object_id, agency=item.agency,
                                       threshold=item.threshold, due_date=item.due).exists()


def history(period: ReportingPeriod):
    """What was sent for the period (report reminders and reminders of the plan's tasks), newest first."""
    from django.db.models import Q

    tasks = list(Task.all_objects.filter(plan=period.plan).values_list("pk", flat=True))
    return (ReminderSent.objects.filter(Q(kind="report", object_id=period.pk) | Q(kind="task", object_id__in=tasks))
            .select_related("agency", "sent_by").order_by("-sent_at", "-id"))


def recipients(agency: Agency) -> list[str]:
    """The agency's mailbox and its focal points who did not turn e-mail off (plan.notify)."""
    from piiplan.web.plan.notify import agency_recipients

    return agency_recipients(agency, with_mailbox=True)


def _claim(item: Item, to: list[str], sent_by=None) -> bool:
    """Record the reminder; False if it was already recorded (sent earlier or by a concurrent run)."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(kind=item.kind, object_id=item.object_id, agency=item.agency,
                                        threshold=item.threshold, due_date=item.due, recipients=", ".join(to),
                                        sent_by=sent_by, title=item.title[:300])
    except IntegrityError:
        return False
    return True


def send_reminders(on: date, *, dry_run: bool = False, items: list[Item] | None = None, sent_by=None) -> Summary:
    """Send what is due on ``on`` (or just ``items``, from the reminders page, by ``sent_by``)."""
    summary = Summary()
    by_agency: dict[int, list[Item]] = defaultdict(list)
    for item in due_items(on) if items is None else items:
        if is_department(item.agency):
            continue
        if already_sent(item):
            summary.skipped_already_sent += 1
            continue
        by_agency[item.agency.pk].append(item)
    for group in by_agency.values():
        agency = group[0].agency
        to = recipients(agency)
        if dry_run:
            summary.items.extend(group)
            continue
        fresh = [item for item in group if _claim(item, to, sent_by)]
        summary.skipped_already_sent += len(group) - len(fresh)
        if not fresh:
            continue
        summary.items.extend(fresh)
        for item in fresh:
            Notice.objects.create(agency=agency, title=f"Nhắc hạn ({THRESHOLD_LABELS[item.threshold]}): {item.title}"[:200],
                                  body=item.line(), url=item.url)
            summary.notices += 1
        if to:
            send_mail(_subject(agency, fresh), _body(agency, fresh), settings.DEFAULT_FROM_EMAIL, to)
            summary.emails += 1
        else:
            summary.agencies_without_email.append(agency.name)
    overdue = [i for i in summary.items if i.threshold == "overdue"]
    if overdue and not dry_run:
        Notice.objects.create(for_dost=True, title=f"{len(overdue)} việc quá hạn mới của các cơ quan",
                              body="\n".join(f"{i.agency.name}: {i.line()[2:]}" for i in overdue)[:5000],
                              url=reverse("plan:dashboard"))
        summary.notices += 1
    return summary


def preview(agency: Agency, items: list[Item]) -> dict:
    """The e-mail an agency would get for ``items``: recipients, subject and body."""
    return {"to": recipients(agency), "subject": _subject(agency, items), "body": _body(agency, items)}


def _subject(agency: Agency, items: list[Item]) -> str:
    if any(i.threshold == "overdue" for i in items):
        return f"[PII {settings.PIIPLAN_PROVINCE}] {agency.name}: có việc đã quá hạn"
    return f"[PII {settings.PIIPLAN_PROVINCE}] {agency.name}: nhắc hạn nhiệm vụ, báo cáo"


def _body(agency: Agency, items: list[Item]) -> str:
    base = settings.SITE_URL.rstrip("/")
    lines = [f"Kính gửi: {agency.name}", "",
             "Sở Khoa học và Công nghệ xin nhắc các việc của Kế hoạch cải thiện và nâng cao Chỉ số PII:", ""]
    for item in sorted(items, key=lambda i: (i.due, i.title)):
        lines.append(item.line())
        lines.append(f"  {base}{item.url}")
    lines += ["", "Đề nghị quý cơ quan hoàn thành và cập nhật kết quả, minh chứng trên hệ thống.",
              "", "Thư này được gửi tự động từ piiplan; vui lòng không trả lời thư này."]
    return "\n".join(lines)

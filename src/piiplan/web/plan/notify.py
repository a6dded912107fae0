"""Who is told what: an in-app notice (always) and an e-mail (unless the user turned e-mail off on
their account page, ``MailPreference``) for each step of the reporting cycle.

* a report is submitted → DoST staff;
* a report is returned, accepted or reopened → the agency's focal points;
* a task is assigned to an agency (created, or its lead agency changed) → that agency's focal points;
* reminders (``reminders.py``) use :func:`agency_recipients` the same way.

E-mail goes through Django's mail settings (``EMAIL_*`` in settings, docs/deployment.md) after the
database transaction commits; a mail server that is down never undoes or breaks the step itself.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from piiplan.web.accounts.models import Agency, Role, User
from piiplan.web.plan.models import MailPreference, Notice

log = logging.getLogger(__name__)


def _wants_mail(users) -> list[str]:
    users = [u for u in users if u.email and u.email.strip()]
    off = set(MailPreference.objects.filter(user__in=users, email_enabled=False).values_list("user_id", flat=True))
    return sorted({u.email.strip() for u in users if u.pk not in off})


def dost_recipients() -> list[str]:
    return _wants_mail(User.objects.filter(is_active=True, role__in=[Role.DOST_STAFF, Role.DOST_ADMIN]))


def agency_recipients(agency: Agency, *, with_mailbox: bool = False) -> list[str]:
    """E-mail addresses of the agency's active focal points who accept e-mail (and, for reminders, the
    agency's own mailbox)."""
    emails = _wants_mail(agency.users.filter(is_active=True))
    if with_mailbox and agency.email and agency.email.strip():
        emails.append(agency.email.strip())
    return sorted(set(emails))


def mail(to: list[str], subject: str, body: str) -> None:
    """Send after the current transaction commits; a failure is logged, not raised."""
    if not to:
        return

    def deliver():
        try:
            send_mail(subject[:200], body, settings.DEFAULT_FROM_EMAIL, to)
        except Exception:  # an SMTP outage must not break the decision that was already saved
            log.exception("Không gửi được thư «%s» tới %s", subject, ", ".join(to))

    transaction.on_commit(deliver)


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _body(greeting: str, lines: list[str], path: str) -> str:
    return "\n".join([greeting, "", *lines, "", f"Xem chi tiết: {_link(path)}", "",
                      "Thư này được gửi tự động từ piiplan. Có thể tắt nhận thư tại trang «Tài khoản» "
                      f"({_link(reverse('plan:account'))})."])


def report_submitted(report) -> None:
    path = reverse("plan:report_detail", kwargs={"pk": report.pk})
    title = f"{report.agency.name} đã gửi {report.period.title.lower()}"
    Notice.objects.create(for_dost=True, title=title[:200], body="Báo cáo đang chờ Sở KH&CN duyệt.", url=path)
    mail(dost_recipients(), f"[PII {settings.PIIPLAN_PROVINCE}] {title}",
         _body("Kính gửi: Sở Khoa học và Công nghệ", [f"{title}; báo cáo đang chờ duyệt."], path))


DECISIONS = {
    "accept": ("Sở KH&CN đã chấp nhận {period}", "Báo cáo đã được chấp nhận và khoá."),
    "return": ("Sở KH&CN trả lại {period} để bổ sung", "Ý kiến của Sở KH&CN: {comment}"),
    "reopen": ("Sở KH&CN mở lại {period} để sửa", "Lý do mở lại: {comment}"),
}


def report_decided(report, decision: str, comment: str = "") -> None:
    path = reverse("plan:report_detail", kwargs={"pk": report.pk})
    head, line = DECISIONS[decision]
    title = head.format(period=report.period.title.lower())
    text = line.format(comment=comment)
    Notice.objects.create(agency=report.agency, title=title[:200], body=comment, url=path)
    mail(agency_recipients(report.agency), f"[PII {settings.PIIPLAN_PROVINCE}] {title}",
         _body(f"Kính gửi: {report.agency.name}", [title + ".", text], path))


def task_assigned(task) -> None:
    path = reverse("plan:task_detail", kwargs={"pk": task.pk})
    title = f"Cơ quan được giao chủ trì nhiệm vụ {task.number}: {task.content[:120]}"
    due = f"Thời hạn: {task.timing_text}." if task.timing_text else ""
    Notice.objects.create(agency=task.lead_agency, title=title[:200], body=due, url=path)
    mail(agency_recipients(task.lead_agency), f"[PII {settings.PIIPLAN_PROVINCE}] Giao nhiệm vụ {task.number}",
         _body(f"Kính gửi: {task.lead_agency.name}", [title + ".", due], path))

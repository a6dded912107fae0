"""``send_reminders``: 7 days and 1 day before deadlines and once when overdue, never twice; e-mail and notices."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from piiplan.web.plan.models import AgencyReport, Notice, ReminderSent, Task
from piiplan.web.plan.reminders import send_reminders, threshold_for


@pytest.mark.parametrize("days,expected", [(8, None), (7, "7"), (2, "7"), (1, "1"), (0, "1"), (-1, "overdue")])
def test_threshold_windows(days, expected):
    assert threshold_for(days) == expected


@pytest.fixture
def mailbox(world, personas, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    personas.agency_a.email = "so-thu-nghiem@langson.gov.vn"
    personas.agency_a.save()
    personas.agency.email = "daumoi@langson.gov.vn"
    personas.agency.save()
    return mail.outbox


def test_one_run_reminds_due_and_overdue_items_by_mail_and_notice(world, personas, mailbox):
    on = world.on
    summary = send_reminders(on)
    kinds = {(i.kind, i.object_id, i.agency.pk, i.threshold) for i in summary.items}
    # task_a due in 7 days (A), task_all overdue by 3 days (A), period deadline in 7 days for A (draft); B submitted.
    assert kinds == {("task", world.task_a.pk, personas.agency_a.pk, "7"),
                     ("task", world.task_all.pk, personas.agency_a.pk, "overdue"),
                     ("report", world.period.pk, personas.agency_a.pk, "7")}
    assert len(mailbox) == 1
    message = mailbox[0]
    assert sorted(message.to) == ["daumoi@langson.gov.vn", "so-thu-nghiem@langson.gov.vn"]
    assert "đã quá hạn" in message.subject and "Kính gửi: Sở Thử nghiệm" in message.body
    assert "đã quá hạn 3 ngày" in message.body and "còn 7 ngày" in message.body
    assert Notice.objects.filter(agency=personas.agency_a, title__startswith="Nhắc hạn").count() == 3
    assert Notice.objects.filter(for_dost=True, title__contains="quá hạn").count() == 1


def test_never_twice_for_the_same_item_and_threshold(world, personas, mailbox):
    send_reminders(world.on)
    again = send_reminders(world.on)
    assert again.items == [] and again.skipped_already_sent == 3 and len(mailbox) == 1
    # The next day the same thresholds still apply: nothing new.
    assert send_reminders(world.on + timedelta(days=1)).items == []
    # Six days later task_a and the report enter the 1-day window: one new reminder each.
    later = send_reminders(world.on + timedelta(days=6))
    assert {(i.kind, i.threshold) for i in later.items} == {("task", "1"), ("report", "1")}
    assert ReminderSent.objects.count() == 5


def test_done_tasks_and_submitted_reports_are_not_reminded(world, personas, mailbox):
    Task.objects.filter(pk__in=[world.task_a.pk, world.task_all.pk]).update(status="done")
    AgencyReport.objects.filter(pk=world.report_a.pk).update(status="submitted")
    assert send_reminders(world.on).items == []
    assert mailbox == []


def test_recurring_task_is_reminded_before_its_next_due_date(world, personas, mailbox):
    from piiplan.web.plan.models import next_due

    Task.objects.filter(pk=world.task_b.pk).update(recurrence="quarterly")
    due = next_due("quarterly", world.on)
    summary = send_reminders(due - timedelta(days=1))
    assert ("task", world.task_b.pk, "1") in {(i.kind, i.object_id, i.threshold) for i in summary.items}


def test_agency_without_email_still_gets_an_in_app_notice(world, personas):
    summary = send_reminders(world.on)
    assert summary.emails == 0 and personas.agency_a.name in summary.agencies_without_email
    assert Notice.objects.filter(agency=personas.agency_a).count() >= 3


def test_command_dry_run_and_date_option(world, personas, mailbox):
    out = StringIO()
    call_command("send_reminders", "--dry-run", "--date", world.on.strftime("%d/%m/%Y"), stdout=out)
    assert "Sẽ nhắc 3 việc" in out.getvalue() and ReminderSent.objects.count() == 0 and mailbox == []
    call_command("send_reminders", "--date", world.on.strftime("%d/%m/%Y"), stdout=out)
    assert "Đã nhắc 3 việc; gửi 1 thư" in out.getvalue()
    call_command("send_reminders", "--date", world.on.strftime("%d/%m/%Y"), stdout=out)
    assert "Đã nhắc 0 việc" in out.getvalue() and "bỏ qua 3 việc đã nhắc" in out.getvalue()


# --- the reminders page of a period (issue 12.4) ------------------------------------------------------


def test_reminders_page_lists_previews_sends_and_keeps_history(client_for, world, personas, mailbox):
    from django.urls import reverse

    page_url = reverse("plan:period_reminders", kwargs={"pk": world.period.pk})
    staff = client_for("dost_staff")
    page = staff.get(page_url).content.decode()
    # Agency A: its report due in 7 days and its overdue task; B submitted (its continuous task has no due date).
    assert "Sở Thử nghiệm" in page and "Xã Thử nghiệm" not in page.split('id="reminder-history"')[0]
    assert "đã quá hạn 3 ngày" in page and "Kính gửi: Sở Thử nghiệm" in page  # the e-mail preview
    assert reverse("plan:reminder_letter", kwargs={"pk": world.period.pk, "agency": personas.agency_a.pk}) in page
    assert "Chưa gửi lời nhắc nào." in page
    response = staff.post(page_url, follow=True)
    assert "Đã nhắc 3 việc: gửi 1 thư điện tử" in response.content.decode()
    assert len(mailbox) == 1 and ReminderSent.objects.filter(sent_by=personas.staff).count() == 3
    history = response.content.decode().split('id="reminder-history"')[1]
    assert "Cán bộ Sở" in history and "daumoi@langson.gov.vn" in history
    # The scheduled command finds nothing new and writes into the same history.
    assert send_reminders(world.on).items == []
    later = send_reminders(world.on + timedelta(days=6))
    assert later.items
    history = staff.get(page_url).content.decode().split('id="reminder-history"')[1]
    assert "Lịch tự động" in history


def test_no_reminder_or_letter_to_the_department_itself_or_an_accepted_agency(client_for, world, personas, mailbox):
    from django.urls import reverse

    from piiplan.web.plan.models import ReportStatus
    from piiplan.web.plan.reminders import letter_agencies, period_items

    assert letter_agencies(world.period, world.on) == {personas.agency_a.pk}
    AgencyReport.objects.filter(pk=world.report_a.pk).update(status=ReportStatus.ACCEPTED)
    assert period_items(world.period, world.on) == [] and letter_agencies(world.period, world.on) == set()
    detail = client_for("dost_staff").get(reverse("plan:period_detail", kwargs={"pk": world.period.pk})).content.decode()
    assert "Công văn đôn đốc" not in detail
    AgencyReport.objects.filter(pk=world.report_a.pk).update(status="draft")
    personas.agency_a.name, personas.agency_a.code = "Sở Khoa học và Công nghệ", "SKHCN"
    personas.agency_a.save()
    assert period_items(world.period, world.on) == []
    assert send_reminders(world.on).items == [] and mailbox == []
    letter = client_for("dost_staff").get(reverse("plan:reminder_letter",
                                                  kwargs={"pk": world.period.pk, "agency": personas.agency_a.pk}))
    assert letter.status_code == 302


def test_preference_off_keeps_the_notice_but_not_the_mail(world, personas, mailbox):
    from piiplan.web.plan.models import MailPreference

    MailPreference.objects.create(user=personas.agency, email_enabled=False)
    send_reminders(world.on)
    assert mailbox[0].to == ["so-thu-nghiem@langson.gov.vn"]  # the agency's mailbox only
    assert Notice.objects.filter(agency=personas.agency_a, title__startswith="Nhắc hạn").count() == 3

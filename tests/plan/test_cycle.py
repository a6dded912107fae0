"""The reporting cycle people trust (issue 12): autosave with the version check, evidence without losing
typed values, deliberate and reversible decisions, notices and e-mail, the landing page, data entry with
context and plausibility."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from piiplan.web.audit.models import AuditEntry
from piiplan.web.plan.models import AgencyReport, Evidence, IndicatorValue, MailPreference, Notice, ReportStatus
from tests.plan.test_reports import report_post
from tests.plan.world import PDF_BYTES

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def outbox(settings, personas, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Mail leaves after the step's transaction commits; each test runs inside one transaction that never
    # commits, so run the after-commit callbacks of plan.notify at once.
    from piiplan.web.plan import notify

    monkeypatch.setattr(notify.transaction, "on_commit", lambda callback, **kw: callback())
    for user, address in [(personas.staff, "canbo@skhcn.gov.vn"), (personas.admin, "quantri@skhcn.gov.vn"),
                          (personas.agency, "daumoi@so-a.gov.vn")]:
        user.email = address
        user.save()
    return mail.outbox


def url(name, obj):
    return reverse(name, kwargs={"pk": obj.pk})


# --- 12.1 no lost input ---------------------------------------------------------------------------


def test_autosave_answers_json_and_a_stale_autosave_gets_the_conflict_message(client_for, world):
    report = world.report_a
    agency = client_for("agency")
    first = agency.post(url("plan:report_save", report), report_post(report, summary="Bản nháp 1"), **JSON)
    assert first.status_code == 200
    body = first.json()
    assert body["ok"] and body["version"] == report.version + 1 and body["saved_at"]
    # 6,25 for 1.2.1 ("điểm (0–10)") is plausible; a jump far from last year's value is only a warning.
    assert body["findings"]["1.2.1"] == {"errors": [], "warnings": []}
    jump = agency.post(url("plan:report_save", report), dict(report_post(report), **{"v1.2.1-value": "0,5",
                                                                                        "version": body["version"]}),
                       **JSON).json()
    assert jump["ok"] and jump["findings"]["1.2.1"]["errors"] == []
    assert "giảm" in jump["findings"]["1.2.1"]["warnings"][0] and "so với năm trước" in jump["findings"]["1.2.1"]["warnings"][0]
    body = jump
    # Another tab still holds the old version: its autosave is refused, nothing is overwritten.
    stale = agency.post(url("plan:report_save", report), report_post(report, summary="Bản cũ"), **JSON)
    assert stale.status_code == 409
    assert stale.json()["conflict"] and "Báo cáo này vừa được" in stale.json()["errors"][0]
    assert AgencyReport.objects.get(pk=report.pk).summary == "Đã triển khai"
    bad = agency.post(url("plan:report_save", report), dict(report_post(report), **{"v1.2.1-value": "inf",
                                                                                       "version": body["version"]}),
                      **JSON)
    assert bad.status_code == 400 and "«inf» không phải là số hợp lệ" in bad.json()["errors"][0]


def test_attach_without_javascript_saves_the_typed_values_and_the_file(client_for, world):
    """The non-JS fallback: the evidence fields are part of the report form; nothing typed is lost."""
    report = world.report_a
    data = report_post(report, summary="Gõ trước khi đính kèm", attach="1")
    data["ev-file"] = SimpleUploadedFile("hoi-nghi.pdf", PDF_BYTES)
    data["ev-description"] = "Biên bản hội nghị"
    response = client_for("agency").post(url("plan:report_save", report), data)
    assert response.status_code == 302 and response["Location"].endswith("#evidence")
    report.refresh_from_db()
    assert report.summary == "Gõ trước khi đính kèm" and report.status == ReportStatus.DRAFT
    assert IndicatorValue.objects.get(report=report, indicator="1.2.1").value == 6.25
    assert Evidence.objects.filter(report=report, original_name="hoi-nghi.pdf", description="Biên bản hội nghị").exists()


def test_attach_with_javascript_returns_the_new_list_and_leaves_the_report_alone(client_for, world):
    report = world.report_a
    version = report.version
    response = client_for("agency").post(url("plan:evidence_upload", report),
                                         {"ev-file": SimpleUploadedFile("anh.pdf", PDF_BYTES)}, **JSON)
    assert response.status_code == 200
    assert "anh.pdf" in response.json()["html"] and "Minh chứng sở A.pdf" in response.json()["html"]
    assert AgencyReport.objects.get(pk=report.pk).version == version
    refused = client_for("agency").post(url("plan:evidence_upload", report),
                                        {"ev-file": SimpleUploadedFile("virus.exe", b"MZ")}, **JSON)
    assert refused.status_code == 400 and refused.json()["errors"]


def test_the_report_page_carries_the_autosave_and_leave_guard_scripts(client_for, world):
    page = client_for("agency").get(url("plan:report_detail", world.report_a)).content.decode()
    assert 'enctype="multipart/form-data"' in page and "plan/report.js" in page and "plan/guard.js" in page
    assert 'name="ev-file"' in page and 'placeholder="ngày/tháng/năm"' in page and "dd/mm/yyyy" not in page


# --- 12.2 deliberate, reversible decisions ------------------------------------------------------------


def test_review_has_no_default_and_needs_confirmation(client_for, world):
    report = world.report_b
    staff = client_for("dost_staff")
    page = staff.get(url("plan:report_detail", report)).content.decode()
    review = page.split('id="review"', 1)[1].split("</section>", 1)[0]
    assert 'type="radio"' in review and "checked" not in review
    staff.post(url("plan:report_review", report), {"version": report.version})
    assert AgencyReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    ask = staff.post(url("plan:report_review", report), {"decision": "accept", "version": report.version})
    assert ask.status_code == 200 and "Chấp nhận và khoá" in ask.content.decode()
    assert AgencyReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_staff_reopen_an_accepted_report_with_a_reason(client_for, world, personas, outbox):
    report = world.report_b
    staff = client_for("dost_staff")
    staff.post(url("plan:report_review", report), {"decision": "accept", "version": report.version, "confirm": "1"})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    page = staff.get(url("plan:report_detail", report)).content.decode()
    assert 'id="reopen"' in page
    empty = staff.post(url("plan:report_reopen", report), {"reason": "  ", "version": report.version, "confirm": "1"},
                       follow=True)
    assert "Phải ghi lý do mở lại báo cáo." in empty.content.decode()
    assert AgencyReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED
    staff.post(url("plan:report_reopen", report), {"reason": "Sai số liệu 6.2.4", "version": report.version,
                                                   "confirm": "1"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.editable
    assert AuditEntry.objects.filter(action="report_reopen", note="Sai số liệu 6.2.4").exists()
    assert Notice.objects.filter(agency=personas.agency_b, title__contains="mở lại").exists()
    assert client_for("leader").post(url("plan:report_reopen", report), {"reason": "x"}).status_code == 403



def test_a_refused_decision_keeps_the_comment_typed(client_for, world):
    """No decision chosen, or another reviewer decided first: the page comes back with the comment as typed
    (not a redirect that drops it); after a conflict it carries the current version."""
    report = world.report_b
    staff = client_for("dost_staff")
    comment = "Đề nghị bổ sung minh chứng cho chỉ số 7.2.2"
    missing = staff.post(url("plan:report_review", report), {"comment": comment, "version": report.version})
    assert missing.status_code == 400 and comment in missing.content.decode()
    assert "Chọn chấp nhận hoặc trả lại." in missing.content.decode()
    stale = staff.post(url("plan:report_review", report), {"decision": "return", "comment": comment,
                                                           "version": report.version + 5, "confirm": "1"})
    page = stale.content.decode()
    assert stale.status_code == 409 and "Báo cáo này vừa được" in page and comment in page
    review = page.split('id="review"', 1)[1].split("</section>", 1)[0]
    assert f'name="version" value="{report.version}"' in review
    assert AgencyReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    staff.post(url("plan:report_review", report), {"decision": "accept", "version": report.version, "confirm": "1"})
    report.refresh_from_db()
    reason = "Số liệu 6.2.4 cần đối chiếu lại với Cục Thống kê"
    stale = staff.post(url("plan:report_reopen", report), {"reason": reason, "version": report.version - 1,
                                                           "confirm": "1"})
    assert stale.status_code == 409 and reason in stale.content.decode()
    assert AgencyReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED

# --- 12.3 notifications -----------------------------------------------------------------------------


def test_submission_is_mailed_to_staff_and_decisions_to_the_agency(client_for, world, personas, outbox):
    report = world.report_a
    client_for("agency").post(url("plan:report_save", report), report_post(report, submit="1"))
    assert AgencyReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    (submitted,) = outbox
    assert sorted(submitted.to) == ["canbo@skhcn.gov.vn", "quantri@skhcn.gov.vn"]
    assert "Sở Thử nghiệm đã gửi" in submitted.subject and "/ke-hoach/bao-cao/" in submitted.body
    assert Notice.objects.filter(for_dost=True, title__contains="Sở Thử nghiệm đã gửi").exists()
    # The staff header shows the unread count; the agency turned e-mail off but still gets the notice.
    assert 'id="notice-count"' in client_for("dost_staff").get(reverse("plan:my_work")).content.decode()
    client_for("agency").post(reverse("plan:account"), {})
    assert MailPreference.wants_mail(personas.agency) is False
    report.refresh_from_db()
    client_for("dost_staff").post(url("plan:report_review", report),
                                  {"decision": "return", "comment": "Bổ sung", "version": report.version,
                                   "confirm": "1"})
    assert len(outbox) == 1
    assert Notice.objects.filter(agency=personas.agency_a, title__contains="trả lại").exists()
    client_for("agency").post(reverse("plan:account"), {"email_enabled": "on"})
    report.refresh_from_db()
    client_for("agency").post(url("plan:report_save", report), report_post(report, submit="1"))
    report.refresh_from_db()
    client_for("dost_staff").post(url("plan:report_review", report),
                                  {"decision": "accept", "version": report.version, "confirm": "1"})
    assert outbox[-1].to == ["daumoi@so-a.gov.vn"] and "đã chấp nhận" in outbox[-1].subject


def test_task_assignment_notifies_the_lead_agency(client_for, world, personas, outbox):
    from piiplan.web.plan.services import create_task

    class Request:
        user = personas.staff
        META = {}

    create_task(Request(), world.plan, {"number": 8, "content": "Nhập từ phụ lục", "lead_agency": personas.agency_a})
    assert outbox == []  # bulk creation (the appendix import) announces nothing
    task = create_task(Request(), world.plan, {"number": 9, "content": "Nhiệm vụ mới", "lead_agency": personas.agency_a},
                       announce=True)
    assert any("Giao nhiệm vụ 9" in m.subject for m in outbox)
    assert Notice.objects.filter(agency=personas.agency_a, title__contains="nhiệm vụ 9").exists()
    # Moved to agency B through the edit form: B is told.
    edit = reverse("plan:task_edit", kwargs={"pk": task.pk})
    form = client_for("dost_staff").get(edit).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(lead_agency=personas.agency_b.pk, version=task.version, indicators=[], coordinating_agencies=[])
    assert client_for("dost_staff").post(edit, data).status_code == 302
    assert Notice.objects.filter(agency=personas.agency_b, title__contains="nhiệm vụ 9").exists()


def test_unread_count_and_mark_read(client_for, world):
    agency = client_for("agency")
    page = agency.get(reverse("plan:notices")).content.decode()
    assert 'aria-label="Thông báo: 1 chưa đọc"' in page
    agency.post(reverse("plan:notice_read", kwargs={"pk": world.notice_a.pk}))
    assert Notice.objects.get(pk=world.notice_a.pk).read_at is not None
    assert 'aria-label="Thông báo: 0 chưa đọc"' in agency.get(reverse("plan:notices")).content.decode()



def test_read_state_is_each_persons_own(client_for, world, personas):
    """Two focal points of one agency: one reading a notice leaves it unread for the other; the same for
    DoST notices between two staff members. "Mark all read" marks only the reader's own."""
    from piiplan.web.accounts.models import Role, User

    second = User.objects.create_user(username="agency_2", password=personas.password, role=Role.AGENCY,
                                      agency=personas.agency_a)
    first, other = client_for("agency"), client_for(second)
    first.post(reverse("plan:notice_read", kwargs={"pk": world.notice_a.pk}))
    assert 'aria-label="Thông báo: 0 chưa đọc"' in first.get(reverse("plan:notices")).content.decode()
    page = other.get(reverse("plan:notices")).content.decode()
    assert 'aria-label="Thông báo: 1 chưa đọc"' in page and 'class="unread"' in page
    assert world.notice_a.title in other.get(reverse("plan:my_work")).content.decode()

    staff_2 = User.objects.create_user(username="staff_2", password=personas.password, role=Role.DOST_STAFF)
    Notice.objects.create(for_dost=True, title="Báo cáo mới của Sở Thử nghiệm")
    staff = client_for("dost_staff")
    before = staff.get(reverse("plan:notices")).context["unread_notices"]
    assert before >= 1 and client_for(staff_2).get(reverse("plan:notices")).context["unread_notices"] == before
    staff.post(reverse("plan:notices"))   # mark all read
    assert staff.get(reverse("plan:notices")).context["unread_notices"] == 0
    assert client_for(staff_2).get(reverse("plan:notices")).context["unread_notices"] == before

def test_login_lands_on_each_roles_pending_work(client, world, personas):
    response = client.post(reverse("accounts:login"), {"username": "staff", "password": personas.password})
    assert response["Location"] == reverse("plan:my_work")
    staff = client.get(reverse("plan:my_work")).content.decode()
    assert 'id="to-review"' in staff and "Xã Thử nghiệm — Báo cáo 6 tháng thử" in staff
    assert "Nhiệm vụ có các xã phối hợp" in staff  # task_all is overdue


def test_landing_page_per_role(client_for, world):
    agency = client_for("agency").get(reverse("plan:my_work")).content.decode()
    assert 'id="to-submit"' in agency and "Báo cáo 6 tháng thử" in agency and 'id="to-review"' not in agency
    leader = client_for("leader").get(reverse("plan:my_work")).content.decode()
    assert 'id="summary"' in leader and "Kế hoạch thử nghiệm" in leader
    admin = client_for("dost_admin").get(reverse("plan:my_work")).content.decode()
    assert 'id="account-items"' in admin and "Sở Thử nghiệm" in admin  # an agency without e-mail


# --- 12.7 data entry with context --------------------------------------------------------------------


def test_implausible_value_blocks_submission_with_a_vietnamese_reason(client_for, world):
    report = world.report_a
    data = report_post(report, submit="1")
    data["v1.2.1-value"] = "12,5"  # 1.2.1 is "điểm (0–10)"
    client_for("agency").post(url("plan:report_save", report), data)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert IndicatorValue.objects.get(report=report, indicator="1.2.1").value == 12.5  # the draft is kept
    page = client_for("agency").get(url("plan:report_detail", report)).content.decode()
    assert "nằm ngoài khoảng 0–10" in page and "sửa giá trị không hợp lý của chỉ số 1.2.1" in page
    assert "Đơn vị: điểm (0–10)" in page


# --- 13.8 every edit guarded, hostile values -------------------------------------------------------------


def test_periods_and_models_refuse_stale_saves_and_bad_values(client_for, world):
    from piiplan.web.plan.models import ExemplaryModel, ReportingPeriod

    staff = client_for("dost_staff")
    create = reverse("plan:period_create")
    for year, message in [(0, "Năm phải từ 2000"), (99999, "Năm không được sau 2100"), ("abc", "Năm phải là số nguyên")]:
        response = staff.post(create, {"kind": "half_year", "year": year})
        assert response.status_code == 400 and message in response.content.decode()
    period = world.period
    edit = url("plan:period_edit", period)
    data = {"kind": "half_year", "year": period.year, "title": "Tên kỳ mới", "cutoff": period.cutoff.strftime("%d/%m/%Y"),
            "agency_deadline": period.agency_deadline.strftime("%d/%m/%Y"), "version": period.version}
    assert staff.post(edit, data).status_code == 302
    stale = client_for("dost_admin").post(edit, dict(data, title="Tên khác"))
    assert stale.status_code == 409 and "Kỳ báo cáo vừa được" in stale.content.decode()
    assert ReportingPeriod.objects.get(pk=period.pk).title == "Tên kỳ mới"
    assert staff.post(edit, dict(data, version="abc")).status_code == 400

    model = world.model_b
    review = url("plan:model_review", model)
    bad = staff.post(review, {"decision": "publish", "version": "abc", "confirm": "1"}, follow=True)
    assert bad.status_code == 400 and "Phiên bản biểu mẫu không hợp lệ" in bad.content.decode()
    assert staff.post(review, {"decision": "publish", "version": model.version, "confirm": "1"}).status_code == 302
    stale = client_for("dost_admin").post(review, {"decision": "return", "comment": "Bổ sung số liệu năm 2025",
                                                   "version": model.version, "confirm": "1"})
    assert stale.status_code == 409 and "vừa được" in stale.content.decode()
    assert "Bổ sung số liệu năm 2025" in stale.content.decode()   # the comment typed comes back
    assert ExemplaryModel.objects.get(pk=model.pk).status == "published"
    page = staff.get(url("plan:model_detail", world.published)).content.decode()
    assert 'type="radio"' in page and "checked" not in page.split('id="review-form"')[-1].split("</form>")[0]


def test_hostile_query_strings_never_give_a_500(client_for, world):
    staff = client_for("dost_staff")
    tasks = url("plan:tasks", world.plan)
    assert staff.get(tasks, {"agency": "9" * 5000}).status_code == 200
    assert staff.get(tasks, {"agency": "abc", "status": "x" * 1000}).status_code == 200
    letter = reverse("plan:reminder_letter", kwargs={"pk": world.period.pk, "agency": world.task_a.lead_agency_id})
    assert staff.get(letter, {"han": "99/99/99999"}).status_code == 302
    report = world.report_a
    response = client_for("agency").post(url("plan:report_submit", report), {"version": "abc"}, follow=True)
    assert response.status_code == 200 and "Báo cáo này vừa được" in response.content.decode()


def test_notices_read_before_the_upgrade_stay_read_for_everyone_who_could_see_them(world, personas):
    import importlib

    from django.apps import apps

    from piiplan.web.plan.models import NoticeRead

    migration = importlib.import_module("piiplan.web.plan.migrations.0004_notice_read_per_person")
    Notice.objects.filter(pk=world.notice_a.pk).update(read_at=timezone.now())
    dost_notice = Notice.objects.create(for_dost=True, title="Đã đọc trước khi nâng cấp", read_at=timezone.now())
    unread = Notice.objects.create(agency=personas.agency_a, title="Chưa ai đọc")
    migration.keep_read_notices_read(apps, None)
    assert set(NoticeRead.objects.filter(notice=world.notice_a).values_list("user__username", flat=True)) == {"agency"}
    readers = set(NoticeRead.objects.filter(notice=dost_notice).values_list("user__username", flat=True))
    assert {"staff", "admin"} <= readers and "agency" not in readers and "leader" not in readers
    assert not NoticeRead.objects.filter(notice=unread).exists()
    assert not Notice.unread_for(personas.agency).filter(pk=world.notice_a.pk).exists()

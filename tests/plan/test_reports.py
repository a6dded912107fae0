"""Agency reports: draft → submitted → returned with a comment → resubmitted → accepted and locked; audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from piiplan.web.audit.models import AuditEntry
from piiplan.web.plan.forms import PeriodForm
from piiplan.web.plan.models import AgencyReport, IndicatorValue, Notice, Task, TaskProgress
from piiplan.web.plan.models.reporting import default_dates


def report_post(report, **extra):
    data = {"version": report.version, "summary": "Đã triển khai", "document_number": "15/BC-STN",
            "document_date": "18/06/2026", "signer": "Giám đốc Sở Thử nghiệm"}
    for row in report.progress.all():
        data[f"p{row.task_id}-status"] = "in_progress"
        data[f"p{row.task_id}-percent"] = "50"
        data[f"p{row.task_id}-done"] = "Đã tổ chức hội nghị đối thoại"
    for row in report.values.all():
        data[f"v{row.indicator}-value"] = "6,25"
        data[f"v{row.indicator}-source"] = "Báo cáo PCI 2025"
    data.update(extra)
    return data


def test_full_cycle_with_return_and_lock(client_for, world, personas):
    agency, staff = client_for("agency"), client_for("dost_staff")
    report = world.report_a
    assert {p.task_id for p in report.progress.all()} == {world.task_a.pk, world.task_all.pk}
    assert set(report.values.values_list("indicator", flat=True)) == {"1.2.1", "7.2.2"}
    url = lambda name: reverse(name, kwargs={"pk": report.pk})  # noqa: E731

    # Submitting without document number/date/signer is refused with the reasons.
    response = agency.post(url("plan:report_submit"), {"version": report.version}, follow=True)
    assert "thiếu số văn bản" in response.content.decode()
    assert AgencyReport.objects.get(pk=report.pk).status == "draft"

    response = agency.post(url("plan:report_save"), report_post(report, submit="1"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.document_number == "15/BC-STN"
    assert IndicatorValue.objects.get(report=report, indicator="1.2.1").value == 6.25
    # Submitted: the agency can no longer change it.
    agency.post(url("plan:report_save"), report_post(report, summary="sửa sau khi gửi"))
    assert AgencyReport.objects.get(pk=report.pk).summary == "Đã triển khai"

    # Returning needs a comment.
    staff.post(url("plan:report_review"), {"decision": "return", "comment": "", "version": report.version,
                                           "confirm": "1"})
    assert AgencyReport.objects.get(pk=report.pk).status == "submitted"
    staff.post(url("plan:report_review"), {"decision": "return", "comment": "Bổ sung minh chứng hội nghị.",
                                           "version": report.version, "confirm": "1"})
    report.refresh_from_db()
    assert report.status == "returned" and report.review_comment == "Bổ sung minh chứng hội nghị."
    assert Notice.objects.filter(agency=personas.agency_a, title__contains="trả lại").exists()
    page = agency.get(url("plan:report_detail")).content.decode()
    assert "Bổ sung minh chứng hội nghị." in page and "report-form" in page

    agency.post(url("plan:report_save"), report_post(report, summary="Đã bổ sung", submit="1"))
    report.refresh_from_db()
    assert report.status == "submitted"
    staff.post(url("plan:report_review"), {"decision": "accept", "comment": "", "version": report.version,
                                           "confirm": "1"})
    report.refresh_from_db()
    assert report.status == "accepted" and report.locked
    # Accepting copies the reported progress onto the tasks.
    assert Task.objects.get(pk=world.task_a.pk).percent == 50
    # Locked: neither the agency nor the DoST can change it any more.
    agency.post(url("plan:report_save"), report_post(report, summary="sau khi khoá"))
    staff.post(url("plan:report_review"), {"decision": "return", "comment": "mở lại", "version": report.version,
                                           "confirm": "1"})
    report.refresh_from_db()
    assert report.status == "accepted" and report.summary == "Đã bổ sung"
    page = agency.get(url("plan:report_detail")).content.decode()
    assert "report-locked" in page and "report-form" not in page and "evidence-form" not in page

    actions = list(AuditEntry.objects.filter(object_type="plan.agencyreport", object_id=str(report.pk))
                   .order_by("at", "id").values_list("action", flat=True))
    assert actions == ["report_save", "report_submit", "report_return", "report_save", "report_submit", "report_accept"]
    assert AuditEntry.objects.filter(action="report_return", note="Bổ sung minh chứng hội nghị.").exists()


def test_bad_numbers_are_reported_and_nothing_saved(client_for, world):
    report = world.report_a
    data = report_post(report)
    data[f"p{world.task_a.pk}-percent"] = "150"
    data["v1.2.1-value"] = "sáu"
    response = client_for("agency").post(reverse("plan:report_save", kwargs={"pk": report.pk}), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "tiến độ «150» phải là số nguyên từ 0 đến 100" in page and "giá trị «sáu» không phải là số" in page
    assert TaskProgress.objects.get(report=report, task=world.task_a).percent == 0


def test_stale_report_save_is_refused(client_for, world):
    report = world.report_a
    client = client_for("agency")
    first = report_post(report, summary="lần 1")
    second = report_post(report, summary="lần 2")
    client.post(reverse("plan:report_save", kwargs={"pk": report.pk}), first)
    second.update({f"v{row.indicator}-value": "7,5" for row in report.values.all()},
                  **{f"p{row.task_id}-done": "Đã ký kết hợp tác với trường đại học" for row in report.progress.all()})
    response = client.post(reverse("plan:report_save", kwargs={"pk": report.pk}), second)
    page = response.content.decode()
    assert response.status_code == 409 and "Báo cáo này vừa được" in page
    assert AgencyReport.objects.get(pk=report.pk).summary == "lần 1"
    # Nothing typed is lost (the page without JavaScript): every field shows the refused values...
    assert "lần 2" in page and 'value="7,5"' in page and "Đã ký kết hợp tác với trường đại học" in page
    # ...and carries the current version, so saving again (after reading the message) goes through.
    current = AgencyReport.objects.get(pk=report.pk).version
    assert f'name="version" value="{current}"' in page
    again = client.post(reverse("plan:report_save", kwargs={"pk": report.pk}), {**second, "version": current})
    assert again.status_code == 302 and AgencyReport.objects.get(pk=report.pk).summary == "lần 2"


def test_a_refused_value_keeps_everything_typed_on_the_page(client_for, world):
    report = world.report_a
    data = report_post(report, summary="Tóm tắt vừa gõ")
    codes = [row.indicator for row in report.values.all()]
    data[f"v{codes[0]}-value"] = "abc"
    data[f"v{codes[1]}-value"] = "12,75"
    response = client_for("agency").post(reverse("plan:report_save", kwargs={"pk": report.pk}), data)
    page = response.content.decode()
    assert response.status_code == 400 and "không phải là số hợp lệ" in page
    assert 'value="abc"' in page and 'value="12,75"' in page and "Tóm tắt vừa gõ" in page
    assert AgencyReport.objects.get(pk=report.pk).summary != "Tóm tắt vừa gõ"


def test_agency_opens_its_report_only_when_expected(client_for, personas, world):
    AgencyReport.objects.filter(pk=world.report_a.pk).delete()
    response = client_for("agency").post(reverse("plan:report_open", kwargs={"pk": world.period.pk}))
    report = AgencyReport.objects.get(period=world.period, agency=personas.agency_a)
    assert response["Location"] == reverse("plan:report_detail", kwargs={"pk": report.pk})
    assert report.progress.count() == 2
    world.period.agencies.set([personas.agency_b])
    AgencyReport.objects.filter(pk=report.pk).delete()
    refused = client_for("agency").post(reverse("plan:report_open", kwargs={"pk": world.period.pk}))
    assert refused.status_code == 403


@pytest.mark.parametrize("kind,cutoff,agency,ubnd", [
    ("half_year", date(2026, 6, 14), date(2026, 6, 17), date(2026, 6, 25)),
    ("year", date(2026, 12, 14), date(2026, 12, 17), date(2026, 12, 25)),
])
def test_period_defaults_follow_the_reporting_calendar(kind, cutoff, agency, ubnd, personas):
    assert default_dates(kind, 2026) == {"cutoff": cutoff, "agency_deadline": agency, "ubnd_deadline": ubnd}
    form = PeriodForm({"kind": kind, "year": 2026})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["ubnd_deadline"] == ubnd and form.cleaned_data["title"]


def test_ad_hoc_request_needs_its_own_deadline_and_content(client_for, world):
    form = PeriodForm({"kind": "ad_hoc", "year": 2026})
    assert not form.is_valid()
    assert "Báo cáo đột xuất cần ghi ngày này." in str(form.errors["agency_deadline"])
    response = client_for("dost_staff").post(reverse("plan:period_create"), {
        "kind": "ad_hoc", "year": 2026, "cutoff": "01/09/2026", "agency_deadline": "10/09/2026",
        "request": "Cung cấp số liệu chỉ số 2.2.2 theo Công văn của Bộ KH&CN."})
    assert response.status_code == 302
    page = client_for("agency").get(reverse("plan:periods")).content.decode()
    assert "Báo cáo đột xuất năm 2026" in page and "10/09/2026" in page


def test_values_shown_in_the_form_read_back_unchanged(client_for, world):
    from piiplan.web.plan.services import value_text

    report = world.report_a
    for value in (6.45, 1000.0, 0.000123, 123456.5):
        IndicatorValue.objects.filter(report=report, indicator="1.2.1").update(value=value)
        report.refresh_from_db()
        data = report_post(report)
        data["v1.2.1-value"] = value_text(value)
        data["v7.2.2-value"] = ""
        assert client_for("agency").post(reverse("plan:report_save", kwargs={"pk": report.pk}), data).status_code == 302
        assert IndicatorValue.objects.get(report=report, indicator="1.2.1").value == pytest.approx(value)
    assert value_text(6.45) == "6,45" and value_text(1000.0) == "1000" and value_text(None) == ""
    assert IndicatorValue.objects.get(report=report, indicator="7.2.2").value is None


@pytest.mark.parametrize("persona,name,obj", [
    ("dost_staff", "plan:report_detail", "report_b"),  # the review form of a submitted report
    ("agency", "plan:task_detail", "task_a"),  # the lead agency's progress form
    ("dost_staff", "plan:task_edit", "task_a"),
])
def test_version_is_a_hidden_input_without_a_visible_label(client_for, world, persona, name, obj):
    import re

    page = client_for(persona).get(reverse(name, kwargs={"pk": getattr(world, obj).pk})).content.decode()
    assert re.search(r'<input type="hidden" name="version" value="\d+"', page)
    assert not re.search(r">\s*Version\s*<", page)
    assert 'for="id_version"' not in page


def test_report_page_shows_the_dashboards_computed_status_labelled_with_its_date(client_for, world, personas):
    import re
    from datetime import timedelta

    from piiplan.web.plan.models import AgencyReport, ReportingPeriod
    from piiplan.web.plan.services import ensure_rows

    client = client_for("agency")
    # Current period (cut-off yesterday): task_all, due 3 days ago and not started, is overdue as on the dashboard.
    page = client.get(reverse("plan:report_detail", kwargs={"pk": world.report_a.pk})).content.decode()
    row = re.search(r'<tr data-task="2">.*?</tr>', page, re.S).group(0)
    assert 'class="computed-status" data-status="overdue"' in row and "Quá hạn" in row
    dashboard = client.get(reverse("plan:dashboard")).context
    assert next(r for r in dashboard["lead_rows"] if r["task"].pk == world.task_all.pk)["status"] == "overdue"
    # A past period (cut-off 40 days ago): not yet due then, overdue today — both shown, each with its date.
    old = ReportingPeriod.objects.create(plan=world.plan, kind="half_year", year=world.on.year, title="Kỳ cũ",
                                         cutoff=world.on - timedelta(days=40), agency_deadline=world.on - timedelta(days=37))
    report = AgencyReport.objects.create(period=old, agency=personas.agency_a)
    ensure_rows(report)
    page = client.get(reverse("plan:report_detail", kwargs={"pk": report.pk})).content.decode()
    row = re.search(r'<tr data-task="2">.*?</tr>', page, re.S).group(0)
    assert 'class="computed-status" data-status="not_started"' in row
    assert 'class="status-now" data-status="overdue"' in row
    assert f"Tình trạng đến ngày {(world.on - timedelta(days=40)):%d/%m/%Y}" in page

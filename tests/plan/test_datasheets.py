"""The plan's Excel sheets: the agency's data template (download → fill → upload into the dataset through
*Dữ liệu*, and into the agency's half-year report) and the Ministry's online-form sheet."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from piiplan.demo import load_demo
from piiplan.reports.agency_template import COLUMNS, META_SHEET, SHEET
from piiplan.web.audit.models import AuditEntry
from piiplan.web.indexdata import service
from piiplan.web.indexdata.models import DatasetVersion, ImportBatch
from piiplan.web.plan import services
from piiplan.web.plan.datasheets import agency_indicators
from piiplan.web.plan.models import IndicatorTarget, IndicatorValue, ReportStatus

HOME = "Lạng Sơn"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _fresh_memo():
    service.clear_memo()
    yield
    service.clear_memo()


def demo_value(code: str, year: int) -> float:
    v = load_demo().values
    return float(v[(v.unit == HOME) & (v.indicator == code) & (v.year == year)]["value"].iloc[0])


def template_rows(content: bytes) -> tuple[dict, dict[str, list]]:
    """(hidden metadata, {code: row values}) of a downloaded template."""
    wb = load_workbook(io.BytesIO(content))
    meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(values_only=True)}
    rows = {}
    for row in wb[SHEET].iter_rows(min_row=int(meta["first_row"]), values_only=True):
        if row[1]:
            rows[row[1]] = list(row)
    return meta, rows


def fill(content: bytes, values: dict[str, object], *, evidence: dict[str, tuple] | None = None) -> bytes:
    """The template with ``values`` typed into the yellow value cells (and evidence number/date/issuer)."""
    wb = load_workbook(io.BytesIO(content))
    meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(values_only=True)}
    ws = wb[SHEET]
    col = {key: j for j, key in enumerate(COLUMNS, start=1)}
    for r in range(int(meta["first_row"]), ws.max_row + 1):
        code = ws.cell(row=r, column=col["code"]).value
        if code in values:
            ws.cell(row=r, column=col["value"]).value = values[code]
        if evidence and code in evidence:
            number, when, issuer = evidence[code]
            ws.cell(row=r, column=col["evidence_number"]).value = number
            ws.cell(row=r, column=col["evidence_date"]).value = when
            ws.cell(row=r, column=col["evidence_issuer"]).value = issuer
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def download(client, world):
    response = client.get(reverse("plan:agency_template", kwargs={"pk": world.plan.pk}))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    return response.content


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- which indicators, and the download ---------------------------------------------------------


def test_indicators_follow_the_data_agency_else_the_lead_tasks(world, personas):
    assert agency_indicators(world.plan, personas.agency_a) == ["1.2.1", "7.2.2"]
    assert agency_indicators(world.plan, personas.agency_b) == ["6.2.4"]
    IndicatorTarget.objects.create(plan=world.plan, indicator="2.1.1", data_agency=personas.agency_b)
    assert agency_indicators(world.plan, personas.agency_b) == ["2.1.1"]


def test_agency_downloads_its_own_template_with_last_years_values(client_for, world, personas):
    meta, rows = template_rows(download(client_for("agency"), world))
    assert (meta["agency"], meta["agency_code"], meta["unit"], meta["year"]) == ("Sở Thử nghiệm", "TEST-SO", HOME, 2025)
    assert list(rows) == ["1.2.1", "7.2.2"]
    assert rows["1.2.1"][5] == pytest.approx(demo_value("1.2.1", 2024))   # last year's value
    assert rows["1.2.1"][6] is None                                       # the new value, to fill
    assert rows["1.2.1"][3] and rows["1.2.1"][4]                          # unit and source from the framework
    # An agency cannot ask for another agency's template.
    other = client_for("agency").get(reverse("plan:agency_template", kwargs={"pk": world.plan.pk}),
                                     {"co-quan": personas.agency_b.pk})
    assert template_rows(other.content)[0]["agency_code"] == "TEST-SO"


def test_staff_choose_the_agency(client_for, world, personas):
    url = reverse("plan:agency_template", kwargs={"pk": world.plan.pk})
    meta, rows = template_rows(client_for("dost_staff").get(url, {"co-quan": personas.agency_b.pk}).content)
    assert meta["agency_code"] == "TEST-XA" and list(rows) == ["6.2.4"]
    assert client_for("dost_staff").get(url).status_code == 404


def test_report_template_carries_the_periods_deadline(client_for, world):
    response = client_for("agency").get(reverse("plan:report_template", kwargs={"pk": world.report_a.pk}))
    wb = load_workbook(io.BytesIO(response.content))
    titles = " ".join(str(c.value) for row in wb[SHEET].iter_rows(max_row=5) for c in row if c.value)
    assert f"Hạn gửi: {world.period.agency_deadline:%d/%m/%Y}" in titles
    html = client_for("agency").get(reverse("plan:report_detail", kwargs={"pk": world.report_a.pk})).content.decode()
    assert reverse("plan:report_template", kwargs={"pk": world.report_a.pk}) in html and 'id="template-form"' in html


# --- (a) round trip through the Dữ liệu import ----------------------------------------------------


def test_round_trip_through_the_data_import(client_for, world):
    filled = fill(download(client_for("agency"), world), {"1.2.1": 8.5, "7.2.2": 3},
                  evidence={"1.2.1": ("15/BC-STN", date(2026, 6, 20), "Sở Thử nghiệm")})
    staff = client_for("dost_staff")
    response = staff.post(reverse("indexdata:datasets"),
                          {"file": SimpleUploadedFile("bieu-mau-so-a.xlsx", filled), "kind": ""}, follow=True)
    batch = ImportBatch.objects.get()
    assert batch.kind == ImportBatch.Kind.AGENCY_TEMPLATE and batch.problems == []
    html = response.content.decode()
    assert "Biểu mẫu số liệu của cơ quan: <strong>Sở Thử nghiệm</strong> (1 giá trị có văn bản minh chứng)" in html
    assert batch.summary["cells_in_file"] == 2 and batch.summary["changed"] == 2 and batch.summary["years"] == [2025]
    assert DatasetVersion.objects.count() == 0                        # nothing imported before confirmation

    staff.post(reverse("indexdata:import_confirm", kwargs={"pk": batch.pk}))
    values = service.current_dataset().values
    mine = values[(values.unit == HOME) & (values.year == 2025)].set_index("indicator")["value"]
    assert mine["1.2.1"] == 8.5 and mine["7.2.2"] == 3.0
    assert mine["1.1.1"] == pytest.approx(demo_value("1.1.1", 2025))  # the rest is kept
    other = values[(values.unit == "Hà Nội") & (values.year == 2025) & (values.indicator == "1.2.1")]["value"]
    assert float(other.iloc[0]) == pytest.approx(float(load_demo().values.query(
        "unit == 'Hà Nội' and year == 2025 and indicator == '1.2.1'")["value"].iloc[0]))
    assert service.results(2025).stage("raw").at[HOME, "1.2.1"] == 8.5


def test_broken_template_in_the_data_import_lists_every_problem(client_for, world):
    filled = fill(download(client_for("agency"), world), {"1.2.1": "12 tỷ", "7.2.2": "=1+2"})
    response = client_for("dost_staff").post(reverse("indexdata:datasets"),
                                             {"file": SimpleUploadedFile("so-a.xlsx", filled), "kind": ""}, follow=True)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REJECTED and len(batch.problems) == 2
    first = batch.problems[0]
    assert first["file"] == "so-a.xlsx" and first["sheet"] == SHEET and first["column"].startswith("G (Giá trị năm 2025")
    assert "chứa chữ «12 tỷ», không phải số" in first["message"]
    assert "chứa công thức" in batch.problems[1]["message"]
    assert "Xác nhận nhập" not in response.content.decode()
    assert DatasetVersion.objects.count() == 0


def test_template_for_a_year_without_data_is_refused(client_for, world, tmp_path):
    from piiplan.reports import write_agency_template
    from piiplan.reports.model import AgencyTemplate, TemplateIndicator

    path = write_agency_template(AgencyTemplate("Sở Thử nghiệm", "TEST-SO", HOME, 2031,
                                                [TemplateIndicator("1.2.1", "Chỉ số")]), tmp_path / "t.xlsx")
    filled = fill(path.read_bytes(), {"1.2.1": 5})
    client_for("dost_staff").post(reverse("indexdata:datasets"), {"file": SimpleUploadedFile("t.xlsx", filled)})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REJECTED
    assert "Năm 2031 chưa có trong bộ dữ liệu đang dùng" in batch.problems[0]["message"]


# --- (b) round trip into the agency's report -------------------------------------------------------


def upload_to_report(client, report, content: bytes, name: str = "bieu-mau.xlsx"):
    return client.post(reverse("plan:report_template_import", kwargs={"pk": report.pk}),
                       {"file": SimpleUploadedFile(name, content)}, follow=True)


def test_round_trip_into_the_agencys_report(client_for, world):
    agency = client_for("agency")
    content = agency.get(reverse("plan:report_template", kwargs={"pk": world.report_a.pk})).content
    filled = fill(content, {"1.2.1": 7.25}, evidence={"1.2.1": ("15/BC-STN", date(2026, 6, 20), "Sở Thử nghiệm")})
    version = world.report_a.version
    response = upload_to_report(agency, world.report_a, filled)
    assert "Đã nhập 1 giá trị chỉ số từ «bieu-mau.xlsx»" in " ".join(messages_of(response))
    row = IndicatorValue.objects.get(report=world.report_a, indicator="1.2.1")
    assert row.value == 7.25 and row.source == "Số 15/BC-STN ngày 20/06/2026, Sở Thử nghiệm"
    assert IndicatorValue.objects.get(report=world.report_a, indicator="7.2.2").value is None
    world.report_a.refresh_from_db()
    assert world.report_a.version == version + 1 and world.report_a.status == ReportStatus.DRAFT
    entry = AuditEntry.objects.filter(action="report_template_import").get()
    assert entry.object_id == str(world.report_a.pk)
    # The report page shows the value in its form (decimal comma) for the agency to check and submit.
    html = response.content.decode()
    assert 'name="v1.2.1-value" value="7,25"' in html


def test_implausible_template_values_are_refused_naming_the_cell(client_for, world):
    """The plausibility rules (analysis.plausibility) apply to the template import too."""
    agency = client_for("agency")
    response = upload_to_report(agency, world.report_a, fill(download(agency, world), {"1.2.1": 1234.5}))
    text = " ".join(messages_of(response))
    assert "Chưa nhập được biểu mẫu (1 lỗi); báo cáo không thay đổi." in text
    assert "cột «G" in text and "Chỉ số 1.2.1: Giá trị 1.234,5 nằm ngoài khoảng 0–10" in text
    assert not IndicatorValue.objects.filter(report=world.report_a, value__isnull=False).exists()


def test_errors_in_the_report_upload_change_nothing(client_for, world):
    agency = client_for("agency")
    content = download(agency, world)
    response = upload_to_report(agency, world.report_a, fill(content, {"1.2.1": "mười"}))
    text = " ".join(messages_of(response))
    assert "Chưa nhập được biểu mẫu (1 lỗi); báo cáo không thay đổi." in text
    assert "trang tính «Số liệu», dòng" in text and "chứa chữ «mười», không phải số" in text
    assert not IndicatorValue.objects.filter(report=world.report_a, value__isnull=False).exists()


def test_another_agencys_template_is_refused(client_for, world, personas):
    content = client_for("dost_staff").get(reverse("plan:agency_template", kwargs={"pk": world.plan.pk}),
                                           {"co-quan": personas.agency_b.pk}).content
    response = upload_to_report(client_for("agency"), world.report_a, fill(content, {"6.2.4": 1}))
    assert "là của cơ quan khác (mã TEST-XA)" in " ".join(messages_of(response))
    assert not IndicatorValue.objects.filter(report=world.report_a, value__isnull=False).exists()


def test_not_a_template_and_a_submitted_report_are_refused(client_for, world, personas):
    agency = client_for("agency")
    response = upload_to_report(agency, world.report_a, b"unit,indicator\n", name="so-lieu.csv")
    assert "không phải biểu mẫu Excel (.xlsx)" in " ".join(messages_of(response))
    # A submitted report is locked for the agency.
    world.report_a.__class__.objects.filter(pk=world.report_a.pk).update(status=ReportStatus.SUBMITTED)
    filled = fill(download(agency, world), {"1.2.1": 2})
    response = upload_to_report(agency, world.report_a, filled)
    assert "không nhập số liệu được" in " ".join(messages_of(response))
    assert not IndicatorValue.objects.filter(report=world.report_a, value__isnull=False).exists()


# --- the Ministry's online form -----------------------------------------------------------------


def accept_b_with_value(world, personas, value: float):
    class R:
        user = personas.staff
        META = {}

    IndicatorValue.objects.filter(report=world.report_b, indicator="6.2.4").update(value=value, source="Số 9/BC-UBND")
    world.report_b.evidence.update(document_number="77/QĐ-UBND", document_date=date(2026, 5, 4),
                                   issuer="UBND xã B", indicator="6.2.4")
    world.report_b.progress.update(done="Đã làm", status="in_progress", percent=50)
    services.review_report(R(), world.report_b, True, "", world.report_b.version)


def test_ministry_form_lists_values_with_evidence_and_lead_agencies(client_for, world, personas):
    accept_b_with_value(world, personas, 42.0)
    response = client_for("dost_staff").get(reverse("plan:ministry_form", kwargs={"pk": world.plan.pk}))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "bieu-nhap-bo-khcn-lang-son-2025.xlsx" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content))["Nhập liệu"]
    rows = {r[1]: r for r in ws.iter_rows(values_only=True) if r[1] and str(r[1])[0].isdigit()}
    assert len(rows) == 52 and list(rows)[:3] == ["1.1.1", "1.1.2", "1.1.3"]
    assert rows["1.2.1"][4] == pytest.approx(demo_value("1.2.1", 2025))
    assert rows["1.2.1"][6] == "Sở Thử nghiệm"                          # lead agency of the task
    assert rows["6.2.4"][5] == "Số 9/BC-UBND; Số 77/QĐ-UBND ngày 04/05/2026, UBND xã B"
    assert rows["6.2.4"][7] == "Xã Thử nghiệm báo cáo 42 (Báo cáo 6 tháng thử), chưa nhập vào Dữ liệu"
    assert rows["1.1.1"][5] is None and rows["1.1.1"][7] is None


def test_ministry_form_is_linked_for_staff_on_the_data_page(client_for, world):
    url = reverse("plan:ministry_form", kwargs={"pk": world.plan.pk})
    assert url in client_for("dost_staff").get(reverse("indexdata:datasets")).content.decode()
    assert url not in client_for("leader").get(reverse("indexdata:datasets")).content.decode()
    assert url in client_for("dost_staff").get(reverse("plan:dashboard")).content.decode()

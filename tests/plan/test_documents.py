"""The report the Department signs, read back from the produced DOCX: issuing organisation (one source,
edited by the admin), the composer, frozen periods, and every defect of issue 11."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import docx
import pytest
from django.urls import reverse
from docx.oxml.ns import qn

from piiplan.web.audit.models import AuditEntry
from piiplan.web.plan.models import IssuingOrganisation, PeriodSnapshot, ReportSection
from tests.plan.test_outputs import accept_b, text_of

ORG = {"superior": "UBND TỈNH LẠNG SƠN", "name": "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "name_in_text": "",
       "symbol": "SKHCN", "place": "Lạng Sơn", "signer_form": "KT", "head_title": "GIÁM ĐỐC",
       "signer_title": "PHÓ GIÁM ĐỐC", "signer_name": "Nguyễn Văn An", "drafting_unit": "QLKH"}


def _report_docx(client, period):
    response = client.get(reverse("plan:period_report", kwargs={"pk": period.pk}))
    assert response.status_code == 200
    return response.content


def _lines(content: bytes) -> list[str]:
    return text_of(content).splitlines()


def test_admin_edits_the_issuing_organisation_and_every_document_follows(client_for, world):
    admin = client_for("dost_admin")
    page = admin.get(reverse("plan:organisation"))
    assert page.status_code == 200 and "Cơ quan ban hành văn bản" in page.content.decode()
    response = admin.post(reverse("plan:organisation"), {**ORG, "version": "0"})
    assert response.status_code == 302
    row = IssuingOrganisation.objects.get(province="Lạng Sơn")
    assert row.signer_name == "Nguyễn Văn An" and row.version == 1
    assert AuditEntry.objects.filter(action="organisation_update").count() == 1
    text = text_of(_report_docx(client_for("dost_staff"), world.period))
    assert "Nguyễn Văn An" in text and "- Lưu: VT, QLKH." in text and "KT. GIÁM ĐỐC" in text
    letter = client_for("dost_staff").get(reverse("plan:reminder_letter", kwargs={
        "pk": world.period.pk, "agency": world.report_a.agency.pk}))
    assert "Nguyễn Văn An" in text_of(letter.content)


@pytest.mark.parametrize("field,value,message", [
    ("signer_name", "", None),  # optional: accepted
    ("name", "  ", "không được để trống"),
    ("symbol", "S KHCN", "không có dấu cách"),
    ("signer_form", "XX", "Hình thức ký «XX» không hợp lệ"),
])
def test_bad_organisation_input_is_refused_in_vietnamese_and_changes_nothing(client_for, world, field, value, message):
    admin = client_for("dost_admin")
    admin.post(reverse("plan:organisation"), {**ORG, "version": "0"})
    response = admin.post(reverse("plan:organisation"), {**ORG, field: value, "version": "1"})
    row = IssuingOrganisation.objects.get(province="Lạng Sơn")
    if message is None:
        assert response.status_code == 302 and row.version == 2
        return
    assert response.status_code == 400 and message in response.content.decode()
    assert row.version == 1 and getattr(row, field) == ORG[field]
    assert AuditEntry.objects.filter(action="organisation_update").count() == 1


def test_two_admins_saving_the_organisation_from_one_version_one_wins(client_for, world):
    first, second = client_for("dost_admin"), client_for("dost_admin")
    first.post(reverse("plan:organisation"), {**ORG, "version": "0"})
    assert first.post(reverse("plan:organisation"), {**ORG, "signer_name": "Trần Thị Bình", "version": "1"}) \
        .status_code == 302
    stale = second.post(reverse("plan:organisation"), {**ORG, "signer_name": "Lê Văn Cường", "version": "1"})
    body = stale.content.decode()
    assert stale.status_code == 400 and "Thông tin cơ quan ban hành vừa được" in body
    assert "Lê Văn Cường" in body  # what the second admin typed is still in the form
    row = IssuingOrganisation.objects.get(province="Lạng Sơn")
    assert row.signer_name == "Trần Thị Bình" and row.version == 2
    # a second "first save" (the page was opened before any row existed) is stale too
    late = second.post(reverse("plan:organisation"), {**ORG, "version": "0"})
    assert late.status_code == 400 and IssuingOrganisation.objects.get(province="Lạng Sơn").version == 2


def test_workspace_province_changes_the_issuing_body_of_documents(client_for, world, settings):
    settings.PIIPLAN_PROVINCE = "Cao Bằng"
    text = text_of(_report_docx(client_for("dost_staff"), world.period))
    assert "UBND TỈNH CAO BẰNG" in text and "Kính gửi: Ủy ban nhân dân tỉnh Cao Bằng." in text
    assert "UBND TỈNH LẠNG SƠN" not in text


def test_cli_reads_the_web_databases_organisation(world, monkeypatch):
    from piiplan.cli.report import organisation

    IssuingOrganisation.objects.create(province="Lạng Sơn", **{**ORG, "signer_name": "Hoàng Thị Bình"})
    monkeypatch.setenv("DATABASE_URL", "sqlite:///unused")  # django is already set up on the test database
    monkeypatch.delenv("PIIPLAN_PROVINCE", raising=False)
    assert organisation("Lạng Sơn").signer_name == "Hoàng Thị Bình"
    monkeypatch.delenv("DATABASE_URL")
    assert organisation("Lạng Sơn").signer_name == ""  # the province file's defaults


def test_composer_drafts_saves_with_version_check_and_the_docx_is_written_from_it(client_for, world, personas):
    world.report_b.summary = "Đã tổ chức tập huấn cho cán bộ xã. Khó khăn: thiếu kinh phí thu thập số liệu."
    world.report_b.proposals = "Bổ sung kinh phí cho cấp xã"
    world.report_b.save()
    accept_b(world, personas)
    staff = client_for("dost_staff")
    url = reverse("plan:composer", kwargs={"pk": world.period.pk})
    page = staff.get(url).content.decode()
    assert "Bản nháp tự động" in page
    assert "Xã Thử nghiệm: Đã tổ chức tập huấn cho cán bộ xã" in page  # the accepted summary, by pillar
    assert "Trụ cột 6" in page and "Bổ sung kinh phí cho cấp xã" in page
    text = text_of(_report_docx(staff, world.period))
    assert "Chưa có nội dung báo cáo trong kỳ" not in text  # every section has its draft
    assert "Xã Thử nghiệm: Bổ sung kinh phí cho cấp xã" in text
    response = staff.post(url, {"training": "- Tập huấn 65 xã, phường về Bộ chỉ số PII", "v_training": "0"})
    assert response.status_code == 302
    assert ReportSection.objects.get(period=world.period, key="training").version == 1
    assert AuditEntry.objects.filter(action="report_section_save").count() == 1
    assert "- Tập huấn 65 xã, phường về Bộ chỉ số PII." in _lines(_report_docx(staff, world.period))
    # A stale form (version 0) and an empty section: refused in Vietnamese, nothing saved.
    stale = staff.post(url, {"training": "Nội dung cũ", "v_training": "0", "causes": "", "v_causes": "0"})
    body = stale.content.decode()
    assert stale.status_code == 400 and "vừa được người khác sửa" in body and "không được để trống" in body
    assert ReportSection.objects.get(period=world.period, key="training").text == \
        "Tập huấn 65 xã, phường về Bộ chỉ số PII"
    assert not ReportSection.objects.filter(key="causes").exists()


def _period_of(world, kind, **dates):
    from piiplan.web.plan.models import ReportingPeriod

    return ReportingPeriod.objects.create(plan=world.plan, kind=kind, year=world.on.year, title=f"Kỳ {kind}",
                                          cutoff=dates.get("cutoff", world.on - timedelta(days=1)),
                                          agency_deadline=dates.get("deadline", world.on - timedelta(days=1)))


def test_the_report_states_position_target_plan_citation_and_names_late_agencies(client_for, world, personas):
    from piiplan.web.indexdata import service

    world.plan.number, world.plan.issued_on = "45/KH-UBND", date(2026, 3, 10)
    world.plan.save()
    accept_b(world, personas)
    period = _period_of(world, "half_year")
    content = _report_docx(client_for("dost_staff"), period)
    text = text_of(content)
    res = service.results(int(service.current_dataset().years[-1]))
    rank = int(res.ranks.at["Lạng Sơn", res.framework.root])
    from piiplan.reports.formatting import format_number

    score = format_number(res.aggregated.at["Lạng Sơn", res.framework.root], 2)
    assert f"tỉnh đạt {score} điểm, xếp hạng {rank}/34" in text
    assert (rank, score) == (29, "33,12")  # the demo data's Lạng Sơn, as in the issue
    assert "Mục tiêu của Kế hoạch: năm" in text and "xếp hạng 25/34" in text and "còn cách mục tiêu 4 bậc" in text
    assert "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn." in text
    assert "Kế hoạch số 45/KH-UBND ngày 10/03/2026 của Ủy ban nhân dân tỉnh Lạng Sơn" in text
    assert ("Kết quả thực hiện Kế hoạch cải thiện và nâng cao Chỉ số Đổi mới sáng tạo cấp địa phương (PII) "
            f"6 tháng đầu năm {world.on.year}") in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "CỘNG HOÀ" not in text
    assert "- Lưu: VT, QLKH." in text
    # Agency A had not sent its report by the deadline (yesterday): named, not only counted.
    late = next(line for line in text.splitlines() if "chưa gửi báo cáo đúng hạn:" in line)
    assert personas.agency_a.name in late and personas.agency_b.name in late
    document = docx.Document(io.BytesIO(content))
    key = next(t for t in document.tables if "Đánh giá" in [c.text for c in t.rows[0].cells])
    verdicts = [r.cells[-1].text for r in key.rows[1:]]
    assert verdicts and all(v in ("Đạt", "Chưa đạt", "Chưa đủ số liệu") for v in verdicts)
    assert not re.search(r"(?<![\d/])0/0(?![\d/])", text)  # never "0/0 chỉ số"
    # Appendix I keeps the recurring timing; Appendix III the document's summary, not the file name.
    tasks = next(t for t in document.tables if "Nhiệm vụ, giải pháp" in [c.text for c in t.rows[0].cells])
    row_b = next(r for r in tasks.rows if r.cells[2].text == "Nhiệm vụ của xã B")
    assert row_b.cells[4].text == "Thường xuyên"
    assert "Báo cáo xã B.pdf" not in text
    _check_layout(document)


def _check_layout(document):
    from piiplan.reports.layout import FONT

    for p in document.paragraphs:
        for run in p.runs:
            assert run.font.name == FONT, (run.text, run.font.name)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    for run in p.runs:
                        assert run.font.name == FONT, (run.text, run.font.name)
    data_tables = [t for t in document.tables if t.rows[0]._tr.trPr is not None
                   and t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None]
    assert len(data_tables) >= 4  # task counts, key indicators, three appendices: header repeated
    for table in data_tables:
        for row in table.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None


def test_unreviewed_progress_is_marked_not_counted(world):
    from piiplan.web.plan.outputs import half_year_report

    world.report_b.progress.update(done="Đã đăng ký chỉ dẫn địa lý", status="done", percent=100)
    report = half_year_report(world.period)  # report B is submitted, not accepted
    row = next(t for t in report.tasks if t.task == "Nhiệm vụ của xã B")
    assert row.status_code == "in_progress" and row.unreviewed  # the task's own status, the claim marked
    from tests.plan.test_outputs import _docx_bytes

    text = text_of(_docx_bytes(report))
    assert "Đã đăng ký chỉ dẫn địa lý (theo báo cáo chưa được Sở thẩm định)" in text
    assert f"Báo cáo của {world.report_b.agency.name} đã gửi nhưng chưa được Sở thẩm định" in text


def test_ad_hoc_and_annual_periods_have_their_own_wording(client_for, world):
    staff = client_for("dost_staff")
    adhoc = _period_of(world, "ad_hoc", cutoff=date(world.on.year, 9, 30))
    text = text_of(_report_docx(staff, adhoc))
    assert "báo cáo đột xuất" in text and "6 tháng đầu năm" not in text
    assert f"đến ngày 30/09/{world.on.year} (báo cáo đột xuất)" in text
    annual = text_of(_report_docx(staff, _period_of(world, "year")))
    assert f"(PII) năm {world.on.year}" in annual and "6 tháng đầu năm" not in annual


def test_a_closed_period_is_frozen_and_never_changes_afterwards(client_for, world, personas, monkeypatch):
    from piiplan.web.plan import outputs

    accept_b(world, personas)
    staff = client_for("dost_staff")
    period = world.period
    form = {"kind": period.kind, "year": period.year, "title": period.title, "cutoff": period.cutoff.strftime("%d/%m/%Y"),
            "agency_deadline": period.agency_deadline.strftime("%d/%m/%Y"), "closed": "on",
            "version": period.version}
    response = staff.post(reverse("plan:period_edit", kwargs={"pk": period.pk}), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PeriodSnapshot.objects.filter(period=period).exists()
    before = text_of(_report_docx(staff, period))
    assert "Số liệu của báo cáo được chốt ngày" in before
    # New data imported afterwards (here: every later computation sees no province) and a task finished.
    monkeypatch.setattr(outputs, "_results", lambda year: (None, True, "bộ dữ liệu mới"))
    world.task_all.status = "done"
    world.task_all.save()
    after = text_of(_report_docx(staff, period))
    assert after == before


def test_the_position_says_what_the_latest_scenario_leads_to(world, personas):
    from piiplan.web.indexdata.models import Scenario
    from piiplan.web.plan.outputs import half_year_report

    Scenario.objects.create(name="Tăng chi KH&CN", owner=personas.staff, year=2025, unit="Lạng Sơn",
                            edits={"Lạng Sơn": {"2.2.2": 2.0, "7.2.2": 50.0}})
    lines = half_year_report(world.period).position.scenario_lines
    assert len(lines) == 1 and lines[0].startswith("Theo kịch bản «Tăng chi KH&CN»")
    assert "2 chỉ số thay đổi), Chỉ số PII năm 2025 của tỉnh đạt" in lines[0] and "xếp hạng" in lines[0]

"""The plan's records turned into the official documents of piiplan.reports (DOCX opened and read back)."""

from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse

from piiplan.web.plan import services
from piiplan.web.plan.outputs import half_year_report, reminder_letter


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def accept_b(world, personas):
    class R:
        user = personas.staff
        META = {}

    world.report_b.evidence.update(document_number="77/QĐ-UBND", description="Quyết định công nhận mô hình")
    world.report_b.progress.update(done="Đã đăng ký chỉ dẫn địa lý", status="in_progress", percent=70)
    services.review_report(R(), world.report_b, True, "", world.report_b.version)


def test_half_year_report_maps_tasks_counts_and_evidence(world, personas):
    accept_b(world, personas)
    report = half_year_report(world.period)
    assert report.kind == "half-year" and report.cutoff == world.period.cutoff
    by_task = {t.task: t for t in report.tasks}
    assert by_task["Nhiệm vụ có các xã phối hợp"].status_code == "overdue"
    assert by_task["Nhiệm vụ của xã B"].note == "Đã đăng ký chỉ dẫn địa lý"
    pillar7 = next(p for p in report.pillars if p.code == "7")
    assert pillar7.tasks.overdue == 1 and pillar7.tasks.total == 1
    assert [e.number for e in report.evidence] == ["77/QĐ-UBND"]
    assert report.data_collection[0].startswith("1/2 cơ quan")
    assert report.synthetic  # the demo panel is the current data in tests


def test_period_report_download_is_a_docx_with_the_plans_content(client_for, world, personas):
    accept_b(world, personas)
    response = client_for("leader").get(reverse("plan:period_report", kwargs={"pk": world.period.pk}))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = text_of(response.content)
    assert "Nhiệm vụ có các xã phối hợp" in text and "77/QĐ-UBND" in text and "Xã Thử nghiệm" in text


def test_reminder_letter_lists_only_overdue_tasks_of_the_agency(client_for, world, personas):
    letter = reminder_letter(world.plan, personas.agency_a, world.period)
    assert [i.task for i in letter.items] == ["Nhiệm vụ có các xã phối hợp"]
    response = client_for("dost_staff").get(reverse("plan:reminder_letter",
                                                    kwargs={"pk": world.period.pk, "agency": personas.agency_a.pk}))
    text = text_of(response.content)
    assert "Nhiệm vụ có các xã phối hợp" in text and "Nhiệm vụ của sở A" not in text


# --- the indicator table from the current results, the evidence of accepted reports, the PDF copy -------

def _engine(year):
    from piiplan.demo import demo_framework, load_demo
    from piiplan.engine import build_dataset

    demo = load_demo()
    return build_dataset(demo_framework(), demo, year) if year in demo.years else None


def _appendix_indicator_table(document):
    table = next(t for t in document.tables if "TB cả nước" in [c.text for c in t.rows[0].cells])
    return {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}


def test_indicator_table_compares_base_current_target_and_national_average(client_for, world, personas):
    from piiplan.reports.formatting import format_number
    from piiplan.web.indexdata import service
    from piiplan.web.plan.models import Goal, IndicatorTarget, IndicatorValue

    service.clear_memo()
    IndicatorTarget.objects.create(plan=world.plan, indicator="1.2.1", goal=Goal.VALUE, target_value=15)
    IndicatorValue.objects.filter(report=world.report_b, indicator="6.2.4").update(value=42.0, source="Số 9/BC-UBND")
    world.report_b.evidence.update(indicator="6.2.4")
    accept_b(world, personas)
    current = _engine(max(_demo_years()))
    base = _engine(world.plan.base_year)
    home = "Lạng Sơn"
    raw = current.stage("raw")

    report = half_year_report(world.period)
    rows = {r.code: r for r in report.indicators}
    assert len(rows) == len(current.framework.indicators)                  # every indicator in the appendix
    r = rows["1.2.1"]
    assert r.current_value == pytest.approx(raw.at[home, "1.2.1"])
    assert r.base_value == (pytest.approx(base.stage("raw").at[home, "1.2.1"]) if base is not None else None)
    assert r.target == 15 and r.key
    assert r.national_average == pytest.approx(raw["1.2.1"].mean())
    assert r.rank == int(current.ranks.at[home, "1.2.1"])
    assert rows["6.2.4"].current_value == 42.0                             # the accepted agency value
    assert rows["6.2.4"].evidence == ["Số 9/BC-UBND", "77/QĐ-UBND"]
    assert rows["7.2.2"].key and rows["7.2.2"].target == "Cao hơn năm trước"
    pillar3 = next(p for p in report.pillars if p.code == "3")
    assert pillar3.score == pytest.approx(current.aggregated.at[home, "3"])
    assert pillar3.rank == int(current.ranks.at[home, "3"])
    assert pillar3.national_average == pytest.approx(current.aggregated["3"].mean())

    # The same numbers in the downloaded DOCX (python-docx), in vi-VN format.
    content = client_for("dost_staff").get(reverse("plan:period_report", kwargs={"pk": world.period.pk})).content
    document = docx.Document(io.BytesIO(content))
    table = _appendix_indicator_table(document)
    header = [c.text for c in next(t for t in document.tables if "TB cả nước" in [c.text for c in t.rows[0].cells]).rows[0].cells]
    assert header[3] == f"Năm {world.plan.base_year}" and header[4] == "Kỳ báo cáo"
    cells = table["1.2.1"]
    assert cells[4] == format_number(raw.at[home, "1.2.1"], 2, strip=True)
    assert cells[5] == "15"
    assert cells[6] == format_number(raw["1.2.1"].mean(), 2, strip=True)
    assert cells[8] == str(int(current.ranks.at[home, "1.2.1"]))
    assert table["6.2.4"][4] == "42" and table["6.2.4"][9] == "Số 9/BC-UBND; 77/QĐ-UBND"
    text = text_of(content)
    assert f"Trụ cột 3: {pillar3.name}" in text
    assert (f"Điểm trụ cột đạt {format_number(pillar3.score, 2)}, xếp hạng thứ {pillar3.rank}, "
            in text)
    assert f"Số liệu chỉ số theo bộ dữ liệu hiện hành năm {current.year}" in text


def _demo_years():
    from piiplan.demo import load_demo

    return [int(y) for y in load_demo().years]


def test_evidence_list_holds_only_accepted_reports(world, personas):
    world.report_b.evidence.update(document_number="77/QĐ-UBND")
    assert world.report_b.status == "submitted"
    assert half_year_report(world.period).evidence == []                   # submitted, not yet accepted
    accept_b(world, personas)
    assert [e.number for e in half_year_report(world.period).evidence] == ["77/QĐ-UBND"]


needs_office = pytest.mark.skipif(__import__("piiplan.reports.pdf", fromlist=["x"]).find_libreoffice() is None,
                                  reason="LibreOffice chưa được cài")


@needs_office
def test_period_report_pdf_copy(client_for, world, personas, tmp_path, immediate_tasks):
    from piiplan.reports.pdf import page_count

    accept_b(world, personas)
    response = client_for("leader").get(reverse("plan:period_report_pdf", kwargs={"pk": world.period.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"bao-cao-pii-{world.period.year}-{world.period.pk}.pdf" in response["Content-Disposition"]
    pdf = tmp_path / "bao-cao.pdf"
    pdf.write_bytes(response.content)
    assert page_count(pdf) >= 4                                             # body + three appendices
    html = client_for("dost_staff").get(reverse("plan:period_detail", kwargs={"pk": world.period.pk})).content.decode()
    assert reverse("plan:period_report_pdf", kwargs={"pk": world.period.pk}) in html


def test_period_report_pdf_without_libreoffice(client_for, world, monkeypatch, immediate_tasks):
    from piiplan.reports import pdf as pdfmod

    monkeypatch.setattr(pdfmod, "find_libreoffice", lambda: None)
    response = client_for("dost_staff").get(reverse("plan:period_report_pdf", kwargs={"pk": world.period.pk}))
    assert response.status_code == 503 and "Không tìm thấy LibreOffice" in response.content.decode()


# --- statuses as of the period's cut-off; the reminder letter as of today ----------------------------

def _past_period(world):
    from datetime import timedelta

    from piiplan.web.plan.models import ReportingPeriod

    # Cut-off 40 days ago, agencies' deadline 37 days ago: task_all (due 3 days ago) was not yet due then.
    return ReportingPeriod.objects.create(plan=world.plan, kind="half_year", year=world.on.year, title="Báo cáo 6 tháng cũ",
                                          cutoff=world.on - timedelta(days=40),
                                          agency_deadline=world.on - timedelta(days=37))


def test_past_period_report_counts_tasks_as_of_its_cutoff(world):
    from piiplan.reports.formatting import format_date

    period = _past_period(world)
    report = half_year_report(period)
    by_task = {t.task: t.status_code for t in report.tasks}
    assert by_task["Nhiệm vụ có các xã phối hợp"] == "not_started"      # due after the cut-off
    assert all(code != "overdue" for code in by_task.values())
    pillar7 = next(p for p in report.pillars if p.code == "7")
    assert pillar7.tasks.overdue == 0 and pillar7.tasks.not_started == 1
    # The same task is overdue today (dashboard) and in the current period (cut-off yesterday).
    assert world.task_all.effective_status() == "overdue"
    assert {t.task: t.status_code for t in half_year_report(world.period).tasks}["Nhiệm vụ có các xã phối hợp"] == "overdue"
    text = text_of(_docx_bytes(report))
    assert f"số liệu tính đến ngày {format_date(period.cutoff)}" in text
    assert f"Tình trạng đến ngày {format_date(period.cutoff)}" in text          # the appendix says as of when
    assert "nhiệm vụ quá hạn" not in text


def _docx_bytes(report) -> bytes:
    from piiplan.reports.half_year import build_half_year_docx

    buffer = io.BytesIO()
    build_half_year_docx(report).save(buffer)
    return buffer.getvalue()


def test_reminder_letter_for_a_past_period_names_the_late_report_and_gives_a_future_deadline(client_for, world, personas):
    from piiplan.reports.formatting import format_date_long

    period = _past_period(world)
    letter = reminder_letter(world.plan, personas.agency_a, period)
    assert letter.header.date == world.on
    assert letter.reply_by > world.on and letter.reply_by.weekday() < 5
    assert [i.task for i in letter.items] == ["Nhiệm vụ có các xã phối hợp"]   # overdue today
    assert letter.overdue_report == "Báo cáo 6 tháng cũ" and letter.report_due == period.agency_deadline
    response = client_for("dost_staff").get(reverse("plan:reminder_letter",
                                                    kwargs={"pk": period.pk, "agency": personas.agency_a.pk}))
    text = text_of(response.content)
    assert f"chưa gửi báo cáo 6 tháng cũ về Sở Khoa học và Công nghệ (hạn gửi trước {format_date_long(period.agency_deadline)}, đã quá hạn 37 ngày)" in text
    assert "còn 1 nhiệm vụ đã quá thời hạn mà chưa hoàn thành" in text
    assert f"trước {format_date_long(letter.reply_by)}" in text
    assert f"trước {format_date_long(period.agency_deadline)}" not in text.split("đề nghị")[-1]
    assert "Nơi nhận:" in text and "- Như trên;" in text and "- Lưu: VT, QLKH." in text


def test_reminder_letter_takes_the_reply_date_the_dost_enters(client_for, world, personas):
    from datetime import timedelta

    from piiplan.reports.formatting import format_date_long

    period = _past_period(world)
    url = reverse("plan:reminder_letter", kwargs={"pk": period.pk, "agency": personas.agency_a.pk})
    staff = client_for("dost_staff")
    wanted = world.on + timedelta(days=20)
    text = text_of(staff.get(url, {"han": wanted.strftime("%d/%m/%Y")}).content)
    assert f"trước {format_date_long(wanted)}" in text
    past = staff.get(url, {"han": (world.on - timedelta(days=1)).strftime("%d/%m/%Y")})
    assert past.status_code == 302 and past["Location"] == reverse("plan:period_detail", kwargs={"pk": period.pk})

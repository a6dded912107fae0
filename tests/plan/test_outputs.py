"""The plan's records turned into the official documents of piiplan.reports (DOCX opened and read back)."""

from __future__ import annotations

import io

import docx
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

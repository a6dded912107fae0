"""The half-year reporting cycle in the browser: the agency fills its report with evidence and submits;
the DoST returns it with a comment; the agency fixes and resubmits; the DoST accepts and it locks."""

from __future__ import annotations

import re

from tests.plan.world import PDF_BYTES, make_world

COMMENT = "Đề nghị bổ sung kết quả hội nghị đối thoại doanh nghiệp."


def sign_out(page):
    with page.expect_navigation():
        page.click("form.inline button:has-text('Đăng xuất')")


def test_half_year_report_cycle(page, live_server, login_as, personas, shot, tmp_path):
    world = make_world(personas)
    world.report_a.delete()  # the agency starts its report from the dashboard
    evidence = tmp_path / "Biên bản hội nghị đối thoại doanh nghiệp.pdf"
    evidence.write_bytes(PDF_BYTES)

    # 1. The agency opens its half-year report from the dashboard.
    login_as("agency")
    page.goto(f"{live_server.url}/ke-hoach/")
    assert page.locator("#to-submit").get_by_text(world.period.title).is_visible()
    with page.expect_navigation():
        page.click("#to-submit button:has-text('Lập báo cáo')")
    assert page.locator("#report-status").inner_text() == "Đang soạn"

    # 2. Progress on each task, indicator data, the document; save the draft.
    for number in (world.task_a.number, world.task_all.number):
        page.select_option(f"select[aria-label='Trạng thái nhiệm vụ {number}']", "in_progress")
        page.fill(f"textarea[aria-label='Kết quả thực hiện nhiệm vụ {number}']", "Đã tổ chức hội nghị đối thoại")
        page.fill(f"input[aria-label='Tiến độ nhiệm vụ {number}']", "60")
    page.fill("input[aria-label='Giá trị chỉ số 1.2.1']", "6,45")
    page.fill("input[aria-label='Nguồn số liệu chỉ số 1.2.1']", "Báo cáo PCI 2025 của VCCI")
    page.fill("#id_document_number", "125/BC-STN")
    page.fill("#id_document_date", "16/06/2026")
    page.fill("#id_signer", "Giám đốc Sở Thử nghiệm")
    page.fill("#id_summary", "Các nhiệm vụ được triển khai đúng tiến độ.")
    with page.expect_navigation():
        page.click("button[name=save]")
    assert "Đã lưu bản nháp" in page.inner_text(".messages")

    # 3. Evidence with a Vietnamese file name and its document number, date and issuer.
    form = page.locator("#evidence-form")
    form.locator("input[type=file]").set_input_files(str(evidence))
    form.locator("select[name=task]").select_option(str(world.task_a.pk))
    form.locator("input[name=document_number]").fill("88/BB-STN")
    form.locator("input[name=document_date]").fill("10/06/2026")
    form.locator("input[name=issuer]").fill("Sở Thử nghiệm")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator("#evidence").get_by_text("Biên bản hội nghị đối thoại doanh nghiệp.pdf").is_visible()
    shot(page, "plan_flow_1_agency_draft")

    # 4. Submit.
    with page.expect_navigation():
        page.click("#submit-report")
    assert page.locator("#report-status").inner_text() == "Đã gửi, chờ duyệt"
    report_url = page.url
    sign_out(page)

    # 5. The DoST returns it with a comment.
    login_as("dost_staff")
    page.goto(f"{live_server.url}/ke-hoach/")
    with page.expect_navigation():
        page.locator("#completeness tr", has_text=personas.agency_a.name).get_by_role("link").click()
    assert page.url == report_url
    assert page.get_by_role("link", name="Biên bản hội nghị đối thoại doanh nghiệp.pdf").is_visible()
    page.select_option("#review select[name=decision]", "return")
    page.fill("#review textarea[name=comment]", COMMENT)
    with page.expect_navigation():
        page.click("#review-submit")
    assert page.locator("#report-status").inner_text() == "Bị trả lại"
    shot(page, "plan_flow_2_dost_returned")
    sign_out(page)

    # 6. The agency sees the comment, fixes and resubmits.
    login_as("agency")
    page.goto(f"{live_server.url}/ke-hoach/")
    assert COMMENT in page.inner_text("#to-submit")
    with page.expect_navigation():
        page.click("#to-submit a:has-text('Tiếp tục lập báo cáo')")
    assert COMMENT in page.inner_text("#review-comment")
    page.fill(f"textarea[aria-label='Kết quả thực hiện nhiệm vụ {world.task_a.number}']",
              "Đã tổ chức 02 hội nghị đối thoại doanh nghiệp (biên bản kèm theo)")
    page.fill(f"input[aria-label='Tiến độ nhiệm vụ {world.task_a.number}']", "80")
    with page.expect_navigation():
        page.click("#submit-report")
    assert page.locator("#report-status").inner_text() == "Đã gửi, chờ duyệt"
    sign_out(page)

    # 7. The DoST accepts: the report locks.
    login_as("dost_staff")
    page.goto(report_url)
    assert "02 hội nghị" in page.inner_text("table.progress")
    page.select_option("#review select[name=decision]", "accept")
    with page.expect_navigation():
        page.click("#review-submit")
    assert page.locator("#report-status").inner_text() == "Đã chấp nhận"
    assert page.locator("#report-locked").is_visible() and page.locator("#review").count() == 0
    sign_out(page)

    login_as("agency")
    page.goto(report_url)
    assert page.locator("#report-locked").is_visible()
    assert page.locator("#report-form").count() == 0 and page.locator("#evidence-form").count() == 0
    shot(page, "plan_flow_3_agency_locked")
    assert not page.js_errors
    assert re.search(r"/ke-hoach/bao-cao/\d+/$", report_url)


def test_dashboards_on_the_demo_plan(page, live_server, login_as, personas, shot):
    """The DoST and an agency see the demo plan's dashboards (screenshots kept as artefacts)."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", "--only", "plan.plan", "--only", "plan.periods", "--only", "plan.reports",
                 "--only", "indexdata.dataset", stdout=StringIO())
    login_as("dost_staff")
    page.goto(f"{live_server.url}/ke-hoach/")
    assert "MẪU" in page.inner_text("main")
    completeness = page.inner_text("#completeness")
    assert "Sở Khoa học và Công nghệ" in completeness and "Đã chấp nhận" in completeness
    assert page.locator("#weaknesses table.tasks tbody tr").count() >= 5
    shot(page, "plan_dashboard_dost")
    page.click("text=Tác động đến xếp hạng")
    page.wait_for_selector("table.effect")
    assert page.locator("table.effect tbody tr").count() >= 1
    assert "kiểm tra bằng tính lại" in page.inner_text("#optimiser-message")
    assert "Sở Khoa học và Công nghệ" in page.inner_text("table.effect")  # a value reported by an agency
    shot(page, "plan_effect")
    assert not page.js_errors

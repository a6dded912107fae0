"""The half-year reporting cycle in the browser: the agency fills its report with evidence and submits;
the DoST returns it with a comment; the agency fixes and resubmits; the DoST accepts and it locks."""

from __future__ import annotations

import re

import pytest

from tests.plan.world import PDF_BYTES, make_world

COMMENT = "Đề nghị bổ sung kết quả hội nghị đối thoại doanh nghiệp."


def sign_out(page):
    with page.expect_navigation():
        page.click("form.inline button:has-text('Đăng xuất')")


DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def decide(page, value: str, comment: str = ""):
    """The reviewer's explicit choice (no default), then the confirmation page."""
    assert page.locator("#review input[name=decision]:checked").count() == 0
    page.check(f"#review input[name=decision][value={value}]")
    if comment:
        page.fill("#review textarea[name=comment]", comment)
    with page.expect_navigation():
        page.click("#review-submit")
    assert page.locator("#confirm").is_visible()
    with page.expect_navigation():
        page.click("#confirm-yes")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390x844"])
def test_half_year_report_cycle(page, live_server, login_as, personas, shot, tmp_path, viewport):
    page.set_viewport_size(viewport)
    size = "phone" if viewport is PHONE else "desktop"
    world = make_world(personas)
    world.report_a.delete()  # the agency starts its report from the dashboard
    evidence = tmp_path / "Biên bản hội nghị đối thoại doanh nghiệp.pdf"
    evidence.write_bytes(PDF_BYTES)

    # 1. The agency signs in, lands on its pending work and opens its half-year report.
    login_as("agency")
    assert page.url.endswith("/ke-hoach/viec-cua-toi/")
    assert page.locator("#to-submit").get_by_text(world.period.title).is_visible()
    assert no_horizontal_overflow(page)
    with page.expect_navigation():
        page.click("#to-submit button:has-text('Lập báo cáo')")
    assert page.locator("#report-status").inner_text() == "Đang soạn"

    # 2. Fill several fields; the draft saves itself (no button pressed).
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
    # 3. Attach evidence at once (no page load): the typed values stay, the list updates in place.
    form = page.locator("#evidence-form")
    form.locator("input[name='ev-file']").set_input_files(str(evidence))
    form.locator("select[name='ev-task']").select_option(str(world.task_a.pk))
    form.locator("input[name='ev-document_number']").fill("88/BB-STN")
    form.locator("input[name='ev-document_date']").fill("10/06/2026")
    form.locator("input[name='ev-issuer']").fill("Sở Thử nghiệm")
    url_before = page.url
    form.locator("#evidence-attach").click()
    page.locator("#evidence-rows").get_by_text("Biên bản hội nghị đối thoại doanh nghiệp.pdf").wait_for()
    assert page.url == url_before and page.input_value("#id_summary") == "Các nhiệm vụ được triển khai đúng tiến độ."
    page.locator("#autosave-status.saved", has_text="Đã tự động lưu").wait_for()
    page.wait_for_function("!document.querySelector('#autosave-status').textContent.includes('Đang lưu')")
    assert page.locator(".report-entry .ctx-unit").first.is_visible()
    assert no_horizontal_overflow(page), "the report page is wider than the screen"
    shot(page, f"plan_flow_1_agency_filled_{size}")

    # 4. Reload: every value is still there (saved by the autosave, not by a button).
    page.reload()
    assert page.input_value("input[aria-label='Giá trị chỉ số 1.2.1']") == "6,45"
    assert page.input_value("input[aria-label='Nguồn số liệu chỉ số 1.2.1']") == "Báo cáo PCI 2025 của VCCI"
    assert page.input_value(f"input[aria-label='Tiến độ nhiệm vụ {world.task_all.number}']") == "60"
    assert page.input_value("#id_document_number") == "125/BC-STN"
    assert page.input_value("#id_document_date") == "16/06/2026"
    assert page.input_value("#id_summary") == "Các nhiệm vụ được triển khai đúng tiến độ."
    assert page.locator("#evidence-rows").get_by_text("Biên bản hội nghị đối thoại doanh nghiệp.pdf").is_visible()

    # 5. Submit.
    with page.expect_navigation():
        page.click("#submit-report")
    assert page.locator("#report-status").inner_text() == "Đã gửi, chờ duyệt"
    report_url = page.url
    sign_out(page)

    # 6. The DoST lands on the reports to review and returns it with a comment (choice + confirmation).
    login_as("dost_staff")
    with page.expect_navigation():
        page.locator("#to-review").get_by_role("link", name=re.compile(personas.agency_a.name)).click()
    assert page.url == report_url
    assert no_horizontal_overflow(page)
    decide(page, "return", COMMENT)
    assert page.locator("#report-status").inner_text() == "Bị trả lại"
    shot(page, f"plan_flow_2_dost_returned_{size}")
    sign_out(page)

    # 7. The agency sees the comment on its landing page, fixes and resubmits.
    login_as("agency")
    assert COMMENT in page.inner_text("#returned")
    page.goto(report_url)
    assert COMMENT in page.inner_text("#review-comment")
    page.fill(f"textarea[aria-label='Kết quả thực hiện nhiệm vụ {world.task_a.number}']",
              "Đã tổ chức 02 hội nghị đối thoại doanh nghiệp (biên bản kèm theo)")
    page.fill(f"input[aria-label='Tiến độ nhiệm vụ {world.task_a.number}']", "80")
    with page.expect_navigation():
        page.click("#submit-report")
    assert page.locator("#report-status").inner_text() == "Đã gửi, chờ duyệt"
    sign_out(page)

    # 8. The DoST accepts (locked), then reopens it with a reason.
    login_as("dost_staff")
    page.goto(report_url)
    assert "02 hội nghị" in page.inner_text("table.progress")
    decide(page, "accept")
    assert page.locator("#report-status").inner_text() == "Đã chấp nhận"
    assert page.locator("#report-locked").is_visible() and page.locator("#review").count() == 0
    page.fill("#reopen textarea[name=reason]", "Số liệu chỉ số 1.2.1 cần đối chiếu lại với VCCI.")
    with page.expect_navigation():
        page.click("#reopen-submit")
    assert no_horizontal_overflow(page)
    with page.expect_navigation():
        page.click("#confirm-yes")
    assert page.locator("#report-status").inner_text() == "Bị trả lại"
    sign_out(page)

    login_as("agency")
    assert "mở lại" in page.inner_text("#new-notices")
    page.goto(report_url)
    assert page.locator("#report-form").is_visible() and "đối chiếu lại" in page.inner_text("#review-comment")
    shot(page, f"plan_flow_3_agency_reopened_{size}")
    assert not page.js_errors
    assert re.search(r"/ke-hoach/bao-cao/\d+/$", report_url)


def test_leaving_with_unsaved_changes_asks_first(page, live_server, login_as, personas):
    world = make_world(personas)
    login_as("agency")
    page.goto(f"{live_server.url}/ke-hoach/bao-cao/{world.report_a.pk}/")
    page.fill("#id_summary", "Chưa kịp lưu")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]


def test_dashboards_on_the_demo_plan(page, live_server, login_as, personas, shot, settings):
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
    # The effect page starts the realistic target search as a background job; here it runs inside the
    # request (immediate backend), in production on the database backend's worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    page.click("text=Tác động đến xếp hạng")
    page.wait_for_selector("table.effect")
    page.wait_for_selector("#target-result", timeout=60_000)
    assert page.locator("table.effect tbody tr").count() >= 1
    assert "kiểm tra bằng tính lại" in page.inner_text("#plan-facts")
    assert "Sở Khoa học và Công nghệ" in page.inner_text("table.effect")  # a value reported by an agency
    shot(page, "plan_effect")
    assert not page.js_errors


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390x844"])
def test_reminders_page_preview_send_history(page, live_server, login_as, personas, shot, viewport):
    page.set_viewport_size(viewport)
    world = make_world(personas)
    login_as("dost_staff")
    page.goto(f"{live_server.url}/ke-hoach/ky-bao-cao/{world.period.pk}/")
    with page.expect_navigation():
        page.click("#period-reminders")
    group = page.locator(".reminder-agency", has_text=personas.agency_a.name)
    assert "đã quá hạn 3 ngày" in group.inner_text()
    group.locator("summary").click()
    assert "Kính gửi: Sở Thử nghiệm" in group.locator(".mail-preview").inner_text()
    assert group.get_by_role("link", name="Xem trước công văn đôn đốc (Word)").is_visible()
    assert no_horizontal_overflow(page)
    with page.expect_navigation():
        page.click("#send-now")
    assert "Đã nhắc 3 việc" in page.inner_text(".messages")
    assert "Cán bộ Sở" in page.inner_text("#reminder-history")
    assert page.locator("#send-now").count() == 0  # nothing left to send today
    assert no_horizontal_overflow(page)
    shot(page, f"plan_reminders_{'phone' if viewport is PHONE else 'desktop'}")
    assert not page.js_errors


@pytest.mark.skipif(__import__("piiplan.reports.pdf", fromlist=["x"]).find_libreoffice() is None,
                    reason="LibreOffice chưa được cài")
def test_a_leader_on_a_phone_gets_the_report_pdf_made_in_the_background(page, live_server, login_as, personas, shot):
    """No request runs LibreOffice: the button leads to a page that waits (it reloads itself, no script
    needed) while the worker converts; then the download starts by itself."""
    from piiplan.web.ops.models import PdfCopy, JobStatus
    from piiplan.web.ops.pdf_jobs import convert_copy

    page.set_viewport_size(PHONE)
    world = make_world(personas)
    login_as("leader")
    page.goto(f"{live_server.url}/ke-hoach/ky-bao-cao/{world.period.pk}/bao-cao-ubnd.pdf")
    page.wait_for_selector("#pdf-waiting")
    assert "Đang tạo bản PDF" in page.inner_text("main")
    shot(page, "pdf_waiting_phone")
    for pk in PdfCopy.objects.filter(status=JobStatus.QUEUED).values_list("pk", flat=True):
        convert_copy.func(pk)                                   # what manage.py db_worker does
    with page.expect_download(timeout=30_000) as info:
        page.wait_for_selector("#pdf-ready", timeout=30_000)    # the page reloaded itself and found the copy
    download = info.value
    assert download.suggested_filename == f"bao-cao-pii-{world.period.year}-{world.period.pk}.pdf"
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    shot(page, "pdf_ready_phone")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not page.js_errors

"""The agency's data template in the browser: the agency downloads it from its dashboard, fills it and
uploads it into its half-year report; the DoST imports the same file through *Dữ liệu* (preview, confirm)
and the province's profile shows the new value, downloadable as a Word file."""

from __future__ import annotations

from datetime import date

from tests.plan.test_datasheets import fill
from tests.plan.world import make_world


def test_agency_template_round_trip(page, live_server, login_as, personas, shot, tmp_path):
    from piiplan.web.indexdata import service

    service.clear_memo()
    world = make_world(personas)

    # 1. The agency downloads its template from the plan dashboard.
    login_as("agency")
    page.goto(f"{live_server.url}/ke-hoach/")
    with page.expect_download() as download:
        page.click("#agency-template")
    assert download.value.suggested_filename == "bieu-mau-so-lieu-test-so-2025.xlsx"
    blank = tmp_path / "bieu-mau.xlsx"
    download.value.save_as(blank)
    filled = tmp_path / "Biểu mẫu Sở Thử nghiệm.xlsx"
    filled.write_bytes(fill(blank.read_bytes(), {"1.2.1": 7.25},
                            evidence={"1.2.1": ("15/BC-STN", date(2026, 6, 20), "Sở Thử nghiệm")}))

    # 2. … fills it and uploads it into its half-year report.
    page.goto(f"{live_server.url}/ke-hoach/bao-cao/{world.report_a.pk}/")
    page.locator("#template-form input[type=file]").set_input_files(str(filled))
    with page.expect_navigation():
        page.click("#template-form button[type=submit]")
    assert "Đã nhập 1 giá trị chỉ số" in page.inner_text(".messages")
    assert page.input_value("input[aria-label='Giá trị chỉ số 1.2.1']") == "7,25"
    assert page.input_value("input[aria-label='Nguồn số liệu chỉ số 1.2.1']") == "Số 15/BC-STN ngày 20/06/2026, Sở Thử nghiệm"
    shot(page, "datasheets_1_agency_report_filled")

    # 3. The DoST imports the same file through Dữ liệu: preview names the agency, then confirm.
    page.context.clear_cookies()
    login_as("dost_staff")
    page.goto(f"{live_server.url}/du-lieu/")
    page.locator("#upload-form input[type=file]").set_input_files(str(filled))
    with page.expect_navigation():
        page.click("#upload-form button[type=submit]")
    assert "Sở Thử nghiệm" in page.inner_text("#template-agency")
    assert page.locator("#problems").count() == 0
    shot(page, "datasheets_2_import_preview")
    with page.expect_navigation():
        page.click("#confirm-form button[type=submit]")
    assert "Đã nhập Biểu mẫu Sở Thử nghiệm.xlsx" in page.inner_text(".messages")

    # 4. The profile shows the new value and downloads as Word.
    page.goto(f"{live_server.url}/ho-so/?tinh=L%E1%BA%A1ng%20S%C6%A1n&nam=2025")
    row = page.locator("table.profile tr", has=page.locator("td:first-child a", has_text="1.2.1"))
    assert row.locator("td").nth(2).inner_text() == "7,25"
    with page.expect_download() as docx_download:
        page.click("#profile-docx")
    assert docx_download.value.suggested_filename == "ho-so-pii-lang-son-2025.docx"
    shot(page, "datasheets_3_profile")
    assert page.js_errors == []

"""Dữ liệu in the browser: a file with errors shows every message and imports nothing; a good file is
previewed, confirmed and appears as the active version."""

from __future__ import annotations

import pytest

from piiplan.web.indexdata import service
from piiplan.web.indexdata.models import DatasetVersion, ImportBatch

BROKEN = (
    "unit,indicator,year,value\n"
    "Lạng Sơn,1.1.1,2025,mười hai\n"
    "Tỉnh Không Có,1.1.1,2025,3\n"
    "Lạng Sơn,9.9.9,2025,3\n"
)


@pytest.fixture(autouse=True)
def _fresh_memo():
    service.clear_memo()
    yield
    service.clear_memo()


def test_import_a_file_with_errors_and_see_the_messages(login_as, live_server, shot, tmp_path):
    bad = tmp_path / "so-lieu-loi.csv"
    bad.write_text(BROKEN, encoding="utf-8")
    page = login_as("dost_staff")
    page.goto(f"{live_server.url}/du-lieu/")
    page.set_input_files("input[name=file]", str(bad))
    with page.expect_navigation():
        page.click("#upload-form button[type=submit]")
    problems = page.locator("#problems tr.problem")
    assert problems.count() == 3
    text = page.inner_text("#problems")
    assert "Tệp có 3 lỗi" in text
    assert "«mười hai» không phải là số" in text
    assert "Đơn vị «Tỉnh Không Có» không có trong danh sách đơn vị" in text
    assert "Mã chỉ số «9.9.9» không có trong khung chỉ số" in text
    assert "so-lieu-loi.csv" in text
    assert page.locator("#confirm-form").count() == 0
    shot(page, "du-lieu-tep-loi")
    assert DatasetVersion.objects.count() == 0
    assert ImportBatch.objects.get().status == ImportBatch.Status.REJECTED
    assert not page.js_errors


def test_import_a_good_file_confirm_and_see_the_new_version(login_as, live_server, shot, tmp_path):
    good = tmp_path / "lang-son-2025.csv"
    good.write_text("unit,indicator,year,value\nLạng Sơn,1.1.1,2025,99\nLạng Sơn,1.1.2,2025,77\n", encoding="utf-8")
    page = login_as("dost_staff")
    page.goto(f"{live_server.url}/du-lieu/")
    page.set_input_files("input[name=file]", str(good))
    with page.expect_navigation():
        page.click("#upload-form button[type=submit]")
    summary = page.inner_text("#summary")
    assert "Thay đổi: 2" in summary
    shot(page, "du-lieu-xem-truoc")
    assert DatasetVersion.objects.count() == 0  # nothing before confirmation
    with page.expect_navigation():
        page.click("#confirm-form button[type=submit]")
    assert "Đã nhập lang-son-2025.csv" in page.inner_text(".messages")
    row = page.locator("#dataset-versions tbody tr").first
    assert "lang-son-2025.csv" in row.inner_text() and "Đang dùng" in row.inner_text()
    shot(page, "du-lieu-phien-ban-moi")
    version = DatasetVersion.objects.get(active=True)
    assert version.dataset().wide(2025).at["Lạng Sơn", "1.1.1"] == 99
    assert not page.js_errors


def test_publish_a_version_after_reading_its_provenance(login_as, live_server, shot, personas):
    from tests.web import indexdata_fixtures as ix

    demo = ix.dataset_version(personas, active=True)
    page = login_as("dost_staff")
    page.goto(f"{live_server.url}/du-lieu/")
    assert "Dữ liệu mô phỏng" in page.inner_text(f"#dataset-versions tr[data-version='{demo.pk}']")
    with page.expect_navigation():
        page.click(f"#dataset-versions tr[data-version='{demo.pk}'] a:has-text('Công bố')")
    assert "demo.csv" in page.inner_text("#publish-origin")
    assert page.inner_text("#origin-label") == "Dữ liệu mô phỏng"
    # Both boxes are required (the browser will not submit without them; the server refuses too).
    assert page.locator("input[name=acknowledge_synthetic][required]").count() == 1
    page.check("input[name=confirm]")
    page.check("input[name=acknowledge_synthetic]")
    shot(page, "du-lieu-cong-bo-xac-nhan")
    with page.expect_navigation():
        page.click("#publish-form button[type=submit]")
    assert "Đã công bố phiên bản" in page.inner_text(".messages")
    demo.refresh_from_db()
    assert demo.published
    assert not page.js_errors

"""The DoST staff write the report to the UBND in the composer; the admin sets the signer once."""

from __future__ import annotations

import pytest

from tests.plan.world import make_world

pytestmark = pytest.mark.browser


def test_admin_sets_the_signer_and_staff_compose_the_report(page, live_server, login_as, personas, shot):
    world = make_world(personas)
    login_as("dost_admin")
    page.goto(f"{live_server.url}/ke-hoach/co-quan-ban-hanh/")
    page.fill("#id_signer_name", "Nguyễn Văn An")
    page.fill("#id_symbol", "S KHCN")  # a space: refused, nothing saved
    with page.expect_navigation():
        page.click("#organisation-form button[type=submit]")
    assert "không có dấu cách" in page.locator("#organisation-form").inner_text()
    page.fill("#id_symbol", "SKHCN")
    with page.expect_navigation():
        page.click("#organisation-form button[type=submit]")
    assert "Nguyễn Văn An" in page.locator("#organisation-preview").inner_text()
    shot(page, "organisation_saved")

    page.context.clear_cookies()
    login_as("dost_staff")
    page.goto(f"{live_server.url}/ke-hoach/ky-bao-cao/{world.period.pk}/")
    with page.expect_navigation():
        page.click("#period-composer")
    assert page.locator("#position-summary").inner_text().startswith("Theo kết quả Chỉ số PII năm")
    assert page.locator("label[for=id_training] .badge").inner_text() == "Bản nháp tự động"
    page.fill("#id_training", "Tập huấn Bộ chỉ số PII cho 14 sở, ngành và 65 xã, phường")
    with page.expect_navigation():
        page.click("#composer-form button[type=submit]")
    assert "Đã lưu 1 mục." in page.content()
    assert page.locator("label[for=id_training] .badge").inner_text().startswith("Đã lưu")
    assert page.locator("label[for=id_causes] .badge").inner_text() == "Bản nháp tự động"
    shot(page, "composer_saved")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "composer_phone")

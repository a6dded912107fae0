"""The DoST administrator edits a user and an agency in the browser, on a desktop and on a phone."""

from __future__ import annotations

import pytest

from piiplan.web.accounts.models import Agency, Role, User

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def assert_fits(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the viewport"


@pytest.mark.parametrize("size", list(SIZES))
def test_admin_edits_a_user_and_an_agency(page, live_server, login_as, personas, shot, size):
    page.set_viewport_size(SIZES[size])
    login_as("dost_admin")

    # Users: open the leader's account from the list and make them the focal point of agency B.
    page.goto(f"{live_server.url}/tai-khoan/nguoi-dung/")
    assert_fits(page)
    shot(page, f"admin_users_{size}")
    with page.expect_navigation():
        page.click("#users a:text-is('leader')")
    assert_fits(page)
    page.fill("#id_full_name", "Hoàng Thị Mai")
    page.fill("#id_email", "mai@langson.gov.vn")
    page.select_option("#id_role", Role.AGENCY.value)
    page.select_option("#id_agency", str(personas.agency_b.pk))
    with page.expect_navigation():
        page.click("#user-form button[type=submit]")
    assert "Đã lưu tài khoản leader." in page.locator(".messages").inner_text()
    assert_fits(page)
    shot(page, f"admin_user_saved_{size}")
    leader = User.objects.get(pk=personas.leader.pk)
    assert (leader.full_name, leader.email, leader.role, leader.agency_id) == (
        "Hoàng Thị Mai", "mai@langson.gov.vn", Role.AGENCY, personas.agency_b.pk)

    # A bad e-mail: the Vietnamese message, nothing saved, every typed value still there.
    page.fill("#id_full_name", "Tên Chưa Lưu")
    page.fill("#id_email", "agency@@sai")
    page.evaluate("document.querySelector('#user-form').noValidate = true")
    with page.expect_navigation():
        page.click("#user-form button[type=submit]")
    assert "Địa chỉ thư điện tử không hợp lệ." in page.inner_text("#user-form")
    assert page.input_value("#id_full_name") == "Tên Chưa Lưu"
    assert User.objects.get(pk=leader.pk).full_name == "Hoàng Thị Mai"

    # Agencies: rename agency B and give it an e-mail; its new focal point is listed.
    page.goto(f"{live_server.url}/tai-khoan/co-quan/")
    assert_fits(page)
    shot(page, f"admin_agencies_{size}")
    with page.expect_navigation():
        page.click("#agencies a:text-is('Xã Thử nghiệm')")
    assert "Hoàng Thị Mai" in page.inner_text("#focal-points")
    page.fill("#id_name", "Phường Thử nghiệm")
    page.fill("#id_email", "phuong@langson.gov.vn")
    with page.expect_navigation():
        page.click("#agency-form button[type=submit]")
    assert "Đã lưu Phường Thử nghiệm." in page.locator(".messages").inner_text()
    assert_fits(page)
    shot(page, f"admin_agency_saved_{size}")
    agency = Agency.objects.get(pk=personas.agency_b.pk)
    assert (agency.name, agency.email) == ("Phường Thử nghiệm", "phuong@langson.gov.vn")

    # Merging into itself is refused in Vietnamese.
    page.select_option("#id_target", str(agency.pk))
    page.check("#id_confirm")
    with page.expect_navigation():
        page.click("#merge-form button[type=submit]")
    assert "Không thể gộp một cơ quan vào chính nó" in page.inner_text("#merge-form")
    assert Agency.objects.get(pk=agency.pk).active
    assert_fits(page)
    assert not page.js_errors

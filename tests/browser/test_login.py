"""Each role signs in through the browser and sees the home page with its own menu."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

# Independent of pages/nav.py on purpose: what each role must (and must not) see.
EXPECTED_NAV = {
    "dost_admin": {
        "Tổng quan": "pages:home", "Xếp hạng": "pages:ranking", "Hồ sơ tỉnh": "pages:profile",
        "Chỉ số": "pages:indicators", "Dữ liệu": "indexdata:datasets", "Kịch bản": "indexdata:scenarios",
        "Độ tin cậy": "pages:uncertainty", "Kế hoạch": "plan:dashboard",
        "Mô hình tiêu biểu": "plan:register", "Người dùng": "accounts:users", "Cơ quan": "accounts:agencies",
        "Cơ quan ban hành": "plan:organisation",
        "Nhật ký": "audit:log",
    },
    "dost_staff": {
        "Tổng quan": "pages:home", "Xếp hạng": "pages:ranking", "Hồ sơ tỉnh": "pages:profile",
        "Chỉ số": "pages:indicators", "Dữ liệu": "indexdata:datasets", "Kịch bản": "indexdata:scenarios",
        "Độ tin cậy": "pages:uncertainty", "Kế hoạch": "plan:dashboard", "Mô hình tiêu biểu": "plan:register",
        "Nhật ký": "audit:log",
    },
    "agency": {
        "Tổng quan": "pages:home", "Xếp hạng": "pages:ranking", "Hồ sơ tỉnh": "pages:profile",
        "Chỉ số": "pages:indicators", "Độ tin cậy": "pages:uncertainty", "Kế hoạch": "plan:dashboard",
        "Mô hình tiêu biểu": "plan:register",
    },
    "leader": {
        "Tổng quan": "pages:home", "Xếp hạng": "pages:ranking", "Hồ sơ tỉnh": "pages:profile",
        "Chỉ số": "pages:indicators", "Dữ liệu": "indexdata:datasets", "Kịch bản": "indexdata:scenarios",
        "Độ tin cậy": "pages:uncertainty", "Kế hoạch": "plan:dashboard", "Mô hình tiêu biểu": "plan:register",
    },
    "anonymous": {
        "Tổng quan": "pages:home", "Xếp hạng": "pages:ranking", "Hồ sơ tỉnh": "pages:profile",
        "Chỉ số": "pages:indicators", "Độ tin cậy": "pages:uncertainty", "Mô hình tiêu biểu": "plan:register",
    },
}


# The explorer's pages (issue 14) are public: every role sees them.
EXPLORER = {"Bản đồ": "pages:map", "So sánh": "pages:compare", "Xu hướng": "pages:trends",
            "Phương pháp": "pages:method"}
for _items in EXPECTED_NAV.values():
    _items.update(EXPLORER)


def existing(items: dict[str, str]) -> set[str]:
    """The labels whose page exists yet (sections appear as their apps add URLs)."""
    labels = set()
    for label, name in items.items():
        try:
            reverse(name)
        except NoReverseMatch:
            continue
        labels.add(label)
    return labels


@pytest.mark.parametrize("role", list(EXPECTED_NAV))
def test_role_signs_in_and_sees_its_menu(login_as, live_server, personas, shot, role):
    page = login_as(role)
    if role == "anonymous":
        assert page.url == f"{live_server.url}/"
        assert page.locator("h1").first.inner_text() == "Tổng quan"
    else:  # signed-in roles land on their pending work (LOGIN_REDIRECT_URL)
        assert page.url == f"{live_server.url}/ke-hoach/viec-cua-toi/"
        assert page.locator("h1").first.inner_text() == "Việc của tôi"
    labels = set(page.locator("nav.site-nav a").all_inner_texts())
    assert labels == existing(EXPECTED_NAV[role])
    if role == "anonymous":
        assert page.locator("header .account").inner_text().strip() == "Đăng nhập"
    else:
        who = page.locator("header .who")
        assert who.get_attribute("data-role") == role
        assert personas.by_role[role].full_name in who.inner_text()
    # Every menu entry opens for this role without an error page.
    for label in sorted(labels):
        page.click(f"nav.site-nav a:text-is('{label}')")
        assert page.locator("h1").first.inner_text() not in ("Không có quyền truy cập", "Không tìm thấy trang")
        shot(page, f"nav-{role}-{label}")
    assert page.js_errors == []


def test_wrong_password_then_logout(page, live_server, personas):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("input[name=username]", "leader")
    page.fill("input[name=password]", "sai-mat-khau")
    page.click("form.form button[type=submit]")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.locator(".errors").inner_text()

    page.fill("input[name=password]", personas.password)
    page.fill("input[name=username]", "leader")
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    with page.expect_navigation():
        page.click("header button:text-is('Đăng xuất')")
    assert "Bạn đã đăng xuất." in page.locator(".messages").inner_text()
    assert page.locator("header .account").inner_text().strip() == "Đăng nhập"

"""Every read-only page opened by every role in chromium: content, drawn charts, no script errors.

Screenshots: ``artifacts/screenshots/pages-<role>-<page>.png`` (and a print-media copy of each
page for the DoST admin: ``pages-print-<page>.png``).
"""

from __future__ import annotations

import re

import pytest

from piiplan.web.pages.tables import vi_sort_key

ROLES = ("dost_admin", "dost_staff", "agency", "leader", "anonymous")

# (name, path, h1 starts with, number of charts on the page)
PAGES = [
    ("tong-quan", "/", "Tổng quan", 2),
    ("xep-hang", "/xep-hang/", "Xếp hạng", 1),
    ("xep-hang-tru-cot", "/xep-hang/?ma=2&vung=Trung+du+v%C3%A0+mi%E1%BB%81n+n%C3%BAi+ph%C3%ADa+B%E1%BA%AFc", "Xếp hạng", 1),
    ("ho-so", "/ho-so/", "Hồ sơ tỉnh: Lạng Sơn", 1),
    ("ho-so-ha-noi", "/ho-so/?tinh=H%C3%A0+N%E1%BB%99i", "Hồ sơ tỉnh: Hà Nội", 1),
    ("chi-so", "/chi-so/", "Sổ tay chỉ số", 0),
    ("chi-so-1.2.1", "/chi-so/1.2.1/", "1.2.1. Chi phí gia nhập thị trường", 1),
    ("do-tin-cay", "/do-tin-cay/", "Độ tin cậy của xếp hạng", 1),
]

VI_NUMBER = re.compile(r"\b\d{1,3},\d{2}\b")  # 33,12


def charts_drawn(page) -> int:
    """How many Chart.js charts exist on the page with a non-empty canvas."""
    return page.evaluate(
        "() => (window.piiplanCharts || []).filter(c => c.canvas.width > 0 && c.canvas.height > 0).length"
    )


@pytest.mark.parametrize("role", ROLES)
def test_role_opens_every_page(login_as, live_server, shot, role):
    page = login_as(role)
    for name, path, heading, n_charts in PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, (role, path)
        h1 = page.locator("h1").first.inner_text()
        assert h1.startswith(heading), (role, path, h1)
        assert "Dữ liệu mô phỏng — không phải số liệu chính thức" in page.locator(".synthetic-banner").inner_text()
        assert charts_drawn(page) == n_charts, (role, path)
        shot(page, f"pages-{role}-{name}")
    assert page.js_errors == []


def test_overview_shows_rank_target_and_vi_numbers(login_as, live_server):
    page = login_as("leader")
    page.goto(f"{live_server.url}/")
    assert page.locator("[data-kpi=rank]").inner_text().startswith("29")
    assert VI_NUMBER.search(page.locator("[data-kpi=score]").inner_text())
    assert page.locator("[data-kpi=target]").inner_text() == "25"
    assert "Tăng 4 bậc" in page.locator("section.target").inner_text()


def test_public_overview_has_no_plan_target(login_as, live_server):
    page = login_as("anonymous")
    page.goto(f"{live_server.url}/")
    assert page.locator("[data-kpi=rank]").inner_text().startswith("29")
    assert page.locator("section.target").count() == 0


def test_ranking_sorts_by_clicking_a_header(login_as, live_server, shot):
    page = login_as("dost_staff")
    page.goto(f"{live_server.url}/xep-hang/")
    by_rank = page.locator("table.ranking tbody tr td:nth-child(2)").all_inner_texts()
    with page.expect_navigation():
        page.click("table.ranking th a:text-is('Tỉnh, thành phố')")
    names = page.locator("table.ranking tbody tr td:nth-child(2)").all_inner_texts()
    assert names == sorted(by_rank, key=vi_sort_key) != by_rank
    assert page.locator("table.ranking th[aria-sort]").inner_text().startswith("Tỉnh, thành phố")
    # The highlighted row is the home province, wherever the sort puts it.
    assert page.locator("table.ranking tr[data-home] td:nth-child(2)").inner_text() == "Lạng Sơn"
    shot(page, "pages-xep-hang-theo-ten")


def test_pages_print_with_their_charts(login_as, live_server, shot):
    page = login_as("dost_admin")
    page.emulate_media(media="print")
    for name, path, _heading, n_charts in PAGES[:1] + PAGES[3:4] + PAGES[6:8]:
        page.goto(f"{live_server.url}{path}")
        assert not page.locator("nav.site-nav").is_visible()
        assert page.locator(".synthetic-banner").is_visible()
        assert charts_drawn(page) == n_charts
        shot(page, f"pages-print-{name}")
    assert page.js_errors == []

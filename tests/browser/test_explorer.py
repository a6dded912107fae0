"""The explorer in chromium: map → measure and year → profile; a comparison of three provinces and
its CSV and PNG downloads; keyboard access and text alternatives; phone width (390 × 844).

Screenshots: ``artifacts/screenshots/explorer-<role>-<step>.png``.
"""

from __future__ import annotations

import base64
import csv
import io

import pytest

from tests.browser.conftest import SCREENSHOTS

ROLES = ("anonymous", "dost_staff")


@pytest.mark.parametrize("role", ROLES)
def test_map_to_profile_and_a_comparison_with_downloads(login_as, live_server, shot, role, tmp_path):
    page = login_as(role)
    page.goto(f"{live_server.url}/ban-do/")
    assert page.locator("#tile-map svg a.tile").count() == 34
    # Change the measure (pillar 3), colour by rank, year 2024.
    page.select_option("#map-measure", "3")
    page.select_option("#map-by", "hang")
    page.select_option("#map-year", "2024")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "ma=3" in page.url and "nam=2024" in page.url
    assert "năm 2024" in page.locator("p.lead").inner_text() and "Hạng" in page.locator("p.lead").inner_text()
    tile = page.locator("#tile-map a.tile[data-unit='Cao Bằng']")
    label = tile.get_attribute("aria-label")
    assert label.startswith("Cao Bằng: hạng ") and "điểm" in label
    tile.hover()
    assert page.locator("#tile-tip").inner_text() == label
    shot(page, f"explorer-{role}-map")
    with page.expect_navigation():
        tile.click()
    assert page.locator("h1").inner_text() == "Hồ sơ tỉnh: Cao Bằng"
    assert "nam=2024" in page.url
    assert page.locator("table.peers-input tbody tr").count() == 5

    # A comparison of three provinces.
    page.goto(f"{live_server.url}/so-sanh/")
    for i, name in enumerate(["Lạng Sơn", "Cao Bằng", "Lào Cai", "", "", ""], start=1):
        page.select_option(f"#compare-{i}", name)
    with page.expect_navigation():
        page.click("#compare-submit")
    assert page.locator("p.lead").inner_text().startswith("Lạng Sơn · Cao Bằng · Lào Cai")
    assert page.evaluate("() => window.piiplanCharts.length") == 2
    shot(page, f"explorer-{role}-compare")
    with page.expect_download() as info:
        page.click("[data-dl='so-sanh-csv']")
    rows = list(csv.reader(io.StringIO(open(info.value.path(), encoding="utf-8-sig").read())))
    assert rows[1][2:5] == ["Lạng Sơn – điểm", "Cao Bằng – điểm", "Lào Cai – điểm"]
    assert info.value.suggested_filename.endswith(".csv")
    radar = page.locator("figure[data-export-name^='so-sanh-tru-cot'] + p.chart-dl, "
                         "figure[data-export-name^='so-sanh-tru-cot'] p.chart-dl")
    with page.expect_download() as info:
        radar.locator("button[data-export=png]").click()
    assert info.value.suggested_filename.startswith("so-sanh-tru-cot") and info.value.suggested_filename.endswith(".png")
    assert open(info.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    info.value.save_as(SCREENSHOTS / f"explorer-{role}-radar-export.png")
    with page.expect_download() as info:
        radar.locator("button[data-export=svg]").click()
    svg = open(info.value.path(), encoding="utf-8").read()
    assert svg.startswith("<?xml") and "<svg" in svg and "<path" in svg and "Cao Bằng" in svg
    exported = SCREENSHOTS / f"explorer-{role}-radar-export.svg"
    info.value.save_as(exported)
    # The SVG opens as a picture (look at it in the screenshot).
    back = page.url
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    page.set_content(f'<img id="exported" src="data:image/svg+xml;base64,{encoded}">')
    assert page.evaluate("() => document.getElementById('exported').naturalWidth") > 100
    shot(page, f"explorer-{role}-radar-export-svg")
    page.goto(back)
    assert page.js_errors == []


def test_map_and_charts_are_keyboard_reachable_with_text_alternatives(login_as, live_server, shot):
    page = login_as("anonymous")
    page.goto(f"{live_server.url}/ban-do/")
    page.focus("#map-measure")
    unit = None
    for _ in range(12):
        page.keyboard.press("Tab")
        unit = page.evaluate("() => document.activeElement.getAttribute('data-unit')")
        if unit:
            break
    assert unit == "Lai Châu"  # the first tile from the north-west
    assert page.locator("#tile-tip").inner_text().startswith(unit + ": hạng")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == f"Hồ sơ tỉnh: {unit}"
    # The map's SVG also downloads (it is our own drawing).
    page.goto(f"{live_server.url}/ban-do/")
    with page.expect_download() as info:
        page.click("#tile-map ~ p.chart-dl button[data-export=svg], figure p.chart-dl button[data-export=svg]")
    assert "<svg" in open(info.value.path(), encoding="utf-8").read()
    for path in ("/so-sanh/", "/xu-huong/", "/ho-so/", "/", "/do-tin-cay/", "/chi-so/1.2.1/", "/xep-hang/"):
        page.goto(f"{live_server.url}{path}")
        # Every chart exports as SVG from its own configuration (bars, lines, radar, intervals).
        for i, button in enumerate(page.locator("p.chart-dl button[data-export=svg]").all()):
            with page.expect_download() as info:
                button.click()
            svg = open(info.value.path(), encoding="utf-8").read()
            assert "<svg" in svg and svg.count("<path") > 5 and "<text" in svg, (path, i)
            info.value.save_as(SCREENSHOTS / f"explorer-export{path.replace('/', '-')}{i}.svg")
        for canvas in page.locator("canvas[data-chart]").all():
            assert canvas.get_attribute("tabindex") == "0", path
            assert canvas.get_attribute("role") == "img", path
            assert len(canvas.get_attribute("aria-label") or "") > 10, path
        canvas = page.locator("canvas[data-chart]").first
        canvas.focus()
        assert page.evaluate("() => document.activeElement.tagName") == "CANVAS"
    assert page.js_errors == []


PHONE_PAGES = ["/ban-do/", "/so-sanh/", "/xu-huong/?ma=1.2.1", "/ho-so/", "/phuong-phap/", "/tim-kiem/?q=lao+dong"]


@pytest.mark.parametrize("role", ROLES)
def test_new_pages_fit_a_phone(browser, live_server, personas, shot, role):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        if role != "anonymous":
            page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
            page.fill("input[name=username]", personas.by_role[role].username)
            page.fill("input[name=password]", personas.password)
            with page.expect_navigation():
                page.click("form.form button[type=submit]")
        for path in PHONE_PAGES:
            page.goto(f"{live_server.url}{path}")
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 390, (path, width)
            shot(page, f"explorer-phone-{role}-{path.strip('/').split('?')[0] or 'home'}")
    finally:
        context.close()

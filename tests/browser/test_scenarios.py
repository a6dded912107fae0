"""Kịch bản in the browser: run a what-if and see the rank change; save the scenario and reopen it."""

from __future__ import annotations

import re

import pytest

from piiplan.demo import demo_framework, load_demo
from piiplan.web.indexdata import service
from piiplan.web.indexdata.models import Scenario

UNIT = "Lạng Sơn"


@pytest.fixture(autouse=True)
def _fresh_memo():
    service.clear_memo()
    yield
    service.clear_memo()


def best_values(prefixes=("1.", "2.")) -> dict[str, float]:
    fw, ds = demo_framework(), load_demo()
    wide = ds.wide(2025, fw.indicators)
    direction = dict(zip(fw.indicators, fw.direction()))
    return {c: float(wide[c].max() if direction[c] > 0 else wide[c].min())
            for c in fw.indicators if c.startswith(prefixes)}


def ranks(page) -> tuple[int, int]:
    m = re.search(r"Hạng (\d+) → (\d+)", page.inner_text("#focus-rank"))
    assert m
    return int(m.group(1)), int(m.group(2))


def test_what_if_changes_the_rank_then_save_and_reopen(login_as, live_server, shot):
    page = login_as("dost_staff")
    page.goto(f"{live_server.url}/du-lieu/kich-ban/")
    page.select_option("select[name=unit]", UNIT)
    page.select_option("select[name=year]", "2025")
    for code, value in best_values().items():
        page.fill(f"input[name='v_{code}']", f"{value:.4f}".replace(".", ","))
    with page.expect_navigation():
        page.click("#compute")
    before, after = ranks(page)
    assert after < before
    highlighted = page.locator("#ranking-table tr.highlight")
    assert highlighted.get_attribute("data-unit") == UNIT
    assert highlighted.locator("td.rank-after").inner_text() == str(after)
    page.wait_for_function("document.querySelector('#whatif-chart').width > 0")
    shot(page, "kich-ban-tinh-lai")

    page.fill("input[name=name]", "Lạng Sơn — thể chế và nhân lực tốt nhất")
    with page.expect_navigation():
        page.click("#save")
    assert "Đã lưu kịch bản" in page.inner_text(".messages")
    item = Scenario.objects.get()
    assert page.url.endswith(f"/du-lieu/kich-ban/{item.pk}/")

    # Reopen from the list: the edits come back and the rank change is recomputed.
    page.goto(f"{live_server.url}/du-lieu/kich-ban/")
    with page.expect_navigation():
        page.click("#saved-scenarios >> text=Lạng Sơn — thể chế và nhân lực tốt nhất")
    assert ranks(page) == (before, after)
    first = next(iter(best_values()))
    assert page.input_value(f"input[name='v_{first}']") != ""
    shot(page, "kich-ban-mo-lai")
    assert not page.js_errors


def test_leader_views_a_saved_scenario_read_only(login_as, live_server, personas, shot):
    item = Scenario.objects.create(name="Kịch bản của Sở", owner=personas.staff, year=2025, unit=UNIT,
                                   edits={UNIT: best_values(("1.",))})
    page = login_as("leader")
    page.goto(f"{live_server.url}/du-lieu/kich-ban/{item.pk}/")
    before, after = ranks(page)
    assert after <= before
    assert page.locator("#save").count() == 0
    assert page.locator("#whatif-form").count() == 0 and page.locator("input[name='v_1.1.1']").count() == 0
    assert page.locator("#changes-table tbody tr").count() == len(best_values(("1.",)))
    assert "Lãnh đạo xem kết quả" in page.inner_text("#whatif-readonly")
    shot(page, "kich-ban-lanh-dao")


def test_target_rank_optimiser_plan_saved_as_a_scenario(login_as, live_server, shot, settings):
    # the job runs inside the request here (immediate backend); production uses the database backend + worker
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    page = login_as("dost_staff")
    page.goto(f"{live_server.url}/du-lieu/kich-ban/muc-tieu/")
    page.select_option("select[name=unit]", UNIT)
    current = service.results(2025).ranks.at[UNIT, "PII"]
    page.fill("input[name=target_rank]", str(int(current) - 2))
    page.fill("input[name=probability]", "0,8")
    with page.expect_navigation(timeout=60_000):
        page.click("#target-form button[type=submit]")
    page.wait_for_selector("#target-result", timeout=60_000)
    assert "xác suất giữ hạng" in page.inner_text("#target-result")
    assert page.locator("#plan-table tbody tr").count() >= 1
    assert "tỉnh làm tốt nhất" in page.inner_text("#plan-table")
    shot(page, "kich-ban-muc-tieu")
    with page.expect_navigation():
        page.click("#save-plan button[type=submit]")
    assert "Đã lưu kịch bản" in page.inner_text(".messages")
    before, after = ranks(page)
    assert after <= int(current) - 2 < before
    for path, name in (("loi-ich-bien/", "kich-ban-loi-ich-bien"), ("du-bao/", "kich-ban-du-bao"),
                       ("don-bay/", "kich-ban-don-bay")):
        page.goto(f"{live_server.url}/du-lieu/kich-ban/{path}")
        assert page.locator("table.table tbody tr").count() >= 30
        shot(page, name)
    assert not page.js_errors


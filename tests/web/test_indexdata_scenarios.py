"""*Kịch bản*: what-if recompute (vs a direct engine build), save/reopen/update, soft delete and
restore (audited), leaders read-only, the target-rank optimiser."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from piiplan.analysis.context import IndexInputs
from piiplan.demo import demo_framework, load_demo
from piiplan.web.audit.models import AuditEntry
from piiplan.web.indexdata import service
from piiplan.numbers import parse_number as parse_vi_number
from piiplan.web.indexdata.models import Scenario

pytestmark = pytest.mark.django_db
UNIT = "Lạng Sơn"


@pytest.fixture(autouse=True)
def _fresh_memo():
    service.clear_memo()
    yield
    service.clear_memo()


def expected_rank(edits: dict, year=2025):
    fw, ds = demo_framework(), load_demo()
    inputs = IndexInputs.from_dataset(fw, ds, year)
    data = inputs.data.copy()
    for code, value in edits.items():
        data.at[UNIT, code] = value
    return int(inputs.build(data).ranks.at[UNIT, "PII"]), int(inputs.build().ranks.at[UNIT, "PII"])


def big_edits():
    """Best value of the country in every pillar-1 indicator (a move large enough to change the rank)."""
    fw, ds = demo_framework(), load_demo()
    wide = ds.wide(2025, fw.indicators)
    codes = [c for c in fw.indicators if c.startswith(("1.", "2."))]
    direction = dict(zip(fw.indicators, fw.direction()))
    return {c: float(wide[c].max() if direction[c] > 0 else wide[c].min()) for c in codes}


def focus_rank(html: str) -> tuple[int, int]:
    m = re.search(r'id="focus-rank">Hạng (\d+) → (\d+)', html)
    assert m, html[:2000]
    return int(m.group(1)), int(m.group(2))


def test_parse_vi_number():
    assert parse_vi_number("65,5") == 65.5
    assert parse_vi_number("1.234,5") == 1234.5
    assert parse_vi_number("12.5") == 12.5
    with pytest.raises(ValueError):
        parse_vi_number("mười")


def test_what_if_recomputes_like_the_engine(client_for):
    edits = big_edits()
    after, before = expected_rank(edits)
    assert after < before  # the scenario really moves the province
    data = {"unit": UNIT, "year": "2025", "action": "compute", **{f"v_{c}": str(v) for c, v in edits.items()}}
    response = client_for("dost_staff").post(reverse("indexdata:scenarios"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert focus_rank(html) == (before, after)
    assert html.count('data-unit="') == 34
    assert 'id="whatif-data"' in html and "chart.umd.min.js" in html
    assert not Scenario.objects.exists()  # computing saves nothing


def test_treatment_notes_name_the_rules_in_vietnamese(client_for):
    fw, ds = demo_framework(), load_demo()
    wide = ds.wide(2025, fw.indicators)
    html = client_for("dost_staff").post(reverse("indexdata:scenarios"), {
        "unit": UNIT, "year": "2025", "action": "compute", "v_1.1.1": str(float(wide["1.1.1"].max()) * 10),
    }).content.decode()
    assert "Xử lý ngoại lai của chỉ số 1.1.1 đổi từ «không xử lý» sang «thay giá trị ngoại lai»." in html
    assert "bị cắt về giá trị kế tiếp khi thay giá trị ngoại lai" in html
    assert "«none»" not in html and "«winsorise»" not in html and "bị cắt (winsorise)" not in html


def test_percent_change_and_bad_numbers(client_for):
    fw, ds = demo_framework(), load_demo()
    wide = ds.wide(2025, fw.indicators)
    code = next(c for c in fw.indicators if wide.at[UNIT, c] == wide.at[UNIT, c] and wide.at[UNIT, c] > 0)
    staff = client_for("dost_staff")
    html = staff.post(reverse("indexdata:scenarios"),
                      {"unit": UNIT, "year": "2025", f"p_{code}": "50", "action": "compute"}).content.decode()
    after, before = expected_rank({code: wide.at[UNIT, code] * 1.5})
    assert focus_rank(html) == (before, after)
    html = staff.post(reverse("indexdata:scenarios"),
                      {"unit": UNIT, "year": "2025", f"v_{code}": "nhiều", "action": "compute"}).content.decode()
    assert f"Chỉ số {code}: «nhiều» không phải là số." in html and 'id="whatif-result"' not in html


def test_save_reopen_update_delete_restore(client_for, personas):
    edits = big_edits()
    staff = client_for("dost_staff")
    data = {"unit": UNIT, "year": "2025", "action": "save", "name": "Lạng Sơn cải thiện thể chế",
            **{f"v_{c}": str(v).replace(".", ",") for c, v in edits.items()}}
    response = staff.post(reverse("indexdata:scenarios"), data)
    item = Scenario.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("indexdata:scenario", args=[item.pk])
    assert item.owner == personas.staff and item.unit == UNIT and item.year == 2025
    assert item.edits[UNIT] == pytest.approx(edits)
    assert AuditEntry.objects.filter(action="scenario_create", object_id=str(item.pk)).exists()

    # Reopening recomputes from the stored edits (for a leader too, read-only).
    after, before = expected_rank(edits)
    leader_html = client_for("leader").get(reverse("indexdata:scenario", args=[item.pk])).content.decode()
    assert focus_rank(leader_html) == (before, after)
    # Leaders read: no dead editor, only the scenario's changes and a note on who edits.
    assert 'id="save"' not in leader_html and 'id="whatif-form"' not in leader_html and "name=\"v_" not in leader_html
    assert "Lãnh đạo xem kết quả các kịch bản đã lưu" in leader_html
    changes = re.findall(r"<tr><td>([\d.]+)</td>", leader_html.split('id="changes-table"')[1].split("</table>")[0])
    assert changes == list(edits)
    listing = client_for("leader").get(reverse("indexdata:scenarios")).content.decode()
    assert 'id="whatif-form"' not in listing and 'name="v_' not in listing and "Lạng Sơn cải thiện thể chế" in listing
    assert 'href="/du-lieu/kich-ban/muc-tieu/"' not in listing    # the optimiser is for staff, as saving is
    assert client_for("leader").post(reverse("indexdata:scenario", args=[item.pk]), data).status_code == 403

    # Update: a smaller set of edits.
    first = next(iter(edits))
    staff.post(reverse("indexdata:scenario", args=[item.pk]),
               {"unit": UNIT, "year": "2025", "action": "save", "name": "Chỉ một chỉ số", f"v_{first}": "1",
                "version": str(item.version)})
    item.refresh_from_db()
    assert item.name == "Chỉ một chỉ số"
    assert item.edits == {UNIT: {first: 1.0}}

    staff.post(reverse("indexdata:scenario_delete", args=[item.pk]))
    assert not Scenario.objects.exists() and Scenario.all_objects.filter(pk=item.pk).exists()
    assert client_for("dost_staff").get(reverse("indexdata:scenario", args=[item.pk])).status_code == 404
    staff.post(reverse("indexdata:scenario_restore", args=[item.pk]))
    assert Scenario.objects.filter(pk=item.pk).exists()
    actions = set(AuditEntry.objects.filter(object_id=str(item.pk), object_type="indexdata.scenario")
                  .values_list("action", flat=True))
    assert {"scenario_create", "scenario_update", "delete", "restore"} <= actions


def test_saving_without_edits_or_name_is_refused(client_for):
    staff = client_for("dost_staff")
    html = staff.post(reverse("indexdata:scenarios"),
                      {"unit": UNIT, "year": "2025", "action": "save", "name": "Trống"}).content.decode()
    assert "chưa có thay đổi nào" in html
    html = staff.post(reverse("indexdata:scenarios"),
                      {"unit": UNIT, "year": "2025", "action": "save", "v_1.1.1": "5"}).content.decode()
    assert "Hãy đặt tên cho kịch bản." in html
    assert not Scenario.objects.exists()


def test_target_optimiser_reaches_the_target_and_can_be_saved(client_for, settings,
                                                              django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    staff = client_for("dost_staff")
    _, now = expected_rank({})
    target = now - 2
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("indexdata:target"), {
            "unit": UNIT, "target_rank": str(target), "probability": "0", "competitors": "still",
            "percentile": "100", "time_budget": "10"})
    assert response.status_code == 302
    html = staff.get(response["Location"]).content.decode()
    assert 'id="plan-table"' in html, html[:3000]
    m = re.search(r"sau thay đổi hạng <strong>(\d+)</strong>", html)
    assert m and int(m.group(1)) <= target
    # The plan's values, saved as a scenario, reproduce the rank on reopening.
    values = dict(re.findall(r'name="v_([\d.]+)" value="([^"]+)"', html))
    assert values
    response = staff.post(reverse("indexdata:scenarios"),
                          {"unit": UNIT, "year": "2025", "action": "save", "name": "Lên hạng",
                           "target_rank": str(target), **{f"v_{c}": v for c, v in values.items()}})
    item = Scenario.objects.get()
    assert response.status_code == 302 and item.optimiser["target_rank"] == str(target)
    reopened = staff.get(reverse("indexdata:scenario", args=[item.pk])).content.decode()
    assert focus_rank(reopened)[1] <= target


def test_target_form_rejects_an_impossible_rank(client_for):
    html = client_for("dost_staff").post(reverse("indexdata:target"),
                                         {"unit": UNIT, "target_rank": "40", "probability": "0,8", "competitors": "trend",
                                          "percentile": "100", "time_budget": "10"}).content.decode()
    assert "Hạng mục tiêu phải từ 1 đến 34" in html


def test_a_stale_scenario_save_is_refused_with_the_conflict_message(client_for, personas):
    """Two people open the same scenario; the second save (from the old version) changes nothing."""
    from tests.web import indexdata_fixtures as ix

    item = ix.scenario(personas)
    staff = client_for("dost_staff")
    url = reverse("indexdata:scenario", args=[item.pk])
    opened = str(item.version)
    first = staff.post(url, {"unit": UNIT, "year": "2025", "action": "save", "name": "Bản của người thứ nhất",
                             "v_1.1.1": "60", "version": opened})
    assert first.status_code == 302
    second = staff.post(url, {"unit": UNIT, "year": "2025", "action": "save", "name": "Bản cũ ghi đè",
                              "v_1.1.1": "10", "version": opened})
    assert second.status_code == 409
    assert "vừa được" in second.content.decode() and "chưa được" in second.content.decode()
    item.refresh_from_db()
    assert item.name == "Bản của người thứ nhất" and item.version == 2
    assert staff.post(url, {"unit": UNIT, "year": "2025", "action": "save", "name": "x", "v_1.1.1": "10",
                            "version": "abc"}).status_code == 409

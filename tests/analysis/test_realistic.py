"""Realistic target plans (issue 10): lever model, calendar, reach, probability, pathway, bad input."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piiplan.analysis.context import IndexInputs
from piiplan.analysis.levers import Calendar, LeverError, lever_table, levers_csv, read_levers
from piiplan.analysis.plan_risk import Draws, _holding_by_builds, draw_competitors, holding
from piiplan.analysis.reach import reach_model
from piiplan.analysis.realistic import PlanOptionError, PlanOptions, plan_target

demo = pytest.importorskip("piiplan.demo")
MARCH = date(2026, 3, 1)


@pytest.fixture(scope="module")
def panel():
    ds, fw = demo.load_demo(), demo.demo_framework()
    inputs = IndexInputs.from_dataset(fw, ds)
    return fw, ds, inputs, inputs.build().ranks[fw.root]


def test_lever_table_covers_the_framework_and_round_trips(panel):
    fw = panel[0]
    table = lever_table(fw)
    assert list(table.index) == fw.indicators
    assert set(table.lever_class) == {"evidence", "programme", "structural", "external"}
    assert table.at["7.2.4", "lever_class"] == "structural" and table.at["1.2.1", "lever_class"] == "external"
    again = read_levers(levers_csv(table), fw)
    pd.testing.assert_frame_equal(again, table)


def test_bad_lever_csv_names_the_row(panel):
    fw = panel[0]
    text = levers_csv(lever_table(fw)).replace("7.2.4,index,structural", "7.2.4,index,magic", 1)
    with pytest.raises(LeverError, match=r"dòng 53, cột lever_class: «magic»"):
        read_levers(text, fw)
    with pytest.raises(LeverError, match="thiếu dòng cho chỉ số: 7.2.4"):
        read_levers("\n".join(levers_csv(lever_table(fw)).splitlines()[:-1]), fw)


def test_calendar_says_which_edition_a_change_reaches():
    cal = Calendar.load()
    assert cal.closes_on(2024) == date(2024, 8, 30)
    assert cal.edition_for("evidence", 1, date(2024, 8, 30)) == (2024, 2023)      # collection still open
    assert cal.edition_for("evidence", 1, date(2024, 8, 31)) == (2025, 2024)      # closed: next edition
    assert cal.edition_for("programme", 1, MARCH) == (2027, 2026)                 # this year's data
    assert cal.edition_for("programme", 1, date(2026, 9, 1)) == (2028, 2027)      # too late for this year


def test_reach_follows_the_panel_not_one_big_jump(panel):
    fw, ds, inputs, _ = panel
    model = reach_model(fw, ds)
    own = inputs.data.loc["Lạng Sơn"]
    years = ds.years
    # the best relative yearly improvement observed on 4.1.4 (bases above the 10th percentile)
    x = {y: ds.wide(y, fw.indicators)["4.1.4"] for y in years}
    rel = pd.concat([(x[b] - x[a]) / x[a] for a, b in zip(years[:-1], years[1:])])
    assert model.stats["4.1.4"].best <= rel.max() + 1e-12
    # structural: the typical (median) change, far below the best
    assert model.reach("4.1.4", own["4.1.4"]) < 0.6 * model.best_step("4.1.4", own["4.1.4"])
    assert model.reach("4.1.4", own["4.1.4"]) / own["4.1.4"] == pytest.approx(model.stats["4.1.4"].chosen)
    for code in fw.indicators:
        assert 0 <= model.reach(code, own[code]) <= model.best_step(code, own[code]) + 1e-12
    # a score never passes its scale
    assert model.reach("3.1.1", 0.999) <= 0.001 + 1e-12


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_plan_row_asks_more_than_its_default_reach(panel, data):
    """Issue 10 "done when": any province, any target 1–8 places up (sampled; the benchmark runs all 272)."""
    fw, ds, _, ranks = panel
    unit = data.draw(st.sampled_from([u for u, r in ranks.items() if r > 1]))
    k = int(ranks[unit]) - data.draw(st.integers(1, min(8, int(ranks[unit]) - 1)))
    out = plan_target(fw, ds, unit, k, options=PlanOptions(time_budget=1.0, draws=200, pathway_until=2027,
                                                           as_of=MARCH))
    for row in out.rows:
        assert abs(row.change) <= row.default_reach * (1 + 1e-9) + 1e-12, row
        assert row.effort <= 1 + 1e-9 and row.rationale and row.edition >= 2026
        assert row.edition == (2026 if row.lever_class == "evidence" else 2027)
    if out.feasible:
        assert out.confirmed and out.rank_after <= k
        assert out.probability is not None and 0 <= out.probability <= 1 and out.margin is not None
        assert out.margin >= out.safety_margin - 1e-9
    else:
        assert out.reason and out.best_rank > k and out.pathway
        assert [y["year"] for y in out.pathway][0] == 2026
        ranks_path = [y["rank"] for y in out.pathway]
        assert ranks_path[0] <= ranks[unit]


def test_plan_holds_with_the_required_probability_and_is_reproducible(panel):
    fw, ds, _, _ = panel
    opts = PlanOptions(probability=0.8, time_budget=60, as_of=MARCH)      # generous: the search finishes
    a = plan_target(fw, ds, "Lạng Sơn", 27, options=opts)
    b = plan_target(fw, ds, "Lạng Sơn", 27, options=PlanOptions(probability=0.8, time_budget=60, as_of=MARCH))
    assert a.optimal and b.optimal
    assert a.feasible and a.draws == 1000 and a.probability >= 0.8 and a.holds
    assert a.probability == b.probability and [r.code for r in a.rows] == [r.code for r in b.rows]
    unsafe = plan_target(fw, ds, "Lạng Sơn", 27, options=PlanOptions(probability=0.0, time_budget=5, as_of=MARCH))
    assert unsafe.probability is None and unsafe.effort <= a.effort + 1e-9


def test_batched_draws_equal_full_rebuilds(panel):
    fw, ds, inputs, _ = panel
    draws = draw_competitors(fw, ds, inputs.year, lever_table(fw), n=40, seed=5)
    own = inputs.data.loc["Lạng Sơn"]
    fast = holding(inputs, "Lạng Sơn", own, 28, draws)
    slow = _holding_by_builds(inputs, "Lạng Sơn", own.to_numpy(float), 28,
                              Draws(draws.values, draws.units, draws.indicators, 5), None)
    np.testing.assert_allclose(fast.leads, slow.leads, atol=1e-9)
    assert fast.probability == slow.probability


def test_out_of_reach_target_gives_reason_best_rank_and_pathway(panel):
    fw, ds, _, _ = panel
    out = plan_target(fw, ds, "Lai Châu", 20, options=PlanOptions(time_budget=4, as_of=MARCH))
    assert not out.feasible and "cần thêm" in out.reason and 20 < out.best_rank < 34
    years = [y["year"] for y in out.pathway]
    assert years == list(range(2026, years[-1] + 1)) and years[-1] <= 2030
    assert all(b["rank"] <= a["rank"] for a, b in zip(out.pathway, out.pathway[1:]))      # better every year
    # each year carries the probability of holding that year's target (Monte Carlo, h years ahead)
    probs = [y["probability"] for y in out.pathway]
    assert all(p is not None and 0 <= p <= 1 for p in probs), probs
    again = plan_target(fw, ds, "Lai Châu", 20, options=PlanOptions(time_budget=4, as_of=MARCH))
    assert [y["probability"] for y in again.pathway] == probs                            # seeded
    silent = plan_target(fw, ds, "Lai Châu", 20, options=PlanOptions(probability=0.0, time_budget=4, as_of=MARCH))
    assert all(y["probability"] is None for y in silent.pathway)


def test_pathway_probability_is_the_share_of_draws_holding_the_years_target(panel):
    """Recomputed by hand for the first pathway year: the same draws, the year's planned values."""
    fw, ds, inputs, _ = panel
    out = plan_target(fw, ds, "Lai Châu", 20, options=PlanOptions(time_budget=4, draws=300, as_of=MARCH))
    first = out.pathway[0]
    own = inputs.data.loc["Lai Châu"].copy()
    for c in first["changes"]:
        own[c["code"]] = c["to"]
    draws = draw_competitors(fw, ds, inputs.year, lever_table(fw), n=300, seed=out.options.seed + 1, horizon=1)
    assert holding(inputs, "Lai Châu", own, first["target_rank"], draws).probability == first["probability"]


@pytest.mark.parametrize("opts, needle", [
    (PlanOptions(probability=1.5), "0–1"), (PlanOptions(probability=-0.1), "0–1"),
    (PlanOptions(bounds={"6.3.1": -1.0}), "≥ 0"), (PlanOptions(bounds={"9.9.9": 1.0}), "«9.9.9»"),
    (PlanOptions(fixed=("9.9.9",)), "«9.9.9»"), (PlanOptions(percentile=0), "Phân vị"),
])
def test_bad_options_are_refused_in_vietnamese(panel, opts, needle):
    fw, ds, _, _ = panel
    with pytest.raises(PlanOptionError, match=needle):
        plan_target(fw, ds, "Lạng Sơn", 25, options=opts)


def test_override_is_explicit_and_shown(panel):
    fw, ds, inputs, _ = panel
    x = inputs.data.at["Lạng Sơn", "4.1.4"]
    out = plan_target(fw, ds, "Lạng Sơn", 27, options=PlanOptions(bounds={"4.1.4": 5 * x}, probability=0,
                                                                  competitors="still", time_budget=5, as_of=MARCH))
    rows = {r.code: r for r in out.rows}
    if "4.1.4" in rows:
        assert rows["4.1.4"].overridden and "người dùng đặt" in rows["4.1.4"].rationale
    assert out.to_dict()["settings"]["bounds"] == {"4.1.4": 5 * x}

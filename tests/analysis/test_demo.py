"""The analyses on the shipped demo panel (34 provinces, 2023–2025): Lạng Sơn's case end to end."""

import numpy as np
import pytest

from piiplan.analysis.context import IndexInputs
from piiplan.analysis.profile import profile
from piiplan.analysis.target import default_bounds, optimise

demo = pytest.importorskip("piiplan.demo")

UNIT = "Lạng Sơn"


@pytest.fixture(scope="module")
def panel():
    ds = demo.load_demo()
    fw = demo.demo_framework()
    return fw, ds, IndexInputs.from_dataset(fw, ds, 2025, "pii")


def test_plan_takes_lang_son_from_29th_to_25th(panel):
    fw, ds, inputs = panel
    base = inputs.build()
    assert base.ranks.at[UNIT, "PII"] == 29
    out = optimise(inputs, UNIT, 25, bounds=default_bounds(fw, ds, 2025), ladder=8)
    assert out.feasible and out.confirmed and out.optimal
    # confirmed independently: apply the plan to the raw data and rebuild the whole index
    data = inputs.data.copy()
    bounds = default_bounds(fw, ds, 2025)
    for row in out.plan:
        assert data.at[UNIT, row.code] == pytest.approx(row.value_from)
        assert abs(row.change) <= bounds[row.code] + 1e-9
        data.at[UNIT, row.code] = row.value_to
    res = inputs.build(data)
    assert res.ranks.at[UNIT, "PII"] <= 25
    assert res.aggregated.at[UNIT, "PII"] == pytest.approx(out.score_after)
    assert out.margin_next > 0
    assert sum(r.points for r in out.plan) > 0
    lad = out.ladder
    assert list(lad.places_up) == list(range(1, 9))
    assert (np.diff(lad.effort.to_numpy(dtype=float)) >= -1e-9).all()
    assert lad.loc[lad.places_up == 4, "effort"].item() == pytest.approx(out.effort)


def test_hdi_can_be_frozen(panel):
    fw, ds, inputs = panel
    out = optimise(inputs, UNIT, 25, bounds=default_bounds(fw, ds, 2025), fixed=["7.2.4"], ladder=0)
    assert "7.2.4" not in {r.code for r in out.plan}
    assert out.feasible and out.confirmed


def test_profile_matches_the_published_strengths(panel):
    fw, ds, inputs = panel
    p = profile(inputs, UNIT, previous=IndexInputs.from_dataset(fw, ds, 2024, "pii"))
    assert p.strengths.index.tolist() == ["5.5.2", "6.2.4", "1.2.1", "6.3.2", "1.2.4"]
    assert p.weaknesses.index.tolist() == ["7.2.2", "7.2.4", "7.1.2", "4.1.4", "4.2.2"]
    above = p.levels[(p.levels.level == 3) & (p.levels.gap_national > 0)].index.tolist()
    assert sorted(above) == ["1", "6"]
    assert p.summary["region"]

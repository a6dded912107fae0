import numpy as np
import pytest

from piiplan.analysis.context import IndexInputs
from piiplan.analysis.profile import natural_key, profile, strengths_weaknesses

from conftest import panel_dataset, small_framework


def test_strengths_and_weaknesses_rule(asem):
    res = asem.build()
    unit = "AUS"
    s, w = strengths_weaknesses(res, unit)
    ranks = res.ranks.loc[unit, res.structure.indicators].dropna()
    assert len(s) == 5 and len(w) == 5
    assert s["rank"].max() <= ranks.sort_values().iloc[4]
    assert w["rank"].min() >= ranks.sort_values().iloc[-5]
    # tie-break: equal ranks ordered by normalised score (desc for strengths), then code
    for a, b in zip(s.index[:-1], s.index[1:]):
        ka = (s.at[a, "rank"], -s.at[a, "score"], natural_key(a))
        kb = (s.at[b, "rank"], -s.at[b, "score"], natural_key(b))
        assert ka <= kb
    g_s, g_w = strengths_weaknesses(res, unit, rule="gii")
    assert (g_s["percentile"] >= g_w["percentile"].max()).all()


def test_natural_code_order():
    assert sorted(["1.10.1", "1.2.1", "1.2.10", "1.2.2"], key=natural_key) == ["1.2.1", "1.2.2", "1.2.10",
                                                                               "1.10.1"]


def test_profile_levels_and_averages(asem):
    p = profile(asem, "AUT")
    res = asem.build()
    root = asem.framework.root
    assert p.levels.index[0] == root
    assert p.summary["rank"] == res.ranks.at["AUT", root]
    assert p.levels.at[root, "national_mean"] == pytest.approx(res.aggregated[root].mean())
    ind = p.indicators
    below = ind[ind.position == "dưới"]
    assert (below.gap_points < 0).all()
    # raw gap is signed by direction: below-average means worse in the indicator's good direction
    d = ind.direction
    np.testing.assert_allclose(ind.gap_raw, (ind.raw - ind.national_mean_raw) * d)
    assert p.to_dict()["summary"]["n_units"] == len(res.units)


def test_year_on_year_change_is_decomposed_exactly():
    rng = np.random.default_rng(5)
    fw = small_framework(6, 2, [1, -1, 1, 1, -1, 1])
    ds = panel_dataset(rng, fw, n_units=9)
    cur = IndexInputs.from_dataset(fw, ds, 2025, "coinr")
    prev = IndexInputs.from_dataset(fw, ds, 2024, "coinr")
    p = profile(cur, "U3", previous=prev)
    ch = p.change
    root = fw.root
    total = ch.at[root, "score_change"]
    inds = fw.indicators
    assert ch.loc[inds, "contribution"].sum() == pytest.approx(total, abs=1e-10)
    pillars = fw.codes_at(2)
    assert ch.loc[pillars, "contribution"].sum() == pytest.approx(total, abs=1e-10)
    assert ch.at[root, "contribution"] == pytest.approx(total, abs=1e-10)
    # undoing the whole change gives the rank the previous score would have had against today's others
    assert ch.at[root, "rank_without"] == p.summary["rank_if_unchanged"]
    assert p.summary["rank_change"] == ch.at[root, "rank_prev"] - ch.at[root, "rank"]
    assert "region_mean" in p.levels.columns

"""The province-report rule (strengths/weaknesses with its tie-break) and the pillar comparison."""

from __future__ import annotations

import pytest

from piiplan.demo import demo_framework, load_demo
from piiplan.demo import summary
from piiplan.engine import build_dataset

LS = "Lạng Sơn"


@pytest.fixture(scope="module")
def fw():
    return demo_framework()


@pytest.fixture(scope="module")
def ds():
    return load_demo()


def _build(fw, ds, wide):
    return build_dataset(fw, ds.with_values(wide, 2025), 2025, "pii")


def test_ties_on_rank_break_by_score_then_framework_order(fw, ds):
    wide = ds.wide(2025, fw.indicators)
    # Lạng Sơn becomes first (tied with the old leader) on 7 indicators spread over the framework,
    # and strictly first on 3.2.1: rank 1 on eight indicators, all with normalised score 100.
    tied = ["7.2.3", "2.1.1", "6.1.2", "1.1.3", "4.2.1", "5.3.1", "3.1.2"]
    for code in tied:
        wide.at[LS, code] = wide[code].max()
    wide.at[LS, "3.2.1"] = wide["3.2.1"].max() * 1.01
    res = _build(fw, ds, wide)
    ranks = res.ranks.loc[LS]
    assert (ranks[tied + ["3.2.1"]] == 1).all()
    # all eight share rank 1 and score 100: framework order decides
    expected = [c for c in fw.indicators if c in tied + ["3.2.1"]][:5]
    assert summary.strengths(res, LS) == expected


def test_equal_rank_different_score_prefers_the_higher_score(fw, ds):
    wide = ds.wide(2025, fw.indicators)
    res = _build(fw, ds, wide)
    table = summary.ranked_indicators(res, LS)
    # the listing is sorted by rank, then score descending, then framework order
    keys = list(zip(table["rank"], -table["score"], table["order"]))
    assert keys == sorted(keys)


def test_weaknesses_are_the_worst_ranks_worst_first(fw, ds):
    res = build_dataset(fw, ds, 2025, "pii")
    ranks = res.ranks.loc[LS, fw.indicators].dropna()
    weak = summary.weaknesses(res, LS)
    assert [ranks[c] for c in weak] == sorted((ranks[c] for c in weak), reverse=True)
    assert min(ranks[c] for c in weak) >= ranks.drop(weak).max()


def test_missing_indicator_is_neither_strength_nor_weakness(fw, ds):
    wide = ds.wide(2025, fw.indicators)
    wide.at[LS, "5.5.2"] = float("nan")
    res = _build(fw, ds, wide)
    assert "5.5.2" not in summary.strengths(res, LS) + summary.weaknesses(res, LS)
    assert summary.strengths(res, LS)[:4] == ["6.2.4", "1.2.1", "6.3.2", "1.2.4"]


def test_pillars_vs_mean_and_summary(fw, ds):
    res = build_dataset(fw, ds, 2025, "pii")
    table = summary.pillars_vs_mean(res, LS)
    assert list(table["code"]) == ["1", "2", "3", "4", "5", "6", "7"]
    mean = res.aggregated[list(table["code"])].mean()
    assert table["mean"].tolist() == pytest.approx(mean.tolist())
    s = summary.summarise(res, LS)
    assert (s.rank, s.n_units) == (29, 34)
    assert s.score == pytest.approx((s.input + s.output) / 2)
    assert s.strengths == summary.strengths(res, LS)

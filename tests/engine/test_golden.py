"""Parity with COINr 1.1.14 on its ASEM example (golden files in tests/golden/coinr-asem)."""

import numpy as np
import pandas as pd
import pytest

from piiplan.engine import Recipe, build, build_dataset, preset
from tests.engine.conftest import GOLDEN, golden

TOL = 1e-9

CASE2 = Recipe([
    {"step": "denominate", "by": "metadata"},
    {"step": "impute", "method": "group_mean", "group": "EurAsia_group"},
    {"step": "screen", "threshold": 0.9},
    {"step": "treat", "method": "coinr"},
    {"step": "normalise", "method": "minmax"},
    {"step": "aggregate", "method": "amean"},
], name="coinr-example")


@pytest.fixture(scope="module")
def case1(asem_framework, asem_data):
    return build_dataset(asem_framework, asem_data, recipe=preset("coinr"))


@pytest.fixture(scope="module")
def case2(asem_framework, asem_data):
    return build_dataset(asem_framework, asem_data, recipe=CASE2)


def _table(res, stage):
    if stage == "ranks":
        return res.ranks
    if stage == "aggregated":
        return res.aggregated
    return res.stage(stage)


def assert_table(mine: pd.DataFrame, file: str):
    ref = golden(file).set_index("uCode")
    mine = mine.reindex(index=ref.index, columns=ref.columns)
    assert list(mine.columns) == list(ref.columns)
    a, b = mine.to_numpy(dtype=float), ref.to_numpy(dtype=float)
    assert (np.isnan(a) == np.isnan(b)).all(), "missing cells differ"
    scale = np.maximum(1.0, np.abs(np.nan_to_num(b)))
    assert np.nanmax(np.abs(a - b) / scale) <= TOL


@pytest.mark.parametrize("stage,file", [
    ("raw", "asem_raw.csv"), ("treated", "asem_treated.csv"), ("normalised", "asem_normalised.csv"),
    ("aggregated", "asem_aggregated.csv"), ("ranks", "asem_ranks.csv")])
def test_case1_stage(case1, stage, file):
    assert_table(_table(case1, stage), file)


@pytest.mark.parametrize("stage,file", [
    ("raw", "asemex_raw.csv"), ("denominated", "asemex_denominated.csv"), ("imputed", "asemex_imputed.csv"),
    ("screened", "asemex_screened.csv"), ("treated", "asemex_treated.csv"),
    ("normalised", "asemex_normalised.csv"), ("aggregated", "asemex_aggregated.csv"), ("ranks", "asemex_ranks.csv")])
def test_case2_stage(case2, stage, file):
    assert_table(_table(case2, stage), file)


@pytest.mark.parametrize("case,prefix", [("case1", "asem"), ("case2", "asemex")])
def test_treatment_details(request, case, prefix):
    res = request.getfixturevalue(case)
    ref = golden(f"{prefix}_treat_details.csv").set_index("iCode")
    t = res.treatment.loc[ref.index]
    assert (t["pass0"].astype(bool) == ref["check_SkewKurt0.Pass"].astype(bool)).all()
    np.testing.assert_allclose(t["skew0"], ref["check_SkewKurt0.Skew"], atol=TOL)
    np.testing.assert_allclose(t["kurt0"], ref["check_SkewKurt0.Kurt"], atol=TOL)
    fired = ref["winsorise.nwin"].notna()
    assert fired.any()
    np.testing.assert_array_equal(t.loc[fired, "nwin"].astype(int), ref.loc[fired, "winsorise.nwin"].astype(int))
    np.testing.assert_allclose(t.loc[fired, "skew1"].astype(float), ref.loc[fired, "check_SkewKurt1.Skew"], atol=TOL)
    np.testing.assert_allclose(t.loc[fired, "kurt1"].astype(float), ref.loc[fired, "check_SkewKurt1.Kurt"], atol=TOL)
    assert (t.loc[fired, "pass1"] == ref.loc[fired, "check_SkewKurt1.Pass"].astype(bool)).all()
    assert (t.loc[~fired, "fired"] == "none").all()


@pytest.mark.parametrize("case,prefix", [("case1", "asem"), ("case2", "asemex")])
def test_treated_points(request, case, prefix):
    res = request.getfixturevalue(case)
    ref = pd.read_csv(GOLDEN / f"{prefix}_treated_points.csv", keep_default_na=False).set_index("uCode")
    mine = res.treated_points.reindex(index=ref.index, columns=ref.columns)
    assert (mine == ref).all().all()
    assert (ref != "").sum().sum() > 0


@pytest.mark.parametrize("case,prefix", [("case1", "asem"), ("case2", "asemex")])
def test_weights(request, case, prefix):
    res = request.getfixturevalue(case)
    ref = golden(f"{prefix}_weights.csv").set_index("iCode")["Weight"]
    np.testing.assert_allclose(res.weights.reindex(ref.index).to_numpy(), ref.to_numpy())


def test_case3_replay(asem_framework, asem_data):
    """Each Monte Carlo replication of COINr's Case 3 rebuilt from its sampled weights and normalisation."""
    wts = golden("asem_ua_para_weights.csv")
    norm = golden("asem_ua_para_norm.csv").set_index("rep")["f_n"]
    scores = golden("asem_ua_scores.csv").set_index("uCode")
    ranks = golden("asem_ua_ranks.csv").set_index("uCode")
    wide = asem_data.wide(indicators=asem_framework.indicators)
    base = preset("coinr")
    for rep in (1, 2, 7, 50, 100):
        w = wts[wts["rep"] == rep]
        recipe = base.set("aggregate.weights", {str(c): float(v) for c, v in zip(w["iCode"], w["Weight"])})
        if norm[rep] == "n_zscore":
            recipe = recipe.set("normalise.method", "zscore").set("normalise.mean", 10).set("normalise.sd", 2)
        res = build(asem_framework, wide, recipe)
        idx = res.aggregated["Index"].reindex(scores.index)
        np.testing.assert_allclose(idx.to_numpy(), scores[f"r_{rep}"].to_numpy(), atol=TOL)
        np.testing.assert_array_equal(res.ranks["Index"].reindex(ranks.index).to_numpy(),
                                      ranks[f"r_{rep}"].to_numpy())


def test_case3_rank_statistics(asem_framework, asem_data):
    """All 100 replications → nominal, mean, median, 5th and 95th percentile rank (R quantile type 7)."""
    wts = golden("asem_ua_para_weights.csv")
    norm = golden("asem_ua_para_norm.csv").set_index("rep")["f_n"]
    stats = golden("asem_ua_rankstats.csv").set_index("uCode")
    wide = asem_data.wide(indicators=asem_framework.indicators)
    base = preset("coinr")
    all_ranks = []
    for rep in range(1, 101):
        w = wts[wts["rep"] == rep]
        recipe = base.set("aggregate.weights", {str(c): float(v) for c, v in zip(w["iCode"], w["Weight"])})
        if norm[rep] == "n_zscore":
            recipe = recipe.set("normalise.method", "zscore").set("normalise.mean", 10).set("normalise.sd", 2)
        all_ranks.append(build(asem_framework, wide, recipe).ranks["Index"].reindex(stats.index).to_numpy())
    R = np.vstack(all_ranks)
    nominal = build(asem_framework, wide, base).ranks["Index"].reindex(stats.index).to_numpy()
    np.testing.assert_array_equal(nominal, stats["Nominal"].to_numpy())
    np.testing.assert_allclose(R.mean(axis=0), stats["Mean"].to_numpy(), atol=TOL)
    np.testing.assert_allclose(np.median(R, axis=0), stats["Median"].to_numpy(), atol=TOL)
    np.testing.assert_allclose(np.quantile(R, 0.05, axis=0), stats["Q5"].to_numpy(), atol=TOL)
    np.testing.assert_allclose(np.quantile(R, 0.95, axis=0), stats["Q95"].to_numpy(), atol=TOL)

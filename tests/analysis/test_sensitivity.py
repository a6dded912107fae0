import numpy as np
import pandas as pd
import pytest

from piiplan.analysis.sensitivity import saltelli_design, sensitivity, sobol_indices
from piiplan.analysis.uncertainty import Assumptions

from conftest import ASEM

CASE4 = Assumptions(weight_noise={2: 0.25, 3: 0.25},
                    normalisation=[{"method": "minmax", "lower": 0.0, "upper": 100.0},
                                   {"method": "zscore", "mean": 10.0, "sd": 2.0}])


def test_estimators_on_an_additive_function():
    """y = x1 + 2·x2 with uniform inputs: S1 = ST1 = 1/5, S2 = ST2 = 4/5."""
    n = 20000
    X = saltelli_design(n, [1, 1], np.random.default_rng(0))
    y = X[:, 0] + 2 * X[:, 1]
    ind, var = sobol_indices(y, n, 2, n_boot=50, rng=1)
    np.testing.assert_allclose(ind["Si"], [0.2, 0.8], atol=0.03)
    np.testing.assert_allclose(ind["STi"], [0.2, 0.8], atol=0.03)
    assert var == pytest.approx(5 / 12, rel=0.03)
    assert (ind["STi_q5"] <= ind["STi"]).all() and (ind["STi"] <= ind["STi_q95"]).all()


def test_case4_agrees_with_coinr_within_its_intervals(asem):
    ref = pd.read_csv(ASEM / "asem_sa_sensitivity.csv").set_index("Variable")
    ours = sensitivity(asem, CASE4, n=2000, seed=2024, output="mean_abs_rank_change", n_boot=200)
    for name, var in [("weights", "Weights"), ("normalisation", "Normalisation")]:
        for est in ("Si", "STi"):
            lo, hi = ref.at[var, f"{est}_q5"], ref.at[var, f"{est}_q95"]
            assert lo <= ours.indices.at[name, est] <= hi, (name, est, ours.indices.at[name, est], lo, hi)
            # and the two confidence intervals overlap
            assert ours.indices.at[name, f"{est}_q5"] <= hi and lo <= ours.indices.at[name, f"{est}_q95"]
    assert ours.uncertainty.ranks.shape == (4000, len(asem.units))


def test_rank_of_one_unit_and_four_assumptions(asem):
    s = sensitivity(asem, Assumptions.default(), n=300, seed=1, output="rank", unit="AUS", n_boot=50)
    assert list(s.indices.index) == ["weights", "normalisation", "treatment", "imputation"]
    assert (s.indices["STi"] >= -1e-12).all()
    d = s.to_dict()
    assert d["unit"] == "AUS" and d["indices"][0]["name_vi"] == "Trọng số"
    with pytest.raises(KeyError):
        sensitivity(asem, CASE4, n=10, seed=1, output="rank", unit="XXX")


def test_first_order_estimator_ignores_the_output_level():
    """Adding a constant to y (a rank near 29 instead of near 0) must not change the estimates:
    the first-order estimator runs on centred outputs."""
    n = 2000
    X = saltelli_design(n, [1, 1], np.random.default_rng(3))
    y = X[:, 0] + 2 * X[:, 1]
    low, _ = sobol_indices(y, n, 2, n_boot=50, rng=1)
    high, _ = sobol_indices(y + 1000.0, n, 2, n_boot=50, rng=1)
    np.testing.assert_allclose(high["Si"], low["Si"], atol=1e-9)
    np.testing.assert_allclose(high[["Si_q5", "Si_q95", "STi"]], low[["Si_q5", "Si_q95", "STi"]], atol=1e-9)


def test_first_order_of_one_units_rank_is_stable_across_seeds():
    """A well-conditioned synthetic case (a mid-table unit whose rank moves with both assumptions):
    S1 lies in [−0.1, 1.1] for every seed and the intervals of different seeds overlap."""
    from conftest import small_inputs

    inp = small_inputs(np.random.default_rng(5), n_units=25, n_ind=8, integer=False, skewed=False)
    a = Assumptions(weight_noise={1: 0.2, 2: 0.5},
                    normalisation=[{"method": "minmax"}, {"method": "zscore", "mean": 10.0, "sd": 2.0}])
    runs = [sensitivity(inp, a, n=500, seed=seed, output="rank", unit="U10", n_boot=100).indices
            for seed in (1, 2, 3)]
    for ind in runs:
        assert ind["Si"].between(-0.1, 1.1).all(), ind
        assert (ind["Si"] <= ind["STi"] + 0.15).all()
    for a_, b_ in [(0, 1), (0, 2), (1, 2)]:
        x, y = runs[a_], runs[b_]
        assert ((x["Si_q5"] <= y["Si_q95"]) & (y["Si_q5"] <= x["Si_q95"])).all(), (x, y)

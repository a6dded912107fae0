import numpy as np
import pandas as pd
import pytest

from piiplan.analysis.uncertainty import Assumptions, Evaluator, monte_carlo, replay

from conftest import ASEM, small_inputs

NORM = {"n_minmax": {"method": "minmax", "lower": 0.0, "upper": 100.0},
        "n_zscore": {"method": "zscore", "mean": 10.0, "sd": 2.0}}


@pytest.fixture(scope="module")
def case3(asem):
    w = pd.read_csv(ASEM / "asem_ua_para_weights.csv").rename(columns={"iCode": "code", "Weight": "weight"})
    nm = pd.read_csv(ASEM / "asem_ua_para_norm.csv").sort_values("rep")
    return replay(asem, w, [NORM[f] for f in nm.f_n])


def test_case3_scores_and_ranks_replayed_exactly(case3):
    sc = pd.read_csv(ASEM / "asem_ua_scores.csv").set_index("uCode").loc[case3.units]
    rk = pd.read_csv(ASEM / "asem_ua_ranks.csv").set_index("uCode").loc[case3.units]
    cols = [f"r_{i + 1}" for i in range(100)]
    np.testing.assert_allclose(case3.scores.T, sc[cols].to_numpy(), rtol=0, atol=1e-9)
    np.testing.assert_allclose(case3.nominal_scores, sc["Nominal"].to_numpy(), rtol=0, atol=1e-9)
    np.testing.assert_array_equal(case3.ranks.T, rk[cols].to_numpy())
    np.testing.assert_array_equal(case3.nominal_ranks, rk["Nominal"].to_numpy())


def test_case3_rank_statistics(case3):
    st = pd.read_csv(ASEM / "asem_ua_rankstats.csv").set_index("uCode").loc[case3.units]
    ours = case3.rank_stats
    for a, b in [("nominal", "Nominal"), ("mean", "Mean"), ("median", "Median"), ("q5", "Q5"), ("q95", "Q95")]:
        np.testing.assert_allclose(ours[a].to_numpy(), st[b].to_numpy(), rtol=0, atol=1e-9)


def test_seeded_and_reproducible(asem):
    a = Assumptions.default()
    r1 = monte_carlo(asem, a, n=200, seed=42, k=10)
    r2 = monte_carlo(asem, a, n=200, seed=np.random.default_rng(42), k=10)
    np.testing.assert_array_equal(r1.scores, r2.scores)
    r3 = monte_carlo(asem, a, n=200, seed=43, k=10)
    assert not np.array_equal(r1.scores, r3.scores)
    stats = r1.rank_stats
    assert ((stats.q5 <= stats["median"]) & (stats["median"] <= stats.q95)).all()
    np.testing.assert_allclose(stats["p_rank_le_10"], (r1.ranks <= 10).mean(axis=0))
    # all four assumptions really vary
    assert {0, 1} <= set(r1.choices["treatment"]) and {0, 1} <= set(r1.choices["normalisation"])


def test_each_replication_equals_a_full_build(asem):
    """The vectorised evaluation agrees with the engine rebuilt with the replication's choices."""
    a = Assumptions(weight_noise={2: 0.25, 3: 0.25}, normalisation=[{"method": "minmax"}],
                    treatment=["coinr", "none"], imputation=["none", "mean"])
    ev = Evaluator(asem, a)
    rng = np.random.default_rng(0)
    combo, weights, ch = ev.sample(6, rng)
    scores = ev.scores(combo, weights)
    st = ev.st
    for r in range(6):
        w = {}
        for k, codes in enumerate(st.level_codes[:-1]):
            w.update(dict(zip(codes, weights[k][r])))
        recipe = (asem.recipe.set("impute.method", ev.imp_alts[ch["imputation"][r]])
                  .set("treat.method", ev.treat_alts[ch["treatment"][r]]).set("aggregate.weights", w))
        full = asem.build(recipe=recipe).aggregated[asem.framework.root].to_numpy()
        np.testing.assert_allclose(scores[r], full, atol=1e-10)


def test_no_variation_gives_the_nominal_ranks():
    rng = np.random.default_rng(1)
    inp = small_inputs(rng, n_units=8, n_ind=4, integer=False)
    r = monte_carlo(inp, Assumptions(), n=20, seed=1)
    assert (r.ranks == r.nominal_ranks[None, :]).all()


def test_bad_replication_count_and_noise_are_refused():
    from conftest import small_inputs

    inp = small_inputs(np.random.default_rng(0), n_units=6, n_ind=3)
    with pytest.raises(ValueError):
        monte_carlo(inp, Assumptions(weight_noise={2: 0.2}), n=0, seed=1)
    with pytest.raises(ValueError):
        Assumptions(weight_noise={2: 2.0})

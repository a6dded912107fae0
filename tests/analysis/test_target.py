import math

import numpy as np
import pytest

from piiplan.analysis.target import default_bounds, exhaustive, make_levers, optimise

from conftest import panel_dataset, small_framework, small_inputs


def _instance(rng):
    inp = small_inputs(rng, n_units=int(rng.integers(5, 9)), n_ind=int(rng.integers(2, 5)))
    res = inp.build()
    root = inp.framework.root
    unit = res.ranks[root].sort_values().index[-1 - int(rng.integers(0, 3))]
    rank = int(res.ranks.at[unit, root])
    k = max(1, rank - int(rng.integers(1, 4)))
    levers = make_levers(inp, unit, bounds={c: float(rng.integers(0, 4)) for c in inp.indicators},
                         weights={c: float(rng.choice([0.5, 1.0, 2.0])) for c in inp.indicators},
                         step_sizes={c: 1.0 for c in inp.indicators})
    return inp, unit, k, levers


@pytest.mark.parametrize("seed", range(60))
def test_optimiser_equals_exhaustive_search(seed):
    """Random small instances (integer data and steps, COINr treatment on): same least effort."""
    rng = np.random.default_rng(seed)
    inp, unit, k, levers = _instance(rng)
    out = optimise(inp, unit, k, levers=levers, ladder=0)
    best, combo = exhaustive(inp, unit, k, levers)
    if math.isinf(best):
        assert not out.feasible
    else:
        assert out.feasible and out.confirmed
        assert out.effort == pytest.approx(best, abs=1e-9)
        # the plan really reaches the target when applied to the raw data
        data = inp.data.copy()
        for row in out.plan:
            data.at[unit, row.code] = row.value_to
        assert inp.build(data).ranks.at[unit, inp.framework.root] <= k


def test_fixed_indicators_and_bounds_are_respected():
    rng = np.random.default_rng(7)
    inp = small_inputs(rng, n_units=8, n_ind=4, integer=False)
    root = inp.framework.root
    unit = inp.build().ranks[root].idxmax()                    # the last unit
    fixed = [inp.indicators[0]]
    bounds = {c: 30.0 for c in inp.indicators}
    out = optimise(inp, unit, 4, bounds=bounds, fixed=fixed, ladder=3)
    codes = {r.code for r in out.plan}
    assert fixed[0] not in codes
    for r in out.plan:
        assert abs(r.change) <= 30.0 + 1e-9
        assert np.sign(r.change) == inp.framework.nodes.at[r.code, "direction"]
    if out.feasible:
        assert out.rank_after <= 4
        assert out.margin_next is None or out.margin_next > 0
    else:
        assert out.rank_after is None and not out.plan
    # the ladder: more places never cost less
    lad = out.ladder[out.ladder.feasible]
    assert (np.diff(lad.effort.to_numpy()) >= -1e-12).all()


def test_default_bounds_are_largest_yearly_improvement():
    rng = np.random.default_rng(3)
    fw = small_framework(3, 2, [1, -1, 1])
    ds = panel_dataset(rng, fw, n_units=6)
    b = default_bounds(fw, ds, 2025)
    d = fw.direction()
    for j, code in enumerate(fw.indicators):
        best = max(((ds.wide(y1)[code] - ds.wide(y0)[code]) * d[j]).max()
                   for y0, y1 in [(2023, 2024), (2024, 2025)])
        assert b[code] == pytest.approx(best if best > 0 else ds.wide(2025)[code].std())


def test_competitors_on_trend_change_the_baseline():
    rng = np.random.default_rng(11)
    inp = small_inputs(rng, n_units=8, n_ind=3, integer=False)
    root = inp.framework.root
    unit = inp.build().ranks[root].idxmax()
    moved = inp.data + 5.0 * inp.framework.direction()           # everyone else improves
    still = optimise(inp, unit, 5, bounds={c: 40.0 for c in inp.indicators}, ladder=0)
    trend = optimise(inp, unit, 5, bounds={c: 40.0 for c in inp.indicators}, competitors=moved, ladder=0)
    if still.feasible and trend.feasible:
        assert trend.effort >= still.effort - 1e-12
    assert trend.rank_before >= still.rank_before


@pytest.mark.parametrize("seed", range(15))
def test_safety_margin_equals_exhaustive_search(seed):
    rng = np.random.default_rng(1000 + seed)
    inp, unit, k, levers = _instance(rng)
    margin = float(rng.uniform(0.5, 5.0))
    out = optimise(inp, unit, k, levers=levers, ladder=0, margin=margin)
    best, _ = exhaustive(inp, unit, k, levers, margin=margin)
    if math.isinf(best):
        assert not out.feasible
    else:
        assert out.feasible and out.confirmed and out.effort == pytest.approx(best, abs=1e-9)
        assert out.margin_next is None or out.rank_after < k or out.margin_next >= margin - 1e-9


def test_library_rejects_bad_options():
    rng = np.random.default_rng(2)
    inp = small_inputs(rng, n_units=6, n_ind=3)
    unit = inp.units[0]
    with pytest.raises(ValueError):
        optimise(inp, unit, 0, ladder=0)
    with pytest.raises(ValueError):
        optimise(inp, unit, 7, ladder=0)
    with pytest.raises(ValueError):
        optimise(inp, unit, 1, ladder=0, margin=-1.0)
    with pytest.raises(ValueError):
        optimise(inp, unit, 1, ladder=0, steps=0)
    with pytest.raises(ValueError):
        optimise(inp, unit, 1, ladder=0, weights={inp.indicators[0]: -1.0})
    with pytest.raises(KeyError):
        optimise(inp, unit, 1, ladder=0, bounds={"9.9.9": 1.0})

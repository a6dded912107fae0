"""The optimiser's ``competitors`` option changes the plan on a case built for it (a mutation that ignores
the option must fail here)."""

import numpy as np

from piiplan.analysis.target import optimise

from conftest import small_inputs


def test_a_competitor_moving_up_changes_the_plan():
    rng = np.random.default_rng(5)
    inp = small_inputs(rng, n_units=6, n_ind=3, integer=False, directions=[1, 1, 1])
    root = inp.framework.root
    ranks = inp.build().ranks[root]
    unit = ranks.index[ranks == 3][0]
    chaser = ranks.index[ranks == 4][0]
    bounds = {c: 40.0 for c in inp.indicators}
    still = optimise(inp, unit, 3, bounds=bounds, ladder=0)
    assert still.feasible and still.plan == [] and still.effort == 0      # already third: nothing to do
    moved = inp.data.copy()
    moved.loc[chaser] += 25.0                                           # the fourth overtakes on trend
    trend = optimise(inp, unit, 3, bounds=bounds, competitors=moved, ladder=0)
    assert trend.rank_before == 4
    assert trend.feasible and trend.plan and trend.effort > 0
    assert trend.rank_after <= 3
    # and the plan is confirmed by a full rebuild on the competitors' values
    data = moved.copy()
    data.loc[unit] = inp.data.loc[unit]
    for row in trend.plan:
        data.loc[unit, row.code] = row.value_to
    assert inp.build(data).ranks.at[unit, root] <= 3

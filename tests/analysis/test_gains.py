import numpy as np
import pytest

from piiplan.analysis.gains import WARN_CAPPED, WARN_MAX, WARN_NEW_MAX, marginal_gains
from piiplan.analysis.whatif import what_if


def test_ten_percent_gain_equals_a_full_recompute(asem):
    g = marginal_gains(asem, "AUS")
    root = asem.framework.root
    for code in g.table.index[:5].tolist() + g.table.index[-3:].tolist():
        row = g.table.loc[code]
        w = what_if(asem, [("AUS", code, row.value + row.step_10pct)])
        assert row.points_10pct == pytest.approx(w.table.at["AUS", "score_change"], abs=1e-10)
        assert row.rank_10pct == w.after.ranks.at["AUS", root]
    # sorted best first; places are rank differences
    assert (np.diff(g.table.points_10pct.to_numpy()) <= 1e-12).all()
    assert (g.table.places_10pct == g.rank - g.table.rank_10pct).all()


def test_warnings(asem):
    base = asem.build()
    # a unit already holding the best value of an untreated indicator
    code = "CPI"
    best_unit = (asem.data[code] * asem.framework.nodes.at[code, "direction"]).idxmax()
    g = marginal_gains(asem, best_unit, base=base)
    assert WARN_MAX in g.table.at[code, "warnings"]
    # a winsorised top value: the effort is wasted
    pts = base.treated_points
    capped = [(u, c) for c in pts.columns for u in pts.index
              if pts.at[u, c] == "winhi" and asem.framework.nodes.at[c, "direction"] == 1]
    u, c = capped[0]
    g = marginal_gains(asem, u, base=base)
    assert WARN_CAPPED in g.table.at[c, "warnings"]
    assert g.table.at[c, "points_per_unit"] == pytest.approx(0.0, abs=1e-9)
    # a unit close under the maximum: +10 % makes it the new maximum
    col = asem.data["CPI"]
    runner = col.drop(index=best_unit).idxmax()
    if col[runner] * 1.1 > col.max():
        g = marginal_gains(asem, runner, base=base)
        assert WARN_NEW_MAX in g.table.at["CPI", "warnings"]

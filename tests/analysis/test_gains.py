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


def test_the_worst_value_is_a_kink_explained_by_a_one_sided_rate(asem):
    base = asem.build()
    root = asem.framework.root
    code = "CPI"
    d = asem.framework.nodes.at[code, "direction"]
    col = asem.data[code] * d
    worst = col.idxmin()
    g = marginal_gains(asem, worst, base=base)
    row = g.table.loc[code]
    assert "đang là giá trị thấp nhất" in row.warnings
    assert row.points_per_unit == pytest.approx(0.0, abs=1e-12)       # still the worst: score stays 0
    # the rate after the kink: one-sided difference from the next-worst value, checked by full builds
    nxt = float(col.drop(index=worst).min() * d)
    h = 0.01 * asem.data[code].std()
    s = [what_if(asem, [(worst, code, v)]).after.aggregated.at[worst, root] for v in (nxt, nxt + d * h)]
    assert row.points_per_unit_after_min == pytest.approx((s[1] - s[0]) / h, rel=1e-6)
    assert row.points_per_unit_after_min > 0
    # a unit that is not the worst carries no such warning
    other = col.drop(index=worst).idxmax()
    assert "thấp nhất" not in marginal_gains(asem, other, base=base).table.at[code, "warnings"]


def test_treatment_change_warning_matches_the_what_if(asem):
    """Every indicator whose +10 % step changes its outlier treatment is flagged, and only those."""
    base = asem.build()
    unit = "FIN"
    g = marginal_gains(asem, unit, base=base)
    flagged = {c for c, w in g.table.warnings.items() if "đổi cách xử lý ngoại lai" in w}
    assert flagged                                      # FIN's +10 % steps do switch some treatments
    for code, row in g.table.iterrows():
        w = what_if(asem, [(unit, code, row.value + row.step_10pct)], base=base)
        changed = base.treatment.at[code, "fired"] != w.after.treatment.at[code, "fired"]
        assert (code in flagged) == changed, code

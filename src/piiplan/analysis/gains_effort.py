"""Marginal gains per unit of realistic effort: index points for one year of the best observed progress.

:func:`piiplan.analysis.gains.marginal_gains` answers "what is +10 % worth"; a +10 % step is one month's
work on some indicators and decades on others (HDI, IIP). Here every indicator is moved by **one year of
the best observed progress** at the province's level (:class:`piiplan.analysis.reach.ReachModel`), so the
points are comparable across indicators, and by its **one-year reach** (the default bound of the target
plans: the typical change for structural and external indicators). Both are exact recomputations of the
indicator's column (treatment and normalisation included). The +10 % columns stay as secondary figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from piiplan.analysis.context import IndexInputs, UnitLevers, ranks_of
from piiplan.analysis.gains import marginal_gains


def effort_gains(inputs: IndexInputs, unit: str, model, base=None) -> pd.DataFrame:
    """Per indicator: ``points_per_year`` (points for one year of the best observed progress),
    ``points_reach`` / ``places_reach`` (for the one-year reach), ``best_step``, ``reach``, lever class,
    and the +10 % figures of :func:`marginal_gains`; sorted by ``points_per_year`` (best first)."""
    g = marginal_gains(inputs, unit, base)
    lev = UnitLevers(inputs, unit, base)
    fw = inputs.framework
    d = dict(zip(fw.indicators, fw.direction()))
    rank0 = ranks_of(lev.s0)[lev.ui]
    rows = []
    for j, code in enumerate(fw.indicators):
        x = lev.x0[j]
        if np.isnan(x) or code not in g.table.index:
            continue
        step, reach = model.best_step(code, x), model.reach(code, x)
        D = lev.effects(j, np.array([x + d[code] * step, x + d[code] * reach]))
        s = model.stats[code]
        rows.append({"code": code, "best_step": step, "reach": reach, "lever_class": s.lever_class, "kind": s.kind,
                     "points_per_year": D[0, lev.ui], "points_reach": D[1, lev.ui],
                     "places_reach": rank0 - ranks_of(lev.s0 + D[1])[lev.ui]})
    table = pd.DataFrame(rows).set_index("code").join(g.table, how="left")
    return table.sort_values("points_per_year", ascending=False, kind="stable")

"""The multi-year pathway: when a target is out of one year's reach, year-by-year targets up to 2030.

Each year the province starts from the previous year's planned values; its reach is recomputed at its new
level (:class:`piiplan.analysis.reach.ReachModel`), the other provinces move along their own trends that
many years ahead (or stay still), the best rank reachable that year is the rank with every indicator moved
by its full reach, and the year's target is the better of the final target and that rank. While the final
target is out of the year's reach, the year's changes are every indicator by its full reach (the year's best
rank needs them); in the year the target comes within reach, the least-effort plan for it (the
exact search, confirmed by a full recompute) gives the changes.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from piiplan.analysis.context import IndexInputs


def best_reachable(inputs: IndexInputs, unit: str, k: int, levers) -> tuple[float, float, float]:
    """(best rank within reach, index points gained with every lever at full reach, points needed for k)."""
    root = inputs.framework.root
    base = inputs.build()
    data = inputs.data.copy()
    for j, lv in enumerate(levers):
        if lv.bound > 0 and not np.isnan(lv.current):
            data.at[unit, lv.code] = lv.current + lv.direction * lv.bound
    full = inputs.build(data)
    s0 = float(base.aggregated.at[unit, root])
    others = np.sort(base.aggregated[root].drop(index=unit).dropna().to_numpy())[::-1]
    kth = others[k - 1] if k - 1 < others.size else -np.inf
    return (float(full.ranks.at[unit, root]), float(full.aggregated.at[unit, root]) - s0,
            max(0.0, float(kth - s0)))


def pathway(framework, dataset, inputs: IndexInputs, unit: str, k: int, model, opts,
            deadline: float | None = None, levers_table: pd.DataFrame | None = None) -> list[dict]:
    """Year rows ``{year, target_rank, rank, feasible, effort, probability, changes: [{code, from, to, change}]}``.

    ``probability``: the share of Monte Carlo draws in which the province, with the year's planned values,
    holds the year's target rank while the other provinces move ``h`` years along their trends with their
    observed yearly noise (:mod:`piiplan.analysis.plan_risk`, the noise growing as √h); ``None`` when the
    options ask for no Monte Carlo (``probability`` 0) or no lever table is given."""
    from piiplan.analysis.plan_risk import draw_competitors, holding
    from piiplan.analysis.projection import project_data
    from piiplan.analysis.reach import make_realistic_levers
    from piiplan.analysis.target import optimise

    rows = []
    own = inputs.data.loc[unit].copy()
    root = framework.root
    rank_prev = float(inputs.build().ranks.at[unit, root])
    for h, year in enumerate(range(inputs.year + 1, int(opts.pathway_until) + 1), start=1):
        if opts.competitors == "trend":
            data = project_data(framework, dataset, inputs.year, "linear", h).reindex(
                index=inputs.data.index, columns=inputs.data.columns).astype(float)
        else:
            data = inputs.data.copy()
        data.loc[unit] = own
        yr = inputs.with_data(data)
        levers = make_realistic_levers(model, own, opts.fixed, opts.steps, opts.weights)
        best, _, _ = best_reachable(yr, unit, k, levers)
        goal = int(max(k, best))
        res = None
        if best <= k and (deadline is None or time.monotonic() < deadline):
            # the target is within this year's reach: the least-effort plan for it
            left = None if deadline is None else max(deadline - time.monotonic(), 0.5)
            res = optimise(yr, unit, goal, levers=levers, ladder=0, max_nodes=2_000_000, row_points=False,
                           deadline=None if left is None else time.monotonic() + left)
        if res is not None and res.feasible:
            moves = [(r.code, r.value_from, r.value_to) for r in res.plan]
            rank, effort = float(res.rank_after), res.effort
        else:
            # still out of reach (or out of time: then not the least effort): every indicator by its full reach
            moves = [(lv.code, lv.current, lv.current + lv.direction * lv.bound) for lv in levers if lv.bound > 0]
            full = data.copy()
            for code, _, to in moves:
                full.at[unit, code] = to
            rank = float(yr.build(full).ranks.at[unit, root])
            effort = sum(lv.weight * abs(to - fr) / _spread(levers, code) for code, fr, to in moves
                         for lv in levers if lv.code == code)
        changes = []
        for code, fr, to in moves:
            changes.append({"code": code, "name": framework.name_of(code), "from": fr, "to": to,
                            "change": to - fr, "effort": abs(to - fr) / _spread(levers, code)})
            own[code] = to
        probability = None
        if opts.probability > 0 and levers_table is not None:
            draws = draw_competitors(framework, dataset, inputs.year, levers_table, int(opts.draws),
                                     int(opts.seed) + h, horizon=h)
            probability = holding(inputs, unit, own, goal, draws).probability
        rows.append({"year": year, "target_rank": goal, "rank": rank, "rank_before": rank_prev,
                     "feasible": bool(rank <= goal), "effort": effort, "probability": probability,
                     "optimal": bool(res is not None and res.feasible and res.optimal),
                     "changes": sorted(changes, key=lambda c: c["code"])})
        rank_prev = rank
        if rank <= k:
            break
    return rows


def _spread(levers, code) -> float:
    for lv in levers:
        if lv.code == code:
            return lv.spread
    return 1.0


def pathway_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{k: v for k, v in r.items() if k != "changes"} for r in rows])

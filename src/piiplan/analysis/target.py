"""Target-rank optimiser: the least-effort raw-value improvements that lift a unit to rank ≤ k.

Problem
-------
Unit ``u`` may raise each indicator ``j`` (in its good direction) by ``0, δ_j, 2δ_j, … ≤ bound_j``; the
effort of a change ``Δ`` is ``weight_j·|Δ|/spread_j`` (by default ``weight_j = 1`` and ``spread_j`` the
standard deviation of the indicator across units, so effort is counted in standard deviations).
Minimise the total effort subject to rank(u) ≤ k after a full recompute of the index, with competitors
held still or moved along their own trends.

Method (exact on the step grid)
-------------------------------
Every step before aggregation works column by column, so setting indicator ``j`` to level ``l`` changes
every unit's index score by a vector ``D_j[l]`` that does not depend on the other indicators' levels; with
arithmetic aggregation the index is linear in the normalised scores, so the effects add up **exactly**
(min-max rescaling, winsorisation and log transforms are all inside ``D_j``, computed by recomputing the
column for every level). The margin of ``u`` over competitor ``v`` is then
``g_v = s_u − s_v + Σ_j (D_j[l_j, u] − D_j[l_j, v])`` and rank(u) = 1 + #{v: g_v < 0}.

A depth-first branch-and-bound enumerates the levels indicator by indicator. Its bound: if ``N``
competitors are still ahead, at least ``|N| − (k − 1)`` of them must be overtaken, and overtaking ``v``
costs at least the linear-programming relaxation of "reach margin 0 with the remaining indicators" (the
upper concave hull of each indicator's (effort, gain) points, filled greedily), so the remaining effort is at
least the ``(|N| − k + 1)``-th smallest of those relaxations. A candidate is accepted only after a full
:func:`piiplan.engine.build` confirms the rank (so ties and rounding never produce a false plan), and the
search continues past any candidate the recompute rejects. On a step grid this returns the same minimum
effort as an exhaustive search (tested on random instances). For geometric or other non-linear means the
additive model is approximate and only the recompute is authoritative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from piiplan.analysis.context import IndexInputs
from piiplan.analysis.target_search import _Search, reaches
from piiplan.numbers import plain

TOL = 1e-9


@dataclass
class Lever:
    code: str
    current: float
    bound: float            # largest allowed improvement (raw units, ≥ 0); 0 = cannot change
    weight: float           # effort weight
    spread: float           # effort scale (raw units)
    step: float             # grid step (raw units)
    direction: int


@dataclass
class PlanRow:
    code: str
    name: str
    value_from: float
    value_to: float
    change: float
    points: float           # index points this change adds to the unit (full recompute, linear share)
    effort: float


@dataclass
class TargetResult:
    unit: str
    target_rank: int
    feasible: bool
    rank_before: float
    score_before: float
    rank_after: float | None = None
    score_after: float | None = None
    effort: float | None = None
    plan: list[PlanRow] = field(default_factory=list)
    margin_next: float | None = None          # score lead over the unit just behind
    gap_above: float | None = None            # score gap to the unit just ahead (if any)
    next_unit: str | None = None
    confirmed: bool = False                   # full recompute agrees
    optimal: bool = True                      # the search finished (False: node or time budget reached)
    gap: float | None = None                  # effort − proven lower bound (0 when optimal)
    nodes: int = 0
    ladder: pd.DataFrame | None = None        # effort for 1…8 places up
    message: str = ""
    levers: list[Lever] = field(default_factory=list)

    def plan_frame(self) -> pd.DataFrame:
        return pd.DataFrame([r.__dict__ for r in self.plan])

    def to_dict(self) -> dict:
        out = {k: getattr(self, k) for k in ("unit", "target_rank", "feasible", "rank_before", "score_before",
                                             "rank_after", "score_after", "effort", "margin_next", "gap_above",
                                             "next_unit", "confirmed", "optimal", "gap", "nodes", "message")}
        out["plan"] = [{"code": r.code, "name": r.name, "from": r.value_from, "to": r.value_to,
                        "change": r.change, "points": r.points, "effort": r.effort} for r in self.plan]
        if self.ladder is not None:
            out["ladder"] = [{k: plain(v) for k, v in row.items()} for row in self.ladder.to_dict("records")]
        return {k: plain(v) if not isinstance(v, (list, dict)) else v for k, v in out.items()}


# ---- defaults --------------------------------------------------------------------------------------

def default_bounds(framework, dataset=None, year: int | None = None, data: pd.DataFrame | None = None
                   ) -> pd.Series:
    """Largest year-on-year improvement (good direction) seen among all units, per indicator.

    Uses the dataset's years up to ``year``; with fewer than two years, falls back to one standard
    deviation of the indicator across units (documented fallback).
    """
    inds = framework.indicators
    d = pd.Series(framework.direction(), index=inds)
    best = pd.Series(np.nan, index=inds)
    if dataset is not None:
        years = [y for y in dataset.years if year is None or y <= year]
        for y0, y1 in zip(years[:-1], years[1:]):
            diff = (dataset.wide(y1, inds) - dataset.wide(y0, inds)) * d
            best = np.fmax(best, diff.max())
    if data is None and dataset is not None:
        data = dataset.wide(year, inds)
    sd = data.std(ddof=1) if data is not None else pd.Series(np.nan, index=inds)
    best = best.where(best > 0, sd)
    return best.fillna(0.0).clip(lower=0.0)


def make_levers(inputs: IndexInputs, unit: str, bounds=None, weights=None, fixed=(), steps: int = 10,
                step_sizes=None) -> list[Lever]:
    """One lever per indicator. ``bounds``/``weights``/``step_sizes``: dict or Series by code (defaults:
    :func:`default_bounds` on the data alone, weight 1, ``bound/steps``). ``fixed``: codes that cannot change."""
    fw = inputs.framework
    data = inputs.data
    b = pd.Series(bounds) if bounds is not None else pd.Series(dtype=float)
    if b.empty or b.reindex(fw.indicators).isna().any():
        dflt = default_bounds(fw, data=data)
        b = b.reindex(fw.indicators).fillna(dflt) if not b.empty else dflt
    w = pd.Series(weights if weights is not None else {}, dtype=float).reindex(fw.indicators).fillna(1.0)
    ss = pd.Series(step_sizes if step_sizes is not None else {}, dtype=float).reindex(fw.indicators)
    spread = data.std(ddof=1)
    fixed = {str(c) for c in fixed}
    for given in (fixed, bounds, weights, step_sizes):
        keys = given.index if isinstance(given, pd.Series) else (given if given is not None else ())
        unknown = sorted({str(c) for c in keys} - set(fw.indicators))
        if unknown:
            raise KeyError(f"Không có chỉ số: {', '.join(unknown)}.")
    if (w <= 0).any() or w.isna().any():
        raise ValueError("Trọng số nỗ lực phải > 0 (dùng fixed= để giữ nguyên một chỉ số).")
    if steps < 1:
        raise ValueError("Số bước phải ≥ 1.")
    out = []
    for code, d in zip(fw.indicators, fw.direction()):
        bound = 0.0 if code in fixed else float(b[code])
        sp = float(spread[code]) if np.isfinite(spread[code]) and spread[code] > 0 else 1.0
        step = float(ss[code]) if np.isfinite(ss[code]) and ss[code] > 0 else (bound / steps if bound > 0 else 1.0)
        out.append(Lever(code, float(data.at[str(unit), code]), bound, float(w[code]), sp, step, int(d)))
    return out


# ---- the optimiser ---------------------------------------------------------------------------------


def optimise(inputs: IndexInputs, unit: str, target_rank: int, *, levers: list[Lever] | None = None,
             bounds=None, weights=None, fixed=(), steps: int = 10, step_sizes=None,
             competitors: pd.DataFrame | None = None, ladder: int = 8, max_nodes: int = 300_000,
             ladder_nodes: int = 20_000, margin: float = 0.0, deadline: float | None = None,
             row_points: bool = True) -> TargetResult:
    """Least-effort plan that lifts ``unit`` to rank ≤ ``target_rank`` (see the module docstring).

    ``competitors``: raw values (units × indicators) to use for every *other* unit — e.g. their own trend
    projections (:func:`piiplan.analysis.projection.project_data`); ``None`` holds them still.
    ``ladder``: also report the least effort for 1 … ``ladder`` places up (0 to skip).
    ``margin``: index points by which the unit must lead every unit ranked below k (safety margin).
    ``deadline``: a ``time.monotonic()`` time after which the search stops and returns the best plan found
    so far (anytime search): ``optimal`` is then False and ``gap`` the effort above the proven lower bound.
    ``row_points``: compute each plan row's own points (one recompute per row); False leaves them NaN.
    """
    unit = str(unit)
    if unit not in inputs.units:
        raise KeyError(f"Không có đơn vị «{unit}» trong dữ liệu.")
    if not 1 <= int(target_rank) <= len(inputs.units):
        raise ValueError(f"Hạng mục tiêu phải từ 1 đến {len(inputs.units)}.")
    if not margin >= 0:
        raise ValueError("Khoảng cách an toàn phải ≥ 0.")
    if competitors is not None:
        data = competitors.reindex(index=inputs.data.index, columns=inputs.data.columns).astype(float)
        data.loc[unit] = inputs.data.loc[unit]
        inputs = inputs.with_data(data)
    if levers is None:
        levers = make_levers(inputs, unit, bounds, weights, fixed, steps, step_sizes)
    search = _Search(inputs, unit, levers, max_nodes, margin)
    search.deadline = deadline
    root = inputs.framework.root
    base = search.problem(()).lev.base
    rank0 = float(base.ranks.at[unit, root])
    score0 = float(base.aggregated.at[unit, root])
    out = TargetResult(unit, int(target_rank), False, rank0, score0, levers=levers)
    effort, plan, proven = search.solve(int(target_rank))
    out.nodes = search.nodes
    out.optimal = proven
    if plan is not None:
        out.gap = 0.0 if proven else max(0.0, float(effort) - search.lower_bound)
    if plan is None:
        out.message = (f"Không tìm được phương án đưa {unit} lên hạng {target_rank} trong giới hạn cải thiện "
                       f"đã đặt cho các chỉ số.")
    else:
        _fill(out, search, plan, effort, row_points)
    if ladder:
        out.ladder = effort_ladder(search, int(rank0), ladder, ladder_nodes,
                                   known={int(target_rank): (effort, plan)} if plan is not None else None)
    return out


def _fill(out: TargetResult, search: _Search, plan: dict, effort: float, row_points: bool = True) -> None:
    inputs = search.inputs
    root = inputs.framework.root
    res = inputs.build(search.data_for(plan))
    unit = out.unit
    out.feasible = True
    out.effort = float(effort)
    out.rank_after = float(res.ranks.at[unit, root])
    out.score_after = float(res.aggregated.at[unit, root])
    out.confirmed = reaches(res, unit, out.target_rank, search.margin)
    scores = res.aggregated[root].drop(index=unit).dropna()
    behind = scores[scores < out.score_after]
    ahead = scores[scores > out.score_after]
    if not behind.empty:
        out.next_unit = str(behind.idxmax())
        out.margin_next = float(out.score_after - behind.max())
    if not ahead.empty:
        out.gap_above = float(ahead.min() - out.score_after)
    # points of each change: its own effect on the unit's score, all other changes applied
    fw = inputs.framework
    for j, new in plan.items():
        lv = search.levers[j]
        s_without = math.nan
        if row_points:
            without = dict(plan)
            without[j] = lv.current
            s_without = float(inputs.build(search.data_for(without)).aggregated.at[unit, root])
        out.plan.append(PlanRow(lv.code, fw.name_of(lv.code), lv.current, new, new - lv.current,
                                out.score_after - s_without, lv.weight * abs(new - lv.current) / lv.spread))
    out.plan.sort(key=lambda r: -r.points if row_points else r.code)
    out.message = (f"Đạt hạng {int(out.rank_after)} (mục tiêu ≤ {out.target_rank}) với tổng nỗ lực "
                   f"{out.effort:.2f}".replace(".", ",") + "; đã kiểm tra bằng tính lại toàn bộ chỉ số.")


def effort_ladder(search: _Search, rank0: int, places: int = 8, max_nodes: int = 20_000,
                  known: dict | None = None) -> pd.DataFrame:
    """Least effort (and indicators touched) for 1 … ``places`` places up.

    Solved from the most places up to the fewest, each plan serving as the starting incumbent of the easier
    targets (a plan reaching rank k also reaches every rank above k), so efforts never decrease with the
    number of places even when a node budget stops a search early (``optimal`` is then False)."""
    root = search.inputs.framework.root
    known = dict(known or {})
    targets = [rank0 - up for up in range(1, places + 1) if rank0 - up >= 1]
    found: dict[int, tuple] = {}
    proven_at: dict[int, bool] = {}
    for k in sorted(targets):
        cands = [v for kk, v in {**known, **found}.items() if kk <= k and v[1] is not None]
        inc = min(cands, key=lambda v: v[0]) if cands else None
        effort, plan, proven = search.solve(k, inc, max_nodes)
        found[k], proven_at[k] = (effort, plan), proven
    rows = []
    for k in sorted(targets, reverse=True):
        effort, plan = found[k]
        rank = None
        if plan is not None:
            rank = float(search.inputs.build(search.data_for(plan)).ranks.at[search.unit, root])
        rows.append({"places_up": rank0 - k, "target_rank": k, "feasible": plan is not None,
                     "effort": effort if plan is not None else None, "rank_reached": rank,
                     "n_indicators": len(plan) if plan is not None else None, "optimal": proven_at[k]})
    return pd.DataFrame(rows)


def exhaustive(inputs: IndexInputs, unit: str, target_rank: int, levers: list[Lever], margin: float = 0.0):
    """Reference solver: try every combination of levels with a full build each (small instances only)."""
    import itertools

    unit = str(unit)
    grids = []
    for lv in levers:
        n = int(math.floor(lv.bound / lv.step + 1e-9)) if lv.bound > 0 and not np.isnan(lv.current) else 0
        grids.append(range(n + 1))
    best = (math.inf, None)
    for combo in itertools.product(*grids):
        effort = sum(lv.weight * lv.step * c / lv.spread for lv, c in zip(levers, combo))
        if effort >= best[0]:
            continue
        data = inputs.data.copy()
        for j, (lv, c) in enumerate(zip(levers, combo)):
            if c:
                data.iat[inputs.units.index(unit), j] = lv.current + lv.direction * lv.step * c
        if reaches(inputs.build(data), unit, target_rank, margin):
            best = (effort, combo)
    return best

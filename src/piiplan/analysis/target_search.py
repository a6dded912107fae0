"""The search behind :mod:`piiplan.analysis.target`: the additive model of each indicator's effect on every
unit's score, and the depth-first branch-and-bound over per-indicator step levels (see target.py's
docstring for the method and its exactness argument).
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from piiplan.analysis.context import IndexInputs, UnitLevers
from piiplan.engine.results import Results

if TYPE_CHECKING:
    from piiplan.analysis.target import Lever

TOL = 1e-9


class _Problem:
    """Precomputed level effects for one unit; ``solve(k)`` runs the branch and bound for rank ≤ k."""

    def __init__(self, inputs: IndexInputs, unit: str, levers: list[Lever], active=None,
                 base: Results | None = None, margin: float = 0.0):
        self.inputs = inputs
        self.margin = float(margin)
        active = set(range(len(levers))) if active is None else set(active)
        self.special: list[int] = []      # levers whose effect changes which scores are missing
        self.lev = UnitLevers(inputs, unit, base)
        self.unit = str(unit)
        self.levers = levers
        ui = self.lev.ui
        s0 = self.lev.s0
        n = s0.size
        self.others = np.array([v for v in range(n) if v != ui and not np.isnan(s0[v])])
        self.g0 = s0[ui] - s0[self.others] - self.margin          # margin: lead required over those behind
        self.idx, self.values, self.efforts, self.gains = [], [], [], []
        for j, lv in enumerate(levers):
            if j not in active:
                continue
            vals, deltas = lever_grid(lv)
            if vals.size < 2:
                continue
            nn = self.lev.normalised(j, vals)
            if (np.isnan(nn) != np.isnan(self.lev.n0[None, :, j])).any():
                self.special.append(j)                              # not additive: branched on outside
                continue
            D = self.lev.effects(j, vals, nn)                       # (L+1, units)
            G = D[:, ui][:, None] - D[:, self.others]               # (L+1, others)
            G[0] = 0.0
            self.idx.append(j)
            self.values.append(vals)
            self.efforts.append(lv.weight * deltas / lv.spread)
            self.gains.append(G)
        # most efficient levers first (best own-score gain per effort), which tightens the bound early
        eff = [np.max(G[1:].min(axis=1) / np.maximum(E[1:], 1e-300)) if len(E) > 1 else 0.0
               for G, E in zip(self.gains, self.efforts)]
        order = np.argsort(-np.asarray(eff), kind="stable")
        self.idx = [self.idx[i] for i in order]
        self.values = [self.values[i] for i in order]
        self.efforts = [self.efforts[i] for i in order]
        self.gains = [self.gains[i] for i in order]
        self._build_hulls()

    def _build_hulls(self) -> None:
        """Per competitor: the concave-hull segments of every lever, sorted by slope, as suffix cumsums."""
        m, nv = len(self.idx), self.others.size
        segs = []                                   # (lever, competitor, slope, dgain, deffort)
        for i, (G, E) in enumerate(zip(self.gains, self.efforts)):
            for v in range(nv):
                for de, dg in _hull(E, G[:, v]):
                    segs.append((i, v, dg / de, dg, de))
        S = max(1, max((sum(1 for s in segs if s[1] == v) for v in range(nv)), default=1))
        lever = np.full((nv, S), m, dtype=int)      # padding: lever index m (never in a suffix)
        dg = np.zeros((nv, S))
        de = np.ones((nv, S))
        slope = np.full((nv, S), -np.inf)
        buckets: list[list] = [[] for _ in range(nv)]
        for s in segs:
            buckets[s[1]].append(s)
        for v, b in enumerate(buckets):
            b.sort(key=lambda s: -s[2])
            for t, s in enumerate(b):
                lever[v, t], slope[v, t], dg[v, t], de[v, t] = s[0], s[2], s[3], s[4]
        self.h_slope = slope
        # suffix i: segments of levers ≥ i, in slope order
        mask = lever[None, :, :] >= np.arange(m + 1)[:, None, None]
        mask &= lever[None, :, :] < m
        self.h_cg = np.cumsum(np.where(mask, dg[None], 0.0), axis=2)      # (m+1, nv, S)
        self.h_ce = np.cumsum(np.where(mask, de[None], 0.0), axis=2)
        self.h_total = self.h_cg[:, :, -1]

    def _relaxed_effort(self, i: int, vs: np.ndarray, deficit: np.ndarray) -> np.ndarray:
        """LP lower bound of the effort to gain ``deficit`` on competitors ``vs`` with levers ≥ i."""
        cg, ce = self.h_cg[i, vs], self.h_ce[i, vs]
        total = self.h_total[i, vs]
        pos = (cg < deficit[:, None] - 1e-15).sum(axis=1)
        pos = np.minimum(pos, cg.shape[1] - 1)
        r = np.arange(vs.size)
        prev_g = np.where(pos > 0, cg[r, np.maximum(pos - 1, 0)], 0.0)
        prev_e = np.where(pos > 0, ce[r, np.maximum(pos - 1, 0)], 0.0)
        seg_g = cg[r, pos] - prev_g
        seg_e = ce[r, pos] - prev_e
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(seg_g > 0, (deficit - prev_g) / seg_g, 0.0)
        out = prev_e + np.clip(frac, 0.0, 1.0) * seg_e
        return np.where(deficit > total + 1e-12, np.inf, out)

    def solve(self, k: int, max_nodes: int = 2_000_000, cap: float = math.inf, deadline: float | None = None):
        """Return (effort, levels per lever, nodes) or (inf, None, nodes); only efforts < ``cap``.

        Sets ``self.exhausted`` when the node budget or the ``deadline`` (``time.monotonic()``) ran out (the
        answer is then not proven optimal) and ``self.root_bound`` to the root's lower bound of the effort."""
        self.exhausted = False
        self.root_bound = 0.0
        m = len(self.idx)
        best = [cap, None]
        nodes = [0]
        levels = [0] * m
        need_slots = k - 1

        def bound(i, g, effort):
            neg = np.flatnonzero(g < -TOL)
            need = neg.size - need_slots
            if need <= 0:
                return effort, True
            if i >= m:
                return math.inf, False
            lb = self._relaxed_effort(i, neg, -TOL - g[neg])
            lb.sort()
            return effort + lb[need - 1], False

        def visit(i, g, effort):
            nodes[0] += 1
            if nodes[0] > max_nodes:
                raise _Budget
            if deadline is not None and nodes[0] % 64 == 0 and time.monotonic() > deadline:
                raise _Budget
            lb, feasible = bound(i, g, effort)
            if i == 0:
                self.root_bound = lb
            if _pruned(lb, best[0]):
                return
            if feasible and self._confirm(levels, k):
                best[0], best[1] = effort, list(levels)
                return
            if i >= m:
                return
            G, E = self.gains[i], self.efforts[i]
            children = []
            for lvl in range(1, len(E)):
                gc = g + G[lvl]
                lbc, _ = bound(i + 1, gc, effort + E[lvl])
                if lbc < best[0]:
                    children.append((lbc, lvl, gc))
            lb0, _ = bound(i + 1, g, effort)
            if lb0 < best[0]:
                children.append((lb0, 0, g))
            children.sort(key=lambda c: (c[0], c[1]))
            for lbc, lvl, gc in children:
                if _pruned(lbc, best[0]):
                    break
                levels[i] = lvl
                visit(i + 1, gc, effort + E[lvl])
                levels[i] = 0

        try:
            visit(0, self.g0.copy(), 0.0)
        except _Budget:
            self.exhausted = True
        return (best[0], best[1], nodes[0]) if best[1] is not None else (math.inf, None, nodes[0])

    def data_for(self, levels) -> pd.DataFrame:
        data = self.inputs.data.copy()
        for i, lvl in enumerate(levels):
            if lvl:
                j = self.idx[i]
                data.iat[self.lev.row, j] = self.values[i][lvl]
        return data

    def _confirm(self, levels, k: int) -> bool:
        res = self.lev.base if not any(levels) else self.inputs.build(self.data_for(levels))
        return reaches(res, self.unit, k, self.margin)


class _Budget(Exception):
    pass


def _pruned(bound: float, best: float) -> bool:
    """True if a node whose effort is at least ``bound`` cannot beat the incumbent ``best``."""
    return math.isfinite(best) and bound >= best - TOL * max(1.0, best)


def lever_grid(lv: Lever) -> tuple[np.ndarray, np.ndarray]:
    """(values, deltas) of a lever's step grid, level 0 = the current value."""
    if lv.bound <= 0 or lv.weight < 0 or np.isnan(lv.current) or lv.step <= 0:
        return np.array([lv.current]), np.zeros(1)
    nsteps = int(math.floor(lv.bound / lv.step + 1e-9))
    deltas = lv.step * np.arange(nsteps + 1)
    return lv.current + lv.direction * deltas, deltas


class _Search:
    """Exact search: additive levers by branch and bound; the rare levers whose change makes a normalised
    score appear or vanish (a column becoming constant, say) are enumerated outside, each branch with its
    own recomputed base."""

    def __init__(self, inputs: IndexInputs, unit: str, levers: list[Lever], max_nodes: int, margin: float = 0.0):
        self.inputs, self.unit, self.levers, self.max_nodes = inputs, unit, levers, max_nodes
        self.margin = margin
        self._problems: dict[tuple, _Problem] = {}
        self.nodes = 0
        self.proven = True
        self.deadline: float | None = None      # time.monotonic() after which the search stops (anytime)
        self.lower_bound = 0.0                  # a proven lower bound of the optimal effort (last solve)

    def problem(self, fixed: tuple) -> _Problem:
        if fixed not in self._problems:
            data = self.inputs.data.copy()
            row = self.inputs.units.index(self.unit)
            for j, v in fixed:
                data.iat[row, j] = v
            active = set(range(len(self.levers))) - {j for j, _ in fixed}
            self._problems[fixed] = _Problem(self.inputs.with_data(data), self.unit, self.levers, active,
                                             margin=self.margin)
        return self._problems[fixed]

    def solve(self, k: int, incumbent: tuple | None = None, max_nodes: int | None = None):
        """Return (effort, {lever index: new value}, proven optimal) or (inf, None, proven).

        ``incumbent``: a known feasible (effort, plan) for this target (e.g. a plan for a better rank)."""
        best = list(incumbent) if incumbent is not None and incumbent[1] is not None else [math.inf, None]
        self.proven = True
        self._bounds: list[float] = []
        budget, self.max_nodes = self.max_nodes, max_nodes or self.max_nodes
        try:
            self._solve(k, (), 0.0, best)
            self.lower_bound = min(self._bounds) if self._bounds else 0.0
        finally:
            self.max_nodes = budget
        return best[0], best[1], self.proven

    def _solve(self, k, fixed, effort, best):
        if fixed and self.deadline is not None and time.monotonic() > self.deadline:
            self.proven = False                     # out of time: this branch is not explored
            self._bounds.append(effort)
            return
        prob = self.problem(fixed)
        if prob.special:
            j = prob.special[0]
            lv = self.levers[j]
            vals, deltas = lever_grid(lv)
            for v, dlt in zip(vals, deltas):
                e = effort + lv.weight * dlt / lv.spread
                if not _pruned(e, best[0]):
                    self._solve(k, fixed + ((j, float(v)),), e, best)
            return
        cap = best[0] - effort
        eff, levels, nodes = prob.solve(k, self.max_nodes, cap, self.deadline)
        self.nodes += nodes
        self.proven &= not prob.exhausted
        self._bounds.append(effort + prob.root_bound)
        if levels is not None and effort + eff < best[0]:
            plan = {j: v for j, v in fixed if v != self.levers[j].current}
            for i, lvl in enumerate(levels):
                if lvl:
                    plan[prob.idx[i]] = float(prob.values[i][lvl])
            best[0], best[1] = effort + eff, plan

    def data_for(self, plan: dict) -> pd.DataFrame:
        data = self.inputs.data.copy()
        row = self.inputs.units.index(self.unit)
        for j, v in plan.items():
            data.iat[row, j] = v
        return data


def _hull(E: np.ndarray, G: np.ndarray) -> list[tuple[float, float]]:
    """Segments (Δeffort, Δgain) of the upper concave hull of (E, G) from (0, 0), positive slopes only."""
    out = []
    ce, cg = 0.0, 0.0
    t = 0
    n = len(E)
    while t < n - 1:
        de = E[t + 1:] - ce
        dg = G[t + 1:] - cg
        with np.errstate(divide="ignore", invalid="ignore"):
            s = np.where(de > 0, dg / de, -np.inf)
        b = int(np.argmax(s))
        if s[b] <= 0:
            break
        t = t + 1 + b
        out.append((E[t] - ce, G[t] - cg))
        ce, cg = E[t], G[t]
    return out

def reaches(res: Results, unit: str, k: int, margin: float = 0.0) -> bool:
    """Rank ≤ k and, with ``margin`` > 0, at most k − 1 units within ``margin`` points of (or above) the unit."""
    s = res.aggregated[res.framework.root]
    if margin <= 0:
        return float(res.ranks.at[unit, res.framework.root]) <= k
    others = s.drop(index=unit).dropna()
    return int((others > s[unit] - margin).sum()) <= k - 1

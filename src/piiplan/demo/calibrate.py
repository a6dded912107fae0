"""Calibration in normalised space: move each province's scores so the engine's aggregates hit the targets.

Every column is pinned by two anchors — its leader at 100 and its lowest province at 0 — and every
other score stays strictly inside (0, 99), so the engine's min-max step maps the raw values back to
exactly these scores and every leader is a sole first. Within a (province, pillar) all free scores move
together by one shift in logit space (which keeps them inside the bounds and keeps their order); the
shift is found by bisection so that the pillar score, computed as the engine aggregates, equals its
target.

The focus province (Lạng Sơn) is set last, once the others are fixed: on each indicator its score is
placed inside the interval between the other provinces' scores that gives it the rank the targets
ask for (its strengths near the top, its weaknesses near the bottom, everything else in between), and
one shift per pillar moves it within those intervals to hit its pillar targets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from piiplan.demo.design import UPPER, Layout, expit, logit

SHIFT_RANGE = 25.0
BISECTIONS = 90
INSET = 0.04
REACH_MARGIN = 6.0
FOCUS_PAD = 0.04
MIN_MARGIN = 0.5
LAST_POOL = 3
FIXED = 2          # anchor code of a cell whose score is given (a derived indicator, ``demo.derived``)


@dataclass(frozen=True)
class FocusPlan:
    """What the focus province must show: ranks of its strengths/weaknesses and pillars above the mean."""

    row: int
    strengths: list[str]           # best first: ranks 1, 2, … (a leader cell is pinned at 100)
    weaknesses: list[str]          # worst first: ranks n, n-1, … (rank n pins it at 0)
    above: list[str]               # pillar codes above the national mean
    pii: float                     # its PII target
    margin: float = 2.5            # points above / below the others' mean
    free_ranks: tuple[int, int] = (7, 29)   # rank range of every other indicator


def _row_weights(mask_row: np.ndarray, lay: Layout, k: int) -> np.ndarray:
    """Weight of each indicator in pillar ``k``'s score for a row with the given availability."""
    w = np.zeros(mask_row.size)
    subs = [s for s in range(len(lay.sub_pillars)) if lay.pillar_of_sub[s] == k]
    present = [s for s in subs if mask_row[lay.sub_of == s].any()]
    for s in present:
        cols = np.flatnonzero((lay.sub_of == s) & mask_row)
        w[cols] = 1.0 / (len(present) * cols.size)
    return w


def _bisect(f, target: float) -> tuple[float, float]:
    lo, hi = -SHIFT_RANGE, SHIFT_RANGE
    for _ in range(BISECTIONS):
        mid = 0.5 * (lo + hi)
        if f(mid) < target:
            lo = mid
        else:
            hi = mid
    d = 0.5 * (lo + hi)
    return d, f(d)


def anchors(B: np.ndarray, missing: np.ndarray, leaders: np.ndarray, focus_row: int,
            rng: np.random.Generator, focus_last: list[int] = ()) -> np.ndarray:
    """Units × indicators: +1 leader cell (score 100), -1 last cell (score 0), 0 free.

    The last province of a column is drawn among the LAST_POOL lowest structured scores, so that the
    zeros spread over the weakest provinces instead of piling up on one. ``focus_last``: columns where
    the focus province itself is last (its worst weakness)."""
    A = np.zeros(B.shape, dtype=int)
    for j in range(B.shape[1]):
        A[leaders[j], j] = 1
        if j in focus_last:
            A[focus_row, j] = -1
            continue
        eligible = ~missing[:, j]
        eligible[leaders[j]] = False
        eligible[focus_row] = False
        rows = np.flatnonzero(eligible)
        pool = rows[np.argsort(B[rows, j], kind="stable")[:LAST_POOL]]
        A[pool[rng.integers(pool.size)], j] = -1
    return A


class CalibrationError(RuntimeError):
    pass


def reach(A: np.ndarray, missing: np.ndarray, lay: Layout,
          B: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Units × pillars: the lowest and highest pillar score a province can get given its anchors
    (``A == FIXED`` cells keep their score in ``B``)."""
    n, n_p = A.shape[0], len(lay.pillars)
    lo, hi = np.zeros((n, n_p)), np.zeros((n, n_p))
    held = np.where(A == 1, 100.0, 0.0)
    if B is not None:
        held = np.where(A == FIXED, np.nan_to_num(B), held)
    for r in range(n):
        for k in range(n_p):
            w = _row_weights(~missing[r], lay, k)
            fixed = float(w @ held[r])
            free = float(w[A[r] == 0].sum())
            lo[r, k], hi[r, k] = fixed, fixed + UPPER * free
    return lo, hi


def fit_to_reach(P: np.ndarray, lo: np.ndarray, hi: np.ndarray, skip: int,
                 margin: float = REACH_MARGIN) -> np.ndarray:
    """Move pillar targets into reach (``margin`` inside), compensating on the other pillars of the same
    sub-index so that every province keeps its Input, Output and PII."""
    P = P.copy()
    groups = (list(range(5)), [5, 6])
    for r in range(P.shape[0]):
        if r == skip:
            continue
        for g in groups:
            for _ in range(50):
                a, b = lo[r, g] + margin, hi[r, g] - margin
                clamped = np.clip(P[r, g], a, b)
                delta = float((clamped - P[r, g]).sum())
                P[r, g] = clamped
                if abs(delta) < 1e-12:
                    break
                room = (b - clamped) if delta < 0 else (clamped - a)
                if room.sum() <= 0:
                    raise CalibrationError(f"row {r}: pillar targets out of reach")
                P[r, g] -= delta * room / room.sum()
    return P


def calibrate_others(B: np.ndarray, P: np.ndarray, missing: np.ndarray, A: np.ndarray, lay: Layout,
                     focus_row: int) -> np.ndarray:
    """Scores of every province but the focus one, each pillar hitting its target in ``P``."""
    S = np.where(A == 1, 100.0, np.where(A == -1, 0.0, B))
    S[missing] = np.nan
    L = logit(np.clip(B, 1e-6, UPPER - 1e-6) / UPPER)
    for r in range(S.shape[0]):
        if r == focus_row:
            continue
        avail = ~missing[r]
        for k in range(len(lay.pillars)):
            w = _row_weights(avail, lay, k)
            free = (w > 0) & (A[r] == 0)
            fixed = float(np.nansum(w[~free] * S[r, ~free])) if (~free & (w > 0)).any() else 0.0

            def score(d, r=r, w=w, free=free, fixed=fixed):
                return fixed + float(w[free] @ (UPPER * expit(L[r, free] + d)))

            d, got = _bisect(score, P[r, k])
            if abs(got - P[r, k]) > 1e-9:
                raise CalibrationError(f"pillar {lay.pillars[k]} of row {r}: target {P[r, k]:.3f} "
                                       f"is out of reach (closest {got:.3f})")
            S[r, free] = UPPER * expit(L[r, free] + d)
    return S


def focus_targets(S: np.ndarray, lay: Layout, plan: FocusPlan, reach_lo: np.ndarray,
                  reach_hi: np.ndarray) -> np.ndarray:
    """Pillar targets of the focus province: above the others' mean on ``plan.above`` and below it
    elsewhere, by ``plan.margin`` points (or, if its PII cannot be reached so, by less, down to
    MIN_MARGIN), within what its rank intervals allow, with its PII equal to ``plan.pii`` (found by
    bisection on a common distance below the mean)."""
    from piiplan.demo.design import pillar_scores

    others = np.delete(pillar_scores(S, lay), plan.row, axis=0)
    m = np.nanmean(others, axis=0)
    up = np.array([p in plan.above for p in lay.pillars])
    pad = FOCUS_PAD * (reach_hi - reach_lo)
    floor, ceil = reach_lo + pad, reach_hi - pad
    w = np.array([0.1] * 5 + [0.25] * 2)
    closest = None
    for margin in np.linspace(plan.margin, MIN_MARGIN, 5):
        top = np.clip(m + margin, floor, ceil)
        if (top[up] <= m[up] + MIN_MARGIN / 2).any() or (floor[~up] >= m[~up] - MIN_MARGIN / 2).any():
            continue

        def targets(t: float, top=top, margin=margin) -> np.ndarray:
            below = np.minimum(np.maximum(m - t, floor), m - margin)
            return np.where(up, top, below)

        lo_t, hi_t = 0.0, 100.0
        for _ in range(BISECTIONS):
            mid = 0.5 * (lo_t + hi_t)
            if float(w @ targets(mid)) > plan.pii:
                lo_t = mid
            else:
                hi_t = mid
        out = targets(0.5 * (lo_t + hi_t))
        closest = float(w @ out)
        if abs(closest - plan.pii) <= 1e-9:
            return out
    raise CalibrationError(f"focus PII {plan.pii} out of reach (closest {closest})")


def calibrate_focus(S: np.ndarray, lay: Layout, plan: FocusPlan, leaders: np.ndarray, missing: np.ndarray,
                    q: np.ndarray, fixed: np.ndarray | None = None) -> np.ndarray:
    """Fill the focus row of ``S`` (in place, and returned); ``q`` in (0, 1): its position in each interval.
    ``fixed`` (bool per indicator): columns whose focus score is given (already in ``S``)."""
    r = plan.row
    n_units = S.shape[0]
    want = {c: (i + 1, i + 1) for i, c in enumerate(plan.strengths)}
    want.update({c: (n_units - i, n_units - i) for i, c in enumerate(plan.weaknesses)})
    lo = np.full(S.shape[1], np.nan)
    hi = np.full(S.shape[1], np.nan)
    for j, code in enumerate(lay.indicators):
        if missing[r, j] or leaders[j] == r or want.get(code) == (n_units, n_units) \
                or (fixed is not None and fixed[j]):
            continue
        a, b = want.get(code, plan.free_ranks)
        o = np.sort(np.delete(S[:, j], r))[::-1]
        o = o[~np.isnan(o)]
        # A value strictly between o[b-1] and o[a-2] ranks between a and b (1 = best).
        lo[j] = o[b - 1] if b - 1 < o.size else 0.0
        hi[j] = o[a - 2] if a >= 2 else 100.0
        if not hi[j] > lo[j]:
            raise CalibrationError(f"no room for rank {a}–{b} on {code}")
        # keep clear of the neighbours so that rounding the raw values cannot create a tie
        lo[j], hi[j] = lo[j] + INSET * (hi[j] - lo[j]), hi[j] - INSET * (hi[j] - lo[j])
    S[r, leaders == r] = 100.0
    for code, (a, _) in want.items():
        if a == n_units:
            S[r, lay.indicators.index(code)] = 0.0
    avail = ~missing[r]
    Lq = logit(q)
    n_p = len(lay.pillars)
    parts = []
    for k in range(n_p):
        w = _row_weights(avail, lay, k)
        free = (w > 0) & ~np.isnan(lo)
        fixed = float(np.nansum(w[~free & (w > 0)] * S[r, ~free & (w > 0)]))
        parts.append((w, free, fixed))
    reach_lo = np.array([fx + float(w[f] @ lo[f]) for w, f, fx in parts])
    reach_hi = np.array([fx + float(w[f] @ hi[f]) for w, f, fx in parts])
    targets = focus_targets(S, lay, plan, reach_lo, reach_hi)
    for k, (w, free, fixed) in enumerate(parts):

        def score(d, w=w, free=free, fixed=fixed):
            return fixed + float(w[free] @ (lo[free] + (hi[free] - lo[free]) * expit(Lq[free] + d)))

        d, got = _bisect(score, targets[k])
        if abs(got - targets[k]) > 1e-9:
            raise CalibrationError(f"focus pillar {lay.pillars[k]}: target {targets[k]:.3f} out of reach "
                                   f"(closest {got:.3f})")
        S[r, free] = lo[free] + (hi[free] - lo[free]) * expit(Lq[free] + d)
    return S

"""Plans that hold: the probability that a plan still reaches its rank when the other provinces move.

Every other province moves along its own trend (:func:`piiplan.analysis.projection.project_data`,
linear, one year ahead) plus its observed year-to-year noise: per indicator, the pooled spread of the
yearly changes around each province's own mean change (relative changes for the relative kinds of
:mod:`piiplan.analysis.levers`, absolute changes otherwise; with a single yearly change per province, the
spread of the changes across provinces). Noise is normal, drawn independently per province and indicator
from a seeded ``numpy.random.Generator``, and values stay within the indicator's scale. The planning
province keeps its planned values. Each draw is a full recompute of the index (:meth:`IndexInputs.build`),
so the probability is exact for the model, up to Monte Carlo error (±1,3 points at 1.000 draws and p = 0,8).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from piiplan.analysis.context import IndexInputs
from piiplan.analysis.levers import RELATIVE_KINDS

DEFAULT_DRAWS = 1000
DEFAULT_SEED = 2030


@dataclass
class Draws:
    """Competitors' raw values in each draw: (draws, units, indicators); the planning unit's row unused."""

    values: np.ndarray
    units: list[str]
    indicators: list[str]
    seed: int


def yearly_noise(framework, dataset, year: int, levers: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(σ per indicator, relative flag per indicator) from the panel's yearly changes up to ``year``."""
    inds = framework.indicators
    years = [y for y in dataset.years if y <= year]
    panel = np.stack([dataset.wide(y, inds).to_numpy(float) for y in years])       # (T, U, M)
    rel = np.array([str(levers.at[c, "kind"]) in RELATIVE_KINDS if c in levers.index else False for c in inds])
    sigma = np.zeros(len(inds))
    if len(years) >= 2:
        x0, x1 = panel[:-1], panel[1:]
        with np.errstate(invalid="ignore", divide="ignore"):
            change = np.where(rel[None, None, :], (x1 - x0) / np.abs(x0), x1 - x0)
        change = np.where(np.isfinite(change), change, np.nan)
        if change.shape[0] >= 2:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)     # a province with no change at all
                resid = change - np.nanmean(change, axis=0, keepdims=True)
            n = np.sum(~np.isnan(resid), axis=(0, 1))
            units_n = np.sum(np.any(~np.isnan(resid), axis=0), axis=0)
            dof = np.maximum(n - units_n, 1)
            sigma = np.sqrt(np.nansum(resid ** 2, axis=(0, 1)) / dof)
        else:
            sigma = np.nanstd(change[0], axis=0, ddof=1)
    sigma = np.where(np.isfinite(sigma), sigma, 0.0)
    return pd.Series(sigma, index=inds), pd.Series(rel, index=inds)


def draw_competitors(framework, dataset, year: int, levers: pd.DataFrame, n: int = DEFAULT_DRAWS,
                     seed: int = DEFAULT_SEED, horizon: int = 1) -> Draws:
    """``n`` seeded draws of every province's values ``horizon`` years ahead (trend + noise)."""
    from piiplan.analysis.projection import project_data

    if n < 1:
        raise ValueError("Số lần lặp Monte Carlo phải ≥ 1.")
    inds = framework.indicators
    trend = project_data(framework, dataset, year, "linear", horizon).reindex(columns=inds)
    units = [str(u) for u in trend.index]
    sigma, rel = yearly_noise(framework, dataset, year, levers)
    rng = np.random.default_rng(seed)
    base = trend.to_numpy(float)                                                 # (U, M)
    eps = rng.standard_normal((n,) + base.shape) * sigma.to_numpy()[None, None, :] * np.sqrt(horizon)
    vals = np.where(rel.to_numpy()[None, None, :], base[None] * (1.0 + eps), base[None] + eps)
    lo = np.array([_f(levers, c, "scale_min") for c in inds])
    hi = np.array([_f(levers, c, "scale_max") for c in inds])
    vals = np.where(np.isnan(lo)[None, None, :], vals, np.maximum(vals, lo[None, None, :]))
    vals = np.where(np.isnan(hi)[None, None, :], vals, np.minimum(vals, hi[None, None, :]))
    vals = np.where(rel.to_numpy()[None, None, :] & (base[None] >= 0), np.maximum(vals, 0.0), vals)
    return Draws(vals, units, list(inds), int(seed))


def _f(levers, code, col) -> float:
    if code in levers.index and pd.notna(levers.at[code, col]):
        return float(levers.at[code, col])
    return np.nan


@dataclass
class Holding:
    probability: float           # share of draws in which the unit reaches rank ≤ k
    draws: int
    seed: int
    leads: np.ndarray            # per draw: the unit's lead over the k-th best other unit (index points)
    ranks: np.ndarray            # per draw: the unit's rank

    def required_lead(self, probability: float, central_lead: float) -> float:
        """The lead (in the central scenario) that would hold in ``probability`` of the draws, assuming the
        draws erode any lead by the same amounts as this one (used to tighten the plan's safety margin)."""
        erosion = central_lead - self.leads
        return float(np.quantile(erosion, probability))


def holding(inputs: IndexInputs, unit: str, values: pd.Series, k: int, draws: Draws,
            progress: Callable[[int, int], None] | None = None) -> Holding:
    """Probability that ``unit`` with raw ``values`` reaches rank ≤ ``k`` over ``draws``.

    Every draw is a recomputation of the index: all draws at once through the engine's column-wise
    treatment and normalisation and the arithmetic mean's effective weights when the recipe allows it
    (:func:`batched_scores`, equal to a full build — tested), else one full build per draw."""
    unit = str(unit)
    ui = draws.units.index(unit)
    own = values.reindex(draws.indicators).to_numpy(float)
    V = draws.values.copy()
    V[:, ui, :] = own
    scores = batched_scores(inputs, V) if draws.units == inputs.units else None
    if scores is None:
        return _holding_by_builds(inputs, unit, own, k, draws, progress)
    if progress is not None:
        progress(V.shape[0], V.shape[0])
    return _holding_from_scores(scores, ui, k, draws.seed)


def _holding_from_scores(scores: np.ndarray, ui: int, k: int, seed: int) -> Holding:
    from piiplan.analysis.context import ranks_of

    mine = scores[:, ui]
    others = np.delete(scores, ui, axis=1)
    others = np.where(np.isnan(others), -np.inf, others)
    srt = -np.sort(-others, axis=1)
    kth = srt[:, k - 1] if k - 1 < srt.shape[1] else np.full(srt.shape[0], -np.inf)
    ranks = ranks_of(scores)[:, ui]
    return Holding(float(np.mean(ranks <= k)), scores.shape[0], seed, mine - kth, ranks)


def batched_scores(inputs: IndexInputs, V: np.ndarray) -> np.ndarray | None:
    """Index scores (draws × units) of raw values ``V`` (draws × units × indicators), or ``None`` when the
    recipe has a step this fast path does not cover (denominators, imputation, screening, non-arithmetic
    aggregation) — the caller then builds each draw."""
    from piiplan.analysis.context import effective_weights
    from piiplan.engine import normalise as norm
    from piiplan.engine.pipeline import normalise_params
    from piiplan.engine.treat import treat

    recipe = inputs.recipe
    names = [st["step"] for st in recipe.steps]
    if any(n not in ("impute", "treat", "normalise", "aggregate") for n in names):
        return None
    if recipe.has("impute") and recipe.step("impute").get("method") not in (None, "none"):
        return None
    if recipe.step("aggregate").get("method") != "amean":
        return None
    n, U, M = V.shape
    if V.shape[1:] != inputs.data.shape:
        return None
    if not np.array_equal(np.isnan(V), np.broadcast_to(np.isnan(V[0]), V.shape)):
        return None                                       # missingness varies: the weights would too
    # the effective weights depend on which values are missing only: those of the draws
    base = inputs.build(pd.DataFrame(V[0], index=inputs.data.index, columns=inputs.data.columns))
    if list(base.units) != list(inputs.units):
        return None
    st = base.structure
    codes = list(st.indicators)
    X = V.transpose(1, 0, 2).reshape(U, n * M)           # columns: draw-major, indicator-minor
    if recipe.has("treat"):
        t = recipe.step("treat")
        big_codes = [f"{s}\u241f{c}" for s in range(n) for c in codes]
        overrides = {f"{s}\u241f{c}": spec for s in range(n) for c, spec in (t.get("overrides") or {}).items()}
        X, _ = treat(X, big_codes, t["method"], t["skew"], t["kurt"], t["winmax"], t["log"], overrides)
    step = recipe.step("normalise")
    params = {}
    for key, val in normalise_params(inputs.framework, st.direction, step).items():
        params[key] = np.tile(val, n) if isinstance(val, np.ndarray) and val.ndim == 1 and val.size == M else val
    N = norm.normalise(X, np.tile(st.direction, n), step["method"], **params)
    N = N.reshape(U, n, M).transpose(1, 0, 2)           # (draws, units, indicators)
    A = effective_weights(base)                           # (units, indicators)
    with np.errstate(invalid="ignore"):
        S = np.nansum(A[None] * N, axis=2)
    S[np.all(np.isnan(N), axis=2)] = np.nan
    return S


def _holding_by_builds(inputs, unit, own, k, draws, progress) -> Holding:
    root = inputs.framework.root
    ui = draws.units.index(unit)
    n = draws.values.shape[0]
    leads, ranks = np.full(n, np.nan), np.full(n, np.nan)
    frame = inputs.data.reindex(index=draws.units, columns=draws.indicators).copy()
    for s in range(n):
        block = draws.values[s].copy()
        block[ui] = own
        frame.iloc[:, :] = block
        res = inputs.build(frame)
        scores = res.aggregated[root]
        mine = float(scores.at[unit])
        others = np.sort(scores.drop(index=unit).dropna().to_numpy())[::-1]
        kth = others[k - 1] if k - 1 < others.size else -np.inf
        leads[s] = mine - kth
        ranks[s] = float(res.ranks.at[unit, root])
        if progress is not None and (s % 50 == 0 or s == n - 1):
            progress(s + 1, n)
    return Holding(float(np.mean(ranks <= k)), n, draws.seed, leads, ranks)

"""Normalisation: bring every indicator onto a common scale, after applying its direction.

All methods work column-wise on arrays shaped ``(..., units, indicators)`` and ignore NaN, so the same
code serves a single build and a stack of Monte Carlo replications.
"""

from __future__ import annotations

import numpy as np

from piiplan.engine.rank import rank_min


def minmax(X: np.ndarray, lower: float = 0.0, upper: float = 100.0, **_) -> np.ndarray:
    lo = np.nanmin(X, axis=-2, keepdims=True)
    hi = np.nanmax(X, axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (X - lo) / (hi - lo) * (upper - lower) + lower


def zscore(X: np.ndarray, mean: float = 0.0, sd: float = 1.0, **_) -> np.ndarray:
    mu = np.nanmean(X, axis=-2, keepdims=True)
    s = np.nanstd(X, axis=-2, ddof=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (X - mu) / s * sd + mean


def rank(X: np.ndarray, **_) -> np.ndarray:
    """Rank with the best value highest (COINr ``n_rank``: ties take the minimum)."""
    n_valid = (~np.isnan(X)).sum(axis=-2, keepdims=True)
    return n_valid + 1 - rank_min(X)


def percentile_rank(X: np.ndarray, scale: float = 100.0, **_) -> np.ndarray:
    """Share of the other units at or below this one, 0–``scale`` (GII-style percentile rank)."""
    n_valid = (~np.isnan(X)).sum(axis=-2, keepdims=True)
    r = rank(X)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (r - 1) / (n_valid - 1) * scale


def goalposts(X: np.ndarray, lo: np.ndarray, hi: np.ndarray, scale: float = 100.0, **_) -> np.ndarray:
    """(x − lo)/(hi − lo)·scale, capped to [0, scale]. ``lo``/``hi`` per indicator, already direction-applied."""
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (X - lo) / (hi - lo) * scale
    return np.clip(out, 0.0, scale)


def distance_to_target(X: np.ndarray, target: np.ndarray, scale: float = 100.0, cap: bool = True,
                       **_) -> np.ndarray:
    """(x − min)/(target − min)·scale, capped at ``scale`` (COINr ``n_dist2targ``)."""
    lo = np.nanmin(X, axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (X - lo) / (target - lo) * scale
    return np.minimum(out, scale) if cap else out


def fraction_of_max(X: np.ndarray, scale: float = 100.0, **_) -> np.ndarray:
    hi = np.nanmax(X, axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return X / hi * scale


METHODS = {
    "minmax": minmax,
    "zscore": zscore,
    "rank": rank,
    "prank": percentile_rank,
    "goalposts": goalposts,
    "dist2target": distance_to_target,
    "fracmax": fraction_of_max,
}


def normalise(X: np.ndarray, direction: np.ndarray, method: str = "minmax", **params) -> np.ndarray:
    """Apply ``direction`` (±1 per indicator) then the named method with its parameters."""
    try:
        fn = METHODS[method]
    except KeyError:
        raise ValueError(f"Phương pháp chuẩn hoá «{method}» không được hỗ trợ ({', '.join(METHODS)}).") from None
    import warnings

    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-missing indicator stays NaN, by design
        return fn(X * direction, **params)

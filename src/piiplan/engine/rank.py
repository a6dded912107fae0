"""Ranks: higher is better, ties share the lowest rank ("min"), NaN stays NaN.

Vectorised over the last-but-one axis (units), for arrays shaped ``(..., units, columns)``.
"""

from __future__ import annotations

import numpy as np


def rank_min(X: np.ndarray) -> np.ndarray:
    """Rank of every value within its column, 1 = highest; ties take the minimum rank."""
    X = np.asarray(X, dtype=float)
    nan = np.isnan(X)
    # work along the last axis of a contiguous copy: sorting along a strided axis is several times slower
    key = np.ascontiguousarray(np.swapaxes(np.where(nan, np.inf, -X), -1, -2))
    order = np.argsort(key, axis=-1)
    sorted_vals = np.take_along_axis(key, order, axis=-1)
    n = key.shape[-1]
    new = np.ones(sorted_vals.shape, dtype=bool)
    new[..., 1:] = sorted_vals[..., 1:] != sorted_vals[..., :-1]
    start = np.where(new, np.arange(1, n + 1, dtype=float), 0.0)
    np.maximum.accumulate(start, axis=-1, out=start)
    out = np.empty_like(start)
    np.put_along_axis(out, order, start, axis=-1)
    out = np.swapaxes(out, -1, -2)
    out[nan] = np.nan
    return out


def rank_within(X: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Ranks computed separately inside each group (label per unit row)."""
    out = np.full(X.shape, np.nan)
    for g in dict.fromkeys(groups.tolist()):
        if g is None or (isinstance(g, float) and np.isnan(g)):
            continue
        rows = groups == g
        out[..., rows, :] = rank_min(X[..., rows, :])
    return out

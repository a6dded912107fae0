"""Ranks: higher is better, ties share the lowest rank ("min"), NaN stays NaN.

Vectorised over the last-but-one axis (units), for arrays shaped ``(..., units, columns)``.
"""

from __future__ import annotations

import numpy as np


def rank_min(X: np.ndarray) -> np.ndarray:
    """Rank of every value within its column, 1 = highest; ties take the minimum rank."""
    X = np.asarray(X, dtype=float)
    nan = np.isnan(X)
    key = np.where(nan, np.inf, -X)            # ascending sort of -X puts the best first, NaN last
    order = np.argsort(key, axis=-2, kind="stable")
    sorted_vals = np.take_along_axis(key, order, axis=-2)
    n = X.shape[-2]
    pos = np.arange(n).reshape((1,) * (X.ndim - 2) + (n, 1))
    pos = np.broadcast_to(pos, sorted_vals.shape)
    new = np.ones(sorted_vals.shape, dtype=bool)
    new[..., 1:, :] = sorted_vals[..., 1:, :] != sorted_vals[..., :-1, :]
    start = np.where(new, pos, 0)
    start = np.maximum.accumulate(start, axis=-2)
    ranks_sorted = start + 1.0
    out = np.empty_like(ranks_sorted)
    np.put_along_axis(out, order, ranks_sorted, axis=-2)
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

"""Aggregation: scores of each level from the level below, by weighted means.

A missing child is skipped and the remaining weights renormalised. An optional minimum data coverage
(the GII's idea) makes an aggregate NaN when too few of its children are present. Works on arrays
shaped ``(..., units, children)`` with a children × parents weight matrix, so one matrix product does a
whole level for every unit (and every Monte Carlo replication).
"""

from __future__ import annotations

import numpy as np

METHODS = ("amean", "gmean", "hmean", "genmean")


def aggregate_level(S: np.ndarray, W: np.ndarray, method: str = "amean", p: float = 2.0,
                    min_coverage: float = 0.0) -> np.ndarray:
    """Scores of one level. ``S``: (..., units, children); ``W``: (children, parents) weights."""
    mask = ~np.isnan(S)
    Sf = np.where(mask, S, 0.0)
    M = mask.astype(float)
    den = M @ W
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "amean":
            out = (Sf @ W) / den
        elif method == "gmean":
            if (Sf[mask] <= 0).any():
                raise ValueError("Trung bình nhân cần mọi điểm dương; hãy chuẩn hoá về thang [1, 100] "
                                 "(normalise.lower=1) hoặc dùng trung bình cộng.")
            out = np.exp((np.where(mask, np.log(np.where(mask, S, 1.0)), 0.0) @ W) / den)
        elif method == "hmean":
            if (Sf[mask] <= 0).any():
                raise ValueError("Trung bình điều hoà cần mọi điểm dương; hãy chuẩn hoá về thang [1, 100].")
            out = den / (np.where(mask, 1.0 / np.where(mask, S, 1.0), 0.0) @ W)
        elif method == "genmean":
            if p == 0:
                return aggregate_level(S, W, "gmean", min_coverage=min_coverage)
            out = ((np.where(mask, np.where(mask, S, 1.0) ** p, 0.0) @ W) / den) ** (1.0 / p)
        else:
            raise ValueError(f"Phương pháp tổng hợp «{method}» không được hỗ trợ ({', '.join(METHODS)}).")
    out = np.where(den > 0, out, np.nan)
    if min_coverage > 0:
        C = (W > 0).astype(float)
        coverage = (M @ C) / C.sum(axis=-2, keepdims=True)   # W may be stacked: (..., children, parents)
        out = np.where(coverage + 1e-12 >= min_coverage, out, np.nan)
    return out


def contribution_shares(S: np.ndarray, W: np.ndarray) -> np.ndarray:
    """For an arithmetic mean: each child's share of weight in each parent, per unit (NaN children 0).

    Returns (units, children, parents): w_cj / Σ_present w_c'j, zero where the child is missing or not a child.
    """
    mask = (~np.isnan(S)).astype(float)
    den = mask @ W
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den[:, None, :] > 0, mask[:, :, None] * W[None, :, :] / den[:, None, :], 0.0)

"""Imputation of missing values. The default, as in the GII, is none: aggregates skip missing children.

Methods: ``none``, ``mean`` / ``median`` (per indicator over units), ``group_mean`` / ``group_median``
(within a unit group such as region), ``panel_latest`` (the unit's latest earlier value) and
``panel_linear`` (a straight line through the unit's earlier values, extended to this year).
"""

from __future__ import annotations

import numpy as np

METHODS = ("none", "mean", "median", "group_mean", "group_median", "panel_latest", "panel_linear")


def linear_trend(years: np.ndarray, values: np.ndarray, at: float) -> np.ndarray:
    """The least-squares line through (year, value) of every cell, read at year ``at``: the one trend fit of
    piiplan (``panel_linear`` imputation here, projections in ``piiplan.analysis.projection``).

    ``values`` has the years on its first axis (any other axes are cells); missing values (NaN) are left out
    of each cell's fit. A cell with one value gives that value; a cell with none gives NaN.
    """
    years = np.asarray(years, dtype=float).reshape((-1,) + (1,) * (values.ndim - 1))
    ok = ~np.isnan(values)
    n = ok.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_t = np.where(ok, years, 0.0).sum(axis=0) / n
        mean_v = np.where(ok, values, 0.0).sum(axis=0) / n
        cov = np.where(ok, (years - mean_t) * (values - mean_v), 0.0).sum(axis=0)
        var = np.where(ok, (years - mean_t) ** 2, 0.0).sum(axis=0)
        slope = np.where(var > 0, cov / var, 0.0)
    return np.where(n > 0, mean_v + slope * (float(at) - mean_t), np.nan)


def impute(X: np.ndarray, method: str = "none", groups: np.ndarray | None = None,
           history: list[tuple[int, np.ndarray]] | None = None, year: int | None = None) -> np.ndarray:
    """Return a copy of ``X`` with NaN filled according to ``method`` (cells it cannot fill stay NaN)."""
    out = X.copy()
    nan = np.isnan(X)
    if method == "none" or not nan.any():
        return out
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            if method in ("mean", "median"):
                fill = np.nanmean(X, axis=0) if method == "mean" else np.nanmedian(X, axis=0)
                out = np.where(nan, fill[None, :], X)
            elif method in ("group_mean", "group_median"):
                if groups is None:
                    raise ValueError("Phương pháp gán theo nhóm cần cột nhóm (ví dụ vùng).")
                for g in dict.fromkeys(groups.tolist()):
                    rows = groups == g
                    sub = X[rows]
                    fill = np.nanmean(sub, axis=0) if method == "group_mean" else np.nanmedian(sub, axis=0)
                    out[rows] = np.where(np.isnan(sub), fill[None, :], sub)
            elif method in ("panel_latest", "panel_linear"):
                if not history:
                    return out
                years = np.array([y for y, _ in history], dtype=float)
                stack = np.stack([h for _, h in history])     # (years, units, indicators)
                if method == "panel_latest":
                    for k in np.argsort(years)[::-1]:
                        out = np.where(np.isnan(out), stack[k], out)
                else:
                    t = float(year if year is not None else years.max() + 1)
                    out = np.where(nan, linear_trend(years, stack, t), out)
            else:
                raise ValueError(f"Phương pháp gán giá trị thiếu «{method}» không được hỗ trợ ({', '.join(METHODS)}).")
    return out

"""Imputation of missing values. The default, as in the GII, is none: aggregates skip missing children.

Methods: ``none``, ``mean`` / ``median`` (per indicator over units), ``group_mean`` / ``group_median``
(within a unit group such as region), ``panel_latest`` (the unit's latest earlier value) and
``panel_linear`` (a straight line through the unit's earlier values, extended to this year).
"""

from __future__ import annotations

import numpy as np

METHODS = ("none", "mean", "median", "group_mean", "group_median", "panel_latest", "panel_linear")


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
                    ok = ~np.isnan(stack)
                    n = ok.sum(axis=0)
                    yy = np.where(ok, years[:, None, None], 0.0)
                    vv = np.where(ok, stack, 0.0)
                    my, mv = yy.sum(0) / n, vv.sum(0) / n
                    cov = (np.where(ok, (years[:, None, None] - my) * (stack - mv), 0.0)).sum(0)
                    var = (np.where(ok, (years[:, None, None] - my) ** 2, 0.0)).sum(0)
                    slope = np.where(var > 0, cov / var, 0.0)
                    pred = mv + slope * (t - my)
                    out = np.where(nan & (n > 0), pred, out)
            else:
                raise ValueError(f"Phương pháp gán giá trị thiếu «{method}» không được hỗ trợ ({', '.join(METHODS)}).")
    return out

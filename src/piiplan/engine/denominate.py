"""Denominate: divide indicators by a denominator (population, area, GRDP…) times a scale factor."""

from __future__ import annotations

import numpy as np
import pandas as pd


def denominate(X: np.ndarray, codes: list[str], denominators: pd.DataFrame | None, by: dict[str, str],
               scale: dict[str, float] | float = 1.0) -> tuple[np.ndarray, dict[str, str]]:
    """``by`` maps indicator codes to denominator column names; returns (X', used mapping)."""
    out = X.copy()
    used: dict[str, str] = {}
    if not by:
        return out, used
    if denominators is None or denominators.empty:
        raise ValueError("Công thức yêu cầu chia theo mẫu số nhưng dữ liệu không có cột mẫu số.")
    for j, code in enumerate(codes):
        name = by.get(code)
        if not name:
            continue
        if name not in denominators.columns:
            raise ValueError(f"Không có mẫu số «{name}» cho chỉ số {code}.")
        d = denominators[name].to_numpy(dtype=float)
        s = scale.get(code, 1.0) if isinstance(scale, dict) else float(scale)
        with np.errstate(invalid="ignore", divide="ignore"):
            col = X[:, j] / d * s
        col[~np.isfinite(col)] = np.nan
        out[:, j] = col
        used[code] = name
    return out, used

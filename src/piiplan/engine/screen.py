"""Screen units by data availability (share of indicators present), with forced inclusions/exclusions."""

from __future__ import annotations

import numpy as np


def screen(X: np.ndarray, units: list[str], threshold: float = 0.0, include: list[str] | None = None,
           exclude: list[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return (keep mask over units, availability per unit)."""
    availability = (~np.isnan(X)).mean(axis=1) if X.shape[1] else np.ones(X.shape[0])
    keep = availability >= threshold - 1e-12
    unit_arr = np.asarray(units, dtype=object)
    if include:
        keep |= np.isin(unit_arr, include)
    if exclude:
        keep &= ~np.isin(unit_arr, exclude)
    return keep, availability

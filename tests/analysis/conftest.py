"""Shared fixtures: the COINr ASEM example and small random index instances."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from piiplan.analysis.context import IndexInputs
from piiplan.engine import Framework, read_data
from piiplan.engine.data import Dataset

ASEM = Path(__file__).resolve().parents[1] / "golden" / "coinr-asem"   # COINr outputs, kept in the repo


@pytest.fixture(scope="session")
def asem():
    if not ASEM.exists():
        pytest.skip("COINr ASEM reference files not available")
    fw = Framework.from_csv(ASEM / "asem_imeta.csv")
    ds = read_data(ASEM / "asem_raw_idata.csv", fw)
    return IndexInputs.from_dataset(fw, ds, recipe="coinr")


def small_framework(n_ind: int, n_pillars: int = 2, directions=None, rng=None) -> Framework:
    rows = []
    pillars = [f"P{p + 1}" for p in range(n_pillars)]
    for i in range(n_ind):
        d = directions[i] if directions is not None else 1
        w = 1.0 if rng is None else float(rng.choice([1.0, 1.0, 2.0]))
        rows.append({"code": f"{i % n_pillars + 1}.{i // n_pillars + 1}", "parent": pillars[i % n_pillars],
                     "level": 1, "name_vi": f"Chỉ số {i + 1}", "name_en": f"Indicator {i + 1}", "unit": "đơn vị",
                     "direction": d, "weight": w, "source": "test", "confidence": "placeholder"})
    for p in pillars:
        rows.append({"code": p, "parent": "IDX", "level": 2, "name_vi": f"Trụ cột {p}", "name_en": p, "unit": "",
                     "direction": None, "weight": 1.0, "source": "", "confidence": "placeholder"})
    rows.append({"code": "IDX", "parent": None, "level": 3, "name_vi": "Chỉ số tổng hợp", "name_en": "Index",
                 "unit": "", "direction": None, "weight": 1.0, "source": "", "confidence": "placeholder"})
    return Framework.from_frame(pd.DataFrame(rows), name="small")


def small_inputs(rng, n_units=7, n_ind=3, recipe="coinr", integer=True, skewed=True, directions=None):
    if directions is None:
        directions = [int(rng.choice([1, 1, -1])) for _ in range(n_ind)]
    fw = small_framework(n_ind, min(2, n_ind), directions, rng)
    if skewed:
        X = np.round(rng.lognormal(2.0, 1.0, size=(n_units, n_ind)))
    else:
        X = rng.integers(0, 20, size=(n_units, n_ind)).astype(float)
    if not integer:
        X = rng.normal(50, 10, size=(n_units, n_ind))
    units = [f"U{i + 1}" for i in range(n_units)]
    data = pd.DataFrame(X, index=units, columns=fw.indicators)
    return IndexInputs(fw, data, recipe)


def panel_dataset(rng, fw: Framework, n_units=8, years=(2023, 2024, 2025)) -> Dataset:
    units = pd.DataFrame({"name": [f"Tỉnh {i + 1}" for i in range(n_units)],
                          "region": ["Bắc" if i % 2 else "Nam" for i in range(n_units)]},
                         index=pd.Index([f"U{i + 1}" for i in range(n_units)], name="unit"))
    base = rng.normal(50, 10, size=(n_units, len(fw.indicators)))
    trend = rng.normal(1.0, 1.0, size=base.shape)
    rows = []
    for t, y in enumerate(years):
        X = base + t * trend + rng.normal(0, 0.5, size=base.shape)
        for i, u in enumerate(units.index):
            for j, c in enumerate(fw.indicators):
                rows.append({"unit": u, "indicator": c, "year": y, "value": float(X[i, j])})
    return Dataset(units, pd.DataFrame(rows))

"""Read the shipped demo panel (``src/piiplan/data/demo/``) from package data."""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path

import pandas as pd

from piiplan.engine import Dataset, Framework, load_framework


def demo_dir() -> Path:
    return Path(str(resources.files("piiplan").joinpath("data", "demo")))


def demo_framework() -> Framework:
    """The framework the demo panel is made for (PII 2025)."""
    from piiplan.demo.labels import FRAMEWORK

    return load_framework(FRAMEWORK)


def demo_metadata() -> dict:
    """``dataset.json``: label, seed, years, focus province, denominator descriptions."""
    return json.loads((demo_dir() / "dataset.json").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=2)
def _read(path: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    d = Path(path)
    values = pd.read_csv(d / "values.csv", dtype={"unit": str, "indicator": str, "year": int, "value": float},
                         encoding="utf-8")
    units = pd.read_csv(d / "units.csv", dtype=str, keep_default_na=False, encoding="utf-8").set_index("unit")
    dens = pd.read_csv(d / "denominators.csv", dtype={"unit": str, "name": str, "year": int, "value": float},
                       encoding="utf-8")
    return values, units, dens


def load_demo(path: str | Path | None = None) -> Dataset:
    """The demo panel as a :class:`~piiplan.engine.Dataset` (units with ``name``, ``kind``, ``region``;
    values in long form with NaN for the missing cells; denominators per year).

    ``path``: a folder written by ``piiplan demo-data`` (default: the shipped one).
    """
    from piiplan.demo.labels import SYNTHETIC_LABEL

    values, units, dens = _read(str(Path(path) if path is not None else demo_dir()))
    return Dataset(units.copy(), values.copy(), dens.copy(), source=SYNTHETIC_LABEL)

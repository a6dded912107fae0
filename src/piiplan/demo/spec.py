"""The generator's inputs, read from package data ``src/piiplan/data/demo-spec/``.

- ``indicators.csv``: per indicator the raw value at normalised score 0 (``lo``) and 100 (``hi``) in 2025,
  the decimals written, physical bounds, the yearly trend, the spread of the province noise (points),
  how strongly the indicator concentrates in leading provinces (``concentration``) and the 2025 leader.
- ``provinces.csv``: the 2025 PII score aimed at for each of the 34 provinces (published where known).
- ``targets.csv``: the calibration targets checked on the engine's results (see ``piiplan.demo.check``).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from piiplan.engine import Framework

SPEC_DIR = "demo-spec"


def spec_dir() -> Path:
    return Path(str(resources.files("piiplan").joinpath("data", SPEC_DIR)))


@dataclass(frozen=True)
class Spec:
    indicators: pd.DataFrame      # index: indicator code
    provinces: pd.DataFrame       # index: unit; column pii_2025, source
    targets: pd.DataFrame         # kind, unit, code, year, value, tolerance, source

    @property
    def target_pii(self) -> pd.Series:
        return self.provinces["pii_2025"]


def load_spec(framework: Framework | None = None) -> Spec:
    d = spec_dir()
    ind = pd.read_csv(d / "indicators.csv", dtype={"code": str, "leader": str}, encoding="utf-8")
    ind = ind.set_index("code")
    prov = pd.read_csv(d / "provinces.csv", dtype={"unit": str}, encoding="utf-8").set_index("unit")
    targets = pd.read_csv(d / "targets.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    if framework is not None:
        missing = [c for c in framework.indicators if c not in ind.index]
        extra = [c for c in ind.index if c not in framework.indicators]
        if missing or extra:
            raise ValueError(f"demo-spec/indicators.csv does not match the framework: missing {missing}, "
                             f"unknown {extra}")
        ind = ind.loc[framework.indicators]
    return Spec(ind, prov, targets)


def target_list(spec: Spec, kind: str, unit: str) -> list[str]:
    """A ';'-separated list target (strengths, weaknesses, above_mean) for one unit."""
    rows = spec.targets[(spec.targets["kind"] == kind) & (spec.targets["unit"] == unit)]
    if rows.empty:
        return []
    return [v.strip() for v in rows.iloc[0]["value"].split(";") if v.strip()]

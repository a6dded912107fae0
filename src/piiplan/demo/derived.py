"""Indicators derived from the economy (GRDP, population) instead of designed in score space.

Most indicators are designed as normalised scores and mapped linearly onto raw units (``generate``).
Amounts and shares of a national total cannot be: their raw values must add up and agree with the
province's GRDP, and they are far more concentrated than a linear map of scores allows. These
indicators (``demo-spec/derived.csv``) are computed in raw units first:

- ``share``: the province's GRDP share × ``exp(sd·z)``, renormalised so the 34 shares sum to 100;
- ``amount`` (tỷ đồng): GRDP × (GRDP / median GRDP)^elasticity × ``exp(sd·z)``, scaled so the national
  total is ``scale`` × GDP;
- ``income`` (thousand đồng per head a month): (GRDP per head)^elasticity × ``city_premium`` in
  centrally-run cities × ``exp(sd·z)``, scaled so the population-weighted mean is ``scale``.

The focus province is then moved, if needed, into the rank interval the targets ask for (one of its
weaknesses, or a middle rank for the others) — the smallest move that gives the rank — and a
designated leader (``leader`` in ``indicators.csv``) is lifted 2 % above the highest other value.
Their normalised scores are what the engine makes of them (``engine_scores``: COINr outlier treatment,
then min-max), and the calibration keeps them fixed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from piiplan.demo.spec import spec_dir
from piiplan.engine.normalise import minmax
from piiplan.engine.treat import treat

BASES = ("share", "amount", "income")
CITY_KIND = "thành phố"
LEADER_LIFT = 1.02
SLOT = 0.25             # where in the first admissible gap the focus value is put (0 = on the neighbour)


@dataclass(frozen=True)
class Economy:
    """2025 denominators of the 34 provinces, in the generator's unit order."""

    grdp: np.ndarray          # thousand billion (nghìn tỷ) đồng
    population: np.ndarray    # thousand people
    city: np.ndarray          # bool: centrally-run city

    @property
    def grdp_per_head_month(self) -> np.ndarray:
        """GRDP per head a month, thousand đồng."""
        return self.grdp * 1e9 / (self.population * 1e3) / 12.0


def load_derived() -> pd.DataFrame:
    d = pd.read_csv(spec_dir() / "derived.csv", dtype={"code": str}, encoding="utf-8").set_index("code")
    bad = sorted(set(d["basis"]) - set(BASES))
    if bad:
        raise ValueError(f"demo-spec/derived.csv: unknown basis {bad}")
    return d


def raw_column(row: pd.Series, eco: Economy, z: np.ndarray) -> np.ndarray:
    """The unrounded 2025 values of one derived indicator, before the focus and leader adjustments."""
    noise = np.exp(float(row["sd"]) * z)
    prem = np.where(eco.city, float(row["city_premium"]), 1.0)
    if row["basis"] == "share":
        x = eco.grdp * noise * prem
        return x * float(row["scale"]) / x.sum()
    if row["basis"] == "amount":
        x = eco.grdp * (eco.grdp / np.median(eco.grdp)) ** float(row["elasticity"]) * noise * prem
        return x * float(row["scale"]) * eco.grdp.sum() * 1000.0 / x.sum()
    x = eco.grdp_per_head_month ** float(row["elasticity"]) * noise * prem
    return x * float(row["scale"]) * eco.population.sum() / float((x * eco.population).sum())


def place_in_rank(x: np.ndarray, r: int, ranks: tuple[int, int]) -> np.ndarray:
    """Move ``x[r]`` (if needed) so that it ranks between ``ranks[0]`` and ``ranks[1]`` (1 = largest),
    by the smallest move: just past the neighbour it must overtake (or fall behind)."""
    a, b = ranks
    x = x.copy()
    o = np.sort(np.delete(x, r))[::-1]
    lo = o[b - 1] if b - 1 < o.size else -np.inf
    hi = o[a - 2] if a >= 2 else np.inf
    if lo < x[r] < hi:
        return x
    if x[r] <= lo:           # too small: into the gap just above lo
        up = o[b - 2] if b >= 2 else lo * 1.1
        x[r] = lo + SLOT * (up - lo)
        if not x[r] > lo:    # a gap narrower than float resolution: the next float above lo
            x[r] = np.nextafter(lo, np.inf)
    else:                    # too large: into the gap just below hi
        down = o[a - 1] if a - 1 < o.size else 0.0
        x[r] = hi - SLOT * (hi - down)
        if not x[r] < hi:    # likewise: the next float below hi (tying ``down`` at worst, which ranks a)
            x[r] = max(np.nextafter(hi, -np.inf), down)
    return x


def derived_2025(derived: pd.DataFrame, decimals: pd.Series, leaders: pd.Series, eco: Economy,
                 rng: np.random.Generator, focus: int, focus_ranks: dict[str, tuple[int, int]],
                 units: list[str]) -> dict[str, np.ndarray]:
    """code → rounded 2025 values of every derived indicator (complete columns)."""
    out = {}
    for code, row in derived.iterrows():
        x = raw_column(row, eco, rng.normal(0.0, 1.0, eco.grdp.size))
        leader = leaders.get(code)
        if isinstance(leader, str) and leader:
            j = units.index(leader)
            x[j] = max(x[j], LEADER_LIFT * np.delete(x, j).max())
        x = place_in_rank(x, focus, focus_ranks[code])
        if row["basis"] == "share":
            x = x * float(row["scale"]) / x.sum()
        out[code] = np.round(x, int(decimals[code]))
    return out


def engine_scores(X: np.ndarray, codes: list[str]) -> tuple[np.ndarray, list[str]]:
    """Normalised scores the engine's ``pii`` recipe gives these raw columns (COINr treatment, min-max
    0–100), and what the treatment did to each."""
    treated, info = treat(X, codes, "coinr")
    return minmax(treated), [str(f) for f in info.fired]

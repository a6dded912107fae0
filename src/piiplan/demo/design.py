"""The 2025 design: pillar targets per province and a structured matrix of normalised scores.

The demo panel is designed in *normalised* space (0–100, the scale the engine's min-max step produces)
and mapped to raw values afterwards (``generate.py``). Each province gets a target score for every
pillar (``pillar_targets``) such that the engine's PII, Input and Output equal the aims in
``demo-spec/provinces.csv``; indicator scores scatter around their pillar's target with province noise,
a common sub-pillar effect and, for indicators that concentrate in big cities (R&D, enterprises,
patents), an amplified gap to the national mean. ``calibrate.py`` then moves each row so that the
aggregates hit the targets exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from piiplan.engine import Framework


def expit(x):
    """The logistic function ``1 / (1 + e^-x)`` (as scipy.special.expit), elementwise."""
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def logit(p):
    """The inverse of :func:`expit`, ``log(p / (1 - p))`` (as scipy.special.logit), elementwise."""
    p = np.asarray(p, dtype=float)
    return np.log(p / (1.0 - p))

INPUT_PILLARS = ("1", "2", "3", "4", "5")
OUTPUT_PILLARS = ("6", "7")
# Relative steepness of each pillar across provinces (institutions are flat, R&D/business steep).
PILLAR_SLOPE = {"1": -0.4, "2": 0.35, "3": 0.1, "4": 0.2, "5": -0.1, "6": 0.3, "7": 0.0}
PILLAR_NOISE = 2.5        # sd of a province's pillar deviation (points)
SUBPILLAR_NOISE = 3.0     # sd of a province's sub-pillar effect (points)
UPPER = 99.0              # ceiling of non-leading cells, so that every leader is a sole first


@dataclass(frozen=True)
class Layout:
    """The framework as index arrays: indicator → sub-pillar → pillar."""

    indicators: list[str]
    sub_pillars: list[str]
    pillars: list[str]
    sub_of: np.ndarray        # indicator → sub-pillar index
    pillar_of_sub: np.ndarray  # sub-pillar → pillar index

    @property
    def pillar_of(self) -> np.ndarray:
        return self.pillar_of_sub[self.sub_of]

    def pillar_index(self, code: str) -> int:
        return self.pillars.index(code)


def layout(fw: Framework) -> Layout:
    inds = list(fw.indicators)
    subs = [fw.parent(c) for c in inds]
    sub_codes = list(dict.fromkeys(subs))
    pillar_codes = list(dict.fromkeys(fw.parent(s) for s in sub_codes))
    if tuple(pillar_codes) != INPUT_PILLARS + OUTPUT_PILLARS:
        raise ValueError(f"The demo generator expects pillars 1–7, got {pillar_codes}")
    return Layout(inds, sub_codes, pillar_codes, np.array([sub_codes.index(s) for s in subs]),
                  np.array([pillar_codes.index(fw.parent(s)) for s in sub_codes]))


def pillar_scores(S: np.ndarray, lay: Layout) -> np.ndarray:
    """Units × pillars, as the engine aggregates: arithmetic means that skip missing values."""
    n_sub = len(lay.sub_pillars)
    subs = np.full((S.shape[0], n_sub), np.nan)
    with np.errstate(invalid="ignore"):
        for s in range(n_sub):
            cols = S[:, lay.sub_of == s]
            cnt = (~np.isnan(cols)).sum(axis=1)
            subs[:, s] = np.where(cnt > 0, np.nansum(cols, axis=1) / np.maximum(cnt, 1), np.nan)
        out = np.full((S.shape[0], len(lay.pillars)), np.nan)
        for k in range(len(lay.pillars)):
            cols = subs[:, lay.pillar_of_sub == k]
            cnt = (~np.isnan(cols)).sum(axis=1)
            out[:, k] = np.where(cnt > 0, np.nansum(cols, axis=1) / np.maximum(cnt, 1), np.nan)
    return out


def index_scores(P: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(Input, Output, PII) from units × pillars."""
    inp = P[:, :5].mean(axis=1)
    out = P[:, 5:].mean(axis=1)
    return inp, out, (inp + out) / 2


def pillar_targets(units: list[str], pii: np.ndarray, rng: np.random.Generator,
                   fixed_io: dict[str, tuple[float, float]], pillar_leaders: dict[str, str]) -> np.ndarray:
    """Units × 7 pillar targets whose Input/Output/PII match the aims.

    Input − Output = 2·gap, the gap growing slightly with the score (leaders convert inputs better in
    absolute terms); ``fixed_io`` pins (Input, Output) of a unit; ``pillar_leaders`` {pillar: unit}
    makes that unit first on that pillar while keeping its Input/Output.
    """
    n = len(units)
    gap = 2.0 + 0.06 * (pii - pii.mean()) + rng.normal(0.0, 0.8, n)
    inp, out = pii + gap, pii - gap
    for unit, (i, o) in fixed_io.items():
        r = units.index(unit)
        inp[r], out[r] = i, o
    P = np.zeros((n, 7))
    dev_in = inp - inp.mean()
    dev_out = out - out.mean()
    noise = rng.normal(0.0, PILLAR_NOISE, (n, 7))
    for k, code in enumerate(INPUT_PILLARS + OUTPUT_PILLARS):
        dev = dev_in if k < 5 else dev_out
        P[:, k] = PILLAR_SLOPE[code] * dev + noise[:, k]
    P[:, :5] += (inp - P[:, :5].mean(axis=1))[:, None]
    P[:, 5:] += (out - P[:, 5:].mean(axis=1))[:, None]
    return lift_leaders(P, units, pillar_leaders)


def lift_leaders(P: np.ndarray, units: list[str], pillar_leaders: dict[str, str]) -> np.ndarray:
    """Make each ``pillar_leaders`` unit first on its pillar (by 1.5 points), keeping its Input/Output."""
    P = P.copy()
    for pillar, unit in pillar_leaders.items():
        k = (INPUT_PILLARS + OUTPUT_PILLARS).index(pillar)
        r = units.index(unit)
        best_other = np.delete(P[:, k], r).max()
        if P[r, k] <= best_other + 1.0:
            lift = best_other + 1.5 - P[r, k]
            same = [j for j in (range(5) if k < 5 else range(5, 7)) if j != k]
            P[r, k] += lift
            P[r, same] -= lift / len(same)
    return P


def natural_targets(S0: np.ndarray, P: np.ndarray, lay: Layout) -> np.ndarray:
    """Pillar targets that follow the pillar profile of the anchored scores ``S0`` but keep every
    province's Input and Output from ``P``: the anchors (zeros of the last, 100s of the leaders) then
    need no compensation concentrated in one pillar."""
    nat = pillar_scores(S0, lay)
    out = nat.copy()
    out[:, :5] += (P[:, :5].mean(axis=1) - nat[:, :5].mean(axis=1))[:, None]
    out[:, 5:] += (P[:, 5:].mean(axis=1) - nat[:, 5:].mean(axis=1))[:, None]
    return out


def base_scores(P: np.ndarray, lay: Layout, spec_ind: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Units × indicators of structured normalised scores (before calibration), within (0, UPPER)."""
    n = P.shape[0]
    pk = lay.pillar_of
    Pj = P[:, pk]                                   # each indicator's pillar target
    mean = Pj.mean(axis=0)
    conc = spec_ind["concentration"].to_numpy(dtype=float)
    noise_sd = spec_ind["noise"].to_numpy(dtype=float)
    sub_effect = rng.normal(0.0, SUBPILLAR_NOISE, (n, len(lay.sub_pillars)))[:, lay.sub_of]
    z = rng.normal(0.0, 1.0, Pj.shape)
    B = Pj + conc * (Pj - mean) + sub_effect + noise_sd * z
    return np.clip(B, 0.5, UPPER - 0.5)

"""A province's summary from a build: the province-report rule for strengths and weaknesses, and
its pillars against the national average.

Strengths/weaknesses rule: among the indicators the province has a value for, its five *strengths*
are the five with the best rank among the provinces (``res.ranks``, 1 = best, ties share the lowest
rank); its five *weaknesses* the five with the worst rank. Ties are broken deterministically: for
strengths by the higher normalised score, then by the order of the indicators in the framework; for
weaknesses by the lower normalised score, then by the framework order. The rule itself is
`piiplan.analysis.profile.strengths_weaknesses`; this module only lists its codes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from piiplan.analysis.profile import strengths_weaknesses
from piiplan.engine import Results


def ranked_indicators(res: Results, unit: str) -> pd.DataFrame:
    """The province's indicators with rank and normalised score, best first (the rule above)."""
    best, _ = strengths_weaknesses(res, unit, n=len(res.structure.indicators))
    return best.reset_index()[["code", "rank", "score", "order"]]


def strengths(res: Results, unit: str, n: int = 5) -> list[str]:
    return list(strengths_weaknesses(res, unit, n)[0].index)


def weaknesses(res: Results, unit: str, n: int = 5) -> list[str]:
    return list(strengths_weaknesses(res, unit, n)[1].index)


def pillars_vs_mean(res: Results, unit: str) -> pd.DataFrame:
    """Per pillar: the province's score and rank, the national mean and whether it is above."""
    fw = res.framework
    pillars = [p for sub_index in fw.children(fw.root) for p in fw.children(sub_index)]
    mean = res.mean()
    rows = [{"code": p, "name": fw.name_of(p), "score": float(res.aggregated.at[unit, p]),
             "rank": float(res.ranks.at[unit, p]), "mean": float(mean[p])} for p in pillars]
    df = pd.DataFrame(rows)
    df["above"] = df["score"] > df["mean"]
    return df


def pillars_above_mean(res: Results, unit: str) -> list[str]:
    df = pillars_vs_mean(res, unit)
    return list(df.loc[df["above"], "code"])


def first_count(res: Results, unit: str) -> int:
    """Number of indicators on which the province ranks first (alone or tied)."""
    inds = res.structure.indicators
    return int((res.ranks.loc[unit, inds] == 1).sum())


@dataclass
class UnitSummary:
    unit: str
    year: int | None
    n_units: int
    score: float
    rank: int
    input: float
    input_rank: int
    output: float
    output_rank: int
    pillars: pd.DataFrame
    strengths: list[str]
    weaknesses: list[str]


def summarise(res: Results, unit: str) -> UnitSummary:
    root = res.framework.root
    a, r = res.aggregated, res.ranks
    return UnitSummary(unit, res.year, len(res.units), float(a.at[unit, root]), int(r.at[unit, root]),
                       float(a.at[unit, "INPUT"]), int(r.at[unit, "INPUT"]), float(a.at[unit, "OUTPUT"]),
                       int(r.at[unit, "OUTPUT"]), pillars_vs_mean(res, unit), strengths(res, unit),
                       weaknesses(res, unit))

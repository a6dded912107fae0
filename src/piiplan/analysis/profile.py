"""Profile of one unit in one year: where it stands at every level, against whom, and why it moved.

Strengths and weaknesses
------------------------
*Province-report rule* (default, ``rule="province"``): the five indicators on which the unit ranks best
(strengths) and worst (weaknesses) among all units. Ties in rank are broken by the normalised score
(higher first for strengths, lower first for weaknesses), then by the order of the indicators in the
framework. Indicators the unit has no value for are skipped. This is the one implementation of the rule:
the demo summary, the documents and the pages all call `strengths_weaknesses`.

*GII rule* (``rule="gii"``): the same, but on the percentile rank ``100·(n − rank)/(n − 1)``, with ``n`` the
number of units having a value for the indicator, so indicators with different coverage compare fairly.

Year-on-year change
-------------------
With arithmetic aggregation the index score is ``Σ_j a_j·s_j`` (``a_j`` the effective weight of indicator
``j``, ``s_j`` its normalised score), so the score change splits exactly into one contribution per
indicator, ``a_j^t·s_j^t − a_j^{t−1}·s_j^{t−1}``, summed per pillar. For the rank, each contribution is
also shown as the rank the unit would hold this year without it (its own score minus that contribution
against every other unit's current score), and the *others' effect* is the rank its last-year score would
hold among this year's other scores. Scores of different years are min-max scaled on their own year's
range, so this attribution is an accounting identity, not a causal claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from piiplan.analysis.context import IndexInputs, level_weights, unit_index
from piiplan.engine.results import Results
from piiplan.numbers import plain

RULES = ("province", "gii")
RULE_VI = {"province": "quy tắc báo cáo tỉnh", "gii": "quy tắc GII"}


def natural_key(code: str):
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.\-_ ]", str(code)))


@dataclass
class Profile:
    unit: str
    year: int | None
    n_units: int
    rule: str
    levels: pd.DataFrame            # per code: level, name, score, rank, national/region mean, gap
    strengths: pd.DataFrame         # five rows: code, name, rank, score, raw (+ percentile)
    weaknesses: pd.DataFrame
    indicators: pd.DataFrame        # per indicator: raw vs national/region mean, gaps raw and points
    change: pd.DataFrame | None = None   # per code: previous/current score and rank, contribution
    summary: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        def rows(df):
            if df is None:
                return None
            return [{k: plain(v) for k, v in r.items()} for r in df.reset_index().to_dict("records")]
        return {"unit": self.unit, "year": self.year, "n_units": self.n_units, "rule": self.rule,
                "rule_vi": RULE_VI.get(self.rule, self.rule),
                "summary": {k: plain(v) for k, v in self.summary.items()}, "levels": rows(self.levels),
                "strengths": rows(self.strengths), "weaknesses": rows(self.weaknesses),
                "indicators": rows(self.indicators), "change": rows(self.change)}


def strengths_weaknesses(res: Results, unit: str, n: int = 5, rule: str = "province"
                         ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` strengths and weaknesses of ``unit`` (see the module docstring for the rules)."""
    if rule not in RULES:
        raise ValueError(f"Quy tắc «{rule}» không hợp lệ; chọn: {', '.join(RULES)}.")
    inds = res.structure.indicators
    ranks = res.ranks.loc[unit, inds]
    scores = res.aggregated.loc[unit, inds]
    nvalid = res.aggregated[inds].notna().sum()
    df = pd.DataFrame({"name": [res.framework.name_of(c) for c in inds], "rank": ranks, "score": scores,
                       "n": nvalid, "raw": res.stage("raw").loc[unit, inds], "order": range(len(inds))},
                      index=pd.Index(inds, name="code"))
    with np.errstate(invalid="ignore", divide="ignore"):
        df["percentile"] = (df["n"] - df["rank"]) / (df["n"] - 1) * 100.0
    df = df[df["rank"].notna()]
    key = "rank" if rule == "province" else "percentile"
    sign = 1 if rule == "province" else -1          # small rank = good; large percentile = good
    order = sorted(df.index, key=lambda c: (sign * df.at[c, key], -df.at[c, "score"], df.at[c, "order"]))
    strengths = df.loc[order[:n]]
    order_w = sorted(df.index, key=lambda c: (-sign * df.at[c, key], df.at[c, "score"], df.at[c, "order"]))
    weaknesses = df.loc[order_w[:n]]
    return strengths, weaknesses


def _region_column(inputs: IndexInputs, region: str | None) -> str | None:
    g = inputs.groups
    if g is None or g.empty:
        return None
    if region and region in g.columns:
        return region
    for c in ("region", "vung", "vùng"):
        if c in g.columns:
            return c
    return None


def profile(inputs: IndexInputs, unit: str, *, previous: IndexInputs | None = None, rule: str = "province",
            n: int = 5, region: str | None = "region", base: Results | None = None) -> Profile:
    """Profile ``unit`` in ``inputs.year``; ``previous`` (the year before) adds the year-on-year change."""
    res = base if base is not None else inputs.build()
    unit = str(unit)
    if unit not in res.units:
        raise KeyError(f"Không có đơn vị «{unit}» trong kết quả.")
    fw = inputs.framework
    codes = res.structure.codes[::-1]           # top-down: index first
    scores, ranks = res.aggregated, res.ranks
    nat = scores.mean()
    rcol = _region_column(inputs, region)
    reg_label, reg_mean = None, None
    if rcol is not None:
        g = inputs.groups.reindex(res.units)[rcol]
        reg_label = g.get(unit)
        reg_mean = scores[g == reg_label].mean()
    levels = pd.DataFrame({
        "level": [int(fw.nodes.at[c, "level"]) for c in codes],
        "name": [fw.name_of(c) for c in codes],
        "score": scores.loc[unit, codes].to_numpy(),
        "rank": ranks.loc[unit, codes].to_numpy(),
        "national_mean": nat[codes].to_numpy(),
    }, index=pd.Index(codes, name="code"))
    levels["gap_national"] = levels["score"] - levels["national_mean"]
    if reg_mean is not None:
        levels["region_mean"] = reg_mean[codes].to_numpy()
        levels["gap_region"] = levels["score"] - levels["region_mean"]
    strengths, weaknesses = strengths_weaknesses(res, unit, n, rule)
    indicators = _versus_average(inputs, res, unit, rcol, reg_label)
    root = fw.root
    summary = {"score": float(scores.at[unit, root]), "rank": float(ranks.at[unit, root]),
               "n_units": len(res.units), "national_mean": float(nat[root]), "region": reg_label,
               "n_below_average": int((indicators["position"] == "dưới").sum()),
               "n_above_average": int((indicators["position"] == "trên").sum())}
    change = None
    if previous is not None:
        change, extra = _year_change(res, previous.build(), unit)
        summary.update(extra)
    return Profile(unit, inputs.year, len(res.units), rule, levels, strengths, weaknesses, indicators, change,
                   summary)


def _versus_average(inputs: IndexInputs, res: Results, unit: str, rcol: str | None, reg_label) -> pd.DataFrame:
    fw = inputs.framework
    inds = res.structure.indicators
    raw = res.stage("raw")
    norm = res.aggregated[inds]
    d = pd.Series(fw.direction(), index=inds)
    df = pd.DataFrame({"name": [fw.name_of(c) for c in inds], "unit_of_measure": fw.nodes.loc[inds, "unit"],
                       "direction": d, "raw": raw.loc[unit, inds], "national_mean_raw": raw.mean(),
                       "score": norm.loc[unit], "national_mean_score": norm.mean(),
                       "rank": res.ranks.loc[unit, inds]}, index=pd.Index(inds, name="code"))
    # gaps are signed so that positive = better than the average, whatever the direction
    df["gap_raw"] = (df["raw"] - df["national_mean_raw"]) * d
    df["gap_points"] = df["score"] - df["national_mean_score"]
    df["position"] = np.where(df["gap_points"].isna(), "", np.where(df["gap_points"] < 0, "dưới", "trên"))
    if rcol is not None:
        g = inputs.groups.reindex(res.units)[rcol]
        members = g[g == reg_label].index
        df["region_mean_raw"] = raw.loc[members].mean()
        df["region_mean_score"] = norm.loc[members].mean()
        df["gap_region_raw"] = (df["raw"] - df["region_mean_raw"]) * d
        df["gap_region_points"] = df["score"] - df["region_mean_score"]
    return df


def _year_change(cur: Results, prev: Results, unit: str) -> tuple[pd.DataFrame, dict]:
    fw = cur.framework
    st = cur.structure
    root = fw.root
    codes = st.codes[::-1]
    i = unit_index(cur.units, unit)
    if unit not in prev.units:
        return pd.DataFrame(), {}
    ip = prev.units.index(unit)
    m = len(st.indicators)
    Lc, Lp = level_weights(cur)[i], level_weights(prev)[ip]
    root_col = st.codes.index(root)
    nc = np.nan_to_num(cur.stages["normalised"][1][i])
    npv = np.nan_to_num(prev.stages["normalised"][1][ip])
    contrib_ind = Lc[:, root_col] * nc - Lp[:, root_col] * npv          # per indicator, root points
    # a code's contribution = the sum over its indicators
    member = np.zeros((len(st.codes), m))
    for c_i, code in enumerate(st.codes):
        kids = [code] if code in st.indicators else fw.descendants(code, 1)
        for k in kids:
            member[c_i, st.indicators.index(k)] = 1.0
    contrib = member @ contrib_ind
    s_cur = cur.aggregated[root].to_numpy()
    own = s_cur[i]
    others = np.delete(s_cur, i)
    rank_without = 1 + (others[None, :] > (own - contrib)[:, None]).sum(axis=1).astype(float)
    sc, sp = cur.aggregated.loc[unit], prev.aggregated.loc[unit]
    rc, rp = cur.ranks.loc[unit], prev.ranks.loc[unit]
    df = pd.DataFrame({"level": [int(fw.nodes.at[c, "level"]) for c in codes],
                       "name": [fw.name_of(c) for c in codes],
                       "score_prev": sp[codes].to_numpy(), "score": sc[codes].to_numpy(),
                       "rank_prev": rp[codes].to_numpy(), "rank": rc[codes].to_numpy()},
                      index=pd.Index(codes, name="code"))
    df["score_change"] = df["score"] - df["score_prev"]
    df["rank_change"] = df["rank_prev"] - df["rank"]                  # positive = moved up
    pos = {c: k for k, c in enumerate(st.codes)}
    df["contribution"] = [contrib[pos[c]] for c in codes]
    df["rank_without"] = [rank_without[pos[c]] for c in codes]
    prev_score = float(prev.aggregated.at[unit, root])
    extra = {"year_prev": prev.year, "score_prev": prev_score, "rank_prev": float(rp[root]),
             "rank_change": float(rp[root] - rc[root]),
             "rank_if_unchanged": float(1 + (others > prev_score).sum()),
             "score_change": float(sc[root] - prev_score)}
    return df, extra

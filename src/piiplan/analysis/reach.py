"""Realistic reach: how far a province can move each indicator in one year, from what the panel shows.

For every indicator the panel's year-on-year changes of every province (in the indicator's good
direction) are collected. From the positive ones:

* **relative kinds** (``count``, ``per_capita``; see :mod:`piiplan.analysis.levers`) — the relative
  improvement ``Δ/|x₀|`` (bases below the 10th percentile of the indicator's values are left out: a jump
  from almost nothing is not a rate anyone can plan on) is applied to the province's own level;
  a province near zero may still move by the typical (median) absolute improvement;
* **absolute kinds** (``share``, ``score``, ``index``, ``growth``) — the absolute improvement, capped by
  the scale (a score cannot pass its maximum).

The **best step** of an indicator is the best improvement observed (the maximum), at the province's level:
it is the effort unit — *one year of the best observed progress* — so an effort of 1,0 asks for what no
province has beaten in a year, comparable across indicators. The **reach** (the default bound of the
optimiser) is the chosen percentile of the observed improvements (100 = the best) for *evidence* and
*programme* levers, and the typical (median) improvement for *structural* and *external* ones — never more
than the best step. ``overrides`` (``{code: Δ}``) replace the reach of an indicator explicitly; they are
reported on every plan row they touch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from piiplan.analysis.levers import RELATIVE_KINDS, lever_table

SLOW_CLASSES = ("structural", "external")
TYPICAL = 50.0          # percentile used as the "typical" yearly improvement
BASE_FLOOR = 10.0       # relative changes only from bases at or above this percentile of the values
FALLBACK_REL = 0.10     # no panel (one year): 10 % a year for relative kinds …
FALLBACK_SD = 0.10      # … and 10 % of the cross-province standard deviation for the others


class ReachError(ValueError):
    """Bad reach settings (Vietnamese message)."""


@dataclass
class IndicatorReach:
    """Panel statistics of one indicator (all in the good direction, raw units or ratios)."""

    code: str
    kind: str
    lever_class: str
    relative: bool
    best: float             # best yearly improvement (ratio for relative kinds, raw units otherwise)
    chosen: float           # the reach percentile's improvement (same unit as ``best``)
    floor: float            # relative kinds: the smallest base a rate is applied to (raw units)
    n_changes: int          # observed year-on-year changes
    years: tuple[int, int] | None
    fallback: bool = False


@dataclass
class ReachModel:
    """Per-indicator reach for one panel; ``bounds(values)`` gives a province's one-year reach."""

    framework: object
    levers: pd.DataFrame
    stats: dict[str, IndicatorReach]
    percentile: float = 100.0
    overrides: dict[str, float] = field(default_factory=dict)

    def best_step(self, code: str, value: float) -> float:
        """One year of the best observed progress on ``code`` at level ``value`` (raw units, > 0)."""
        s = self.stats[code]
        step = s.best * max(abs(value), s.floor) if s.relative else s.best
        return float(step) if np.isfinite(step) and step > 0 else 0.0

    def default_reach(self, code: str, value: float) -> float:
        """The default one-year bound on ``code`` at level ``value`` (before overrides), capped by the scale."""
        s = self.stats[code]
        if np.isnan(value):
            return 0.0
        reach = s.chosen * max(abs(value), s.floor) if s.relative else s.chosen
        reach = min(reach, self.best_step(code, value))
        return max(0.0, min(reach, self._room(code, value)))

    def reach(self, code: str, value: float) -> float:
        if code in self.overrides:
            return max(0.0, min(float(self.overrides[code]), self._room(code, value)))
        return self.default_reach(code, value)

    def _room(self, code: str, value: float) -> float:
        d = int(self.framework.nodes.at[code, "direction"])
        lo, hi = self.levers.at[code, "scale_min"], self.levers.at[code, "scale_max"]
        if d > 0 and pd.notna(hi):
            return max(0.0, float(hi) - value)
        if d < 0 and pd.notna(lo):
            return max(0.0, value - float(lo))
        return np.inf

    def bounds(self, values: pd.Series) -> pd.Series:
        return pd.Series({c: self.reach(c, float(values[c])) for c in self.stats}, dtype=float)

    def steps(self, values: pd.Series) -> pd.Series:
        return pd.Series({c: self.best_step(c, float(values[c])) for c in self.stats}, dtype=float)

    def rationale(self, code: str, value_from: float, change: float) -> str:
        """One Vietnamese sentence: the asked change against what the panel shows."""
        s = self.stats[code]
        span = f"{s.years[0]}–{s.years[1]}" if s.years else "chưa có chuỗi số liệu"
        nyears = (s.years[1] - s.years[0]) if s.years else 0
        period = f"trong {nyears} năm qua ({span})" if nyears else f"({span})"
        if code in self.overrides:
            return (f"tăng {_amount(s, value_from, change)} — giới hạn do người dùng đặt ({_fmt(self.overrides[code])}), "
                    f"không theo mức quan sát được")
        if s.relative and value_from:
            asked = f"tăng {_fmt(100 * change / abs(value_from), 1)} %"
            best = f"{_fmt(100 * s.best, 1)} %/năm"
            typical = f"{_fmt(100 * s.chosen, 1)} %/năm"
        else:
            u = _short_unit(self.framework, code)
            asked = f"tăng {_fmt(change, 3)}{u}"
            best = f"{_fmt(s.best, 3)}{u}/năm"
            typical = f"{_fmt(s.chosen, 3)}{u}/năm"
        if s.fallback:
            return f"{asked} — chưa có số liệu nhiều năm, giới hạn tạm tính theo quy ước"
        if s.lever_class in SLOW_CLASSES:
            return f"{asked} — mức tăng điển hình {period} là {typical}, tỉnh làm tốt nhất tăng {best}"
        return f"{asked} — tỉnh làm tốt nhất {period} tăng {best}"


def _short_unit(framework, code) -> str:
    """" điểm %" for percentages, " điểm" for scores, "" for indices (an absolute change's unit)."""
    unit = str(framework.nodes.at[code, "unit"]) if "unit" in framework.nodes.columns else ""
    unit = unit.split("(")[0].strip()
    if unit.startswith("%"):
        return " điểm %"
    if unit.startswith("điểm"):
        return " điểm"
    return ""


def _amount(s: IndicatorReach, base: float, change: float) -> str:
    if s.relative and base:
        return f"{_fmt(100 * change / abs(base), 1)} %"
    return _fmt(change, 3)


def _fmt(v, digits: int = 2) -> str:
    from piiplan.numbers import format_number  # the one vi-VN number rule

    return format_number(v, digits)


def reach_model(framework, dataset, year: int | None = None, *, levers: pd.DataFrame | None = None,
                percentile: float = 100.0, overrides: dict | None = None) -> ReachModel:
    """Panel statistics of every indicator from ``dataset``'s years up to ``year`` (default: the last)."""
    if not (np.isfinite(percentile) and 0 < percentile <= 100):
        raise ReachError(f"Phân vị của mức cải thiện phải trong khoảng (0; 100] (100 = tốt nhất từng thấy); "
                         f"nhận được {percentile}.")
    overrides = {str(k): float(v) for k, v in (overrides or {}).items()}
    unknown = sorted(set(overrides) - set(framework.indicators))
    if unknown:
        raise ReachError(f"Không có chỉ số {', '.join(f'«{c}»' for c in unknown)} trong khung chỉ số (giới hạn cải thiện).")
    bad = {c: v for c, v in overrides.items() if not (np.isfinite(v) and v >= 0)}
    if bad:
        raise ReachError("Giới hạn cải thiện phải là số ≥ 0: " + ", ".join(f"{c} = {v}" for c, v in bad.items()) + ".")
    levers = levers if levers is not None else lever_table(framework)
    year = dataset.years[-1] if year is None else int(year)
    years = [y for y in dataset.years if y <= year]
    inds = framework.indicators
    panel = [dataset.wide(y, inds) for y in years]
    directions = dict(zip(inds, framework.direction()))
    stats = {}
    for code in inds:
        kind = str(levers.at[code, "kind"]) if code in levers.index else "share"
        cls = str(levers.at[code, "lever_class"]) if code in levers.index else "programme"
        relative = kind in RELATIVE_KINDS
        d = directions[code]
        x0 = np.concatenate([p[code].to_numpy(float) for p in panel[:-1]]) if len(panel) > 1 else np.array([])
        x1 = np.concatenate([p[code].to_numpy(float) for p in panel[1:]]) if len(panel) > 1 else np.array([])
        ok = ~(np.isnan(x0) | np.isnan(x1))
        delta = d * (x1[ok] - x0[ok])
        up = delta[delta > 0]
        q = percentile if cls not in SLOW_CLASSES else min(percentile, TYPICAL)
        floor = 0.0
        if not up.size:
            allv = np.concatenate([p[code].to_numpy(float) for p in panel])
            sd = float(np.nanstd(allv, ddof=1)) if np.isfinite(allv).sum() > 1 else 0.0
            best = FALLBACK_REL if relative else FALLBACK_SD * sd
            stats[code] = IndicatorReach(code, kind, cls, relative, best, best, 0.0, 0, None,
                                         fallback=len(panel) < 2)
            continue
        if relative:
            allv = np.abs(np.concatenate([p[code].to_numpy(float) for p in panel]))
            pos = allv[np.isfinite(allv) & (allv > 0)]
            base_min = float(np.percentile(pos, BASE_FLOOR)) if pos.size else 0.0
            floor = base_min
            b = np.abs(x0[ok])
            keep = (delta > 0) & (b >= base_min) & (b > 0)
            rel = delta[keep] / b[keep]
            best = float(rel.max()) if rel.size else 0.0
            chosen = float(np.percentile(rel, q)) if rel.size else 0.0
        else:
            best = float(up.max())
            chosen = float(np.percentile(up, q))
        stats[code] = IndicatorReach(code, kind, cls, relative, best, min(chosen, best), floor, int(ok.sum()),
                                     (years[0], years[-1]))
    return ReachModel(framework, levers, stats, float(percentile), overrides)


def reach_table(model: ReachModel, values: pd.Series) -> pd.DataFrame:
    """Per indicator, for one province: level, best step, default reach, reach used, override flag."""
    rows = []
    fw = model.framework
    for code, s in model.stats.items():
        x = float(values[code])
        rows.append({"code": code, "name": fw.name_of(code), "kind": s.kind, "lever_class": s.lever_class,
                     "value": x, "best_step": model.best_step(code, x), "default_reach": model.default_reach(code, x),
                     "reach": model.reach(code, x), "overridden": code in model.overrides,
                     "best_rate": s.best, "chosen_rate": s.chosen, "relative": s.relative, "n_changes": s.n_changes})
    return pd.DataFrame(rows).set_index("code")


def make_realistic_levers(model: ReachModel, own: pd.Series, fixed=(), steps: int = 10, weights=None):
    """Optimiser levers: bound = the one-year reach, effort scale = one year of the best observed progress."""
    from piiplan.analysis.target import Lever

    fixed = {str(c) for c in fixed}
    fw = model.framework
    out = []
    for code, d in zip(fw.indicators, fw.direction()):
        x = float(own[code])
        bound = 0.0 if code in fixed or np.isnan(x) else model.reach(code, x)
        spread = model.best_step(code, x) if not np.isnan(x) else 1.0
        spread = spread if spread > 0 else 1.0
        w = float((weights or {}).get(code, 1.0))
        out.append(Lever(code, x, bound, w, spread, bound / steps if bound > 0 else 1.0, int(d)))
    return out

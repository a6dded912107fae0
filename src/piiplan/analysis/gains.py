"""Marginal gains: what one more unit, or 10 % more, of each indicator is worth to a unit.

For every indicator the unit has a value for:

* ``points_per_unit`` — index points per one raw unit of improvement (in the indicator's good direction),
  a finite difference over a step of 1 % of the indicator's spread (standard deviation across units);
* ``points_10pct`` / ``places_10pct`` — the index points and the places gained by a 10 % improvement
  (``x + 0.1·|x|`` in the good direction; 10 % of the mean absolute value across units when ``x = 0``),
  every other unit unchanged; ``rank_10pct`` is the resulting rank. Both are computed by recomputing the
  indicator's column through treatment and normalisation, so they include every rescaling effect;
* warnings where effort is wasted: the value is **capped by winsorisation** (raising it changes nothing
  until the cap moves), it is **already the maximum** (the best value of all units: more raises the
  unit's score only by stretching the scale, and lowers everyone else's), or the 10 % step makes it the
  **new maximum**, which rescales every unit's score on that indicator; the value is **the worst of all
  units** (a kink: while it stays the worst its min-max score stays 0, so ``points_per_unit`` — a one-sided
  difference that does not leave the minimum — is 0; ``points_per_unit_after_min`` is the one-sided rate
  from the next-worst value up, and the warning says both); the 10 % step **changes the outlier treatment**
  of the indicator (winsorisation or the log transform starts or stops), which moves every unit's score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from piiplan.analysis.context import IndexInputs, UnitLevers, ranks_of
from piiplan.engine.results import Results
from piiplan.engine.treat import FIRED_VI
from piiplan.numbers import format_number, plain

WARN_CAPPED = "bị cắt khi thay giá trị ngoại lai: phần tăng thêm không được tính điểm"
WARN_MAX = "đã là giá trị tốt nhất cả nước: tăng thêm chỉ kéo giãn thang điểm"
WARN_NEW_MAX = "tăng 10% sẽ thành giá trị tốt nhất mới: thang min-max của mọi tỉnh thay đổi"
WARN_LOG = "chỉ số được biến đổi logarit: lợi ích giảm dần khi giá trị tăng"
WARN_MIN = ("đang là giá trị thấp nhất cả nước: tăng đến {next} (giá trị kém nhất kế tiếp) chưa được thêm điểm nào "
            "vì thang min-max dịch theo; vượt mức đó khoảng {rate} điểm/đơn vị")
WARN_TREAT = ("thay đổi làm đổi cách xử lý ngoại lai của chỉ số ({before} → {after}): điểm chuẩn hoá của mọi tỉnh ở "
              "chỉ số này thay đổi")


@dataclass
class Gains:
    unit: str
    score: float
    rank: float
    table: pd.DataFrame      # per indicator, sorted by points_10pct (best first)

    def to_dict(self) -> dict:
        rows = []
        for code, r in self.table.iterrows():
            rows.append({"code": code, **{k: plain(v) for k, v in r.items()}})
        return {"unit": self.unit, "score": self.score, "rank": self.rank, "indicators": rows}


def marginal_gains(inputs: IndexInputs, unit: str, base: Results | None = None, pct: float = 10.0) -> Gains:
    """Marginal gains of ``unit`` for every indicator (see the module docstring)."""
    lev = UnitLevers(inputs, unit, base)
    res = lev.base
    fw = inputs.framework
    inds = res.structure.indicators
    d = fw.direction()
    raw = inputs.data.to_numpy(dtype=float)
    spread = np.nanstd(raw, axis=0, ddof=1)
    meanabs = np.nanmean(np.abs(raw), axis=0)
    points = res.treated_points
    fired = res.treatment["fired"] if not res.treatment.empty else pd.Series(dtype=object)
    s0 = lev.s0
    rank0 = ranks_of(s0)[lev.ui]
    rows = []
    for j, code in enumerate(inds):
        x = lev.x0[j]
        if np.isnan(x):
            continue
        h = 0.01 * spread[j] if np.isfinite(spread[j]) and spread[j] > 0 else 1e-6 * max(abs(x), 1.0)
        step = 0.01 * pct * (abs(x) if x != 0 else meanabs[j])
        vals = np.array([x + d[j] * h, x + d[j] * step])
        D = lev.effects(j, vals)
        per_unit = D[0, lev.ui] / h
        new = s0 + D[1]
        rank10 = ranks_of(new)[lev.ui]
        col = raw[:, j] * d[j]
        others = np.delete(col, lev.row)
        warnings = []
        label = points.iat[lev.ui, j] if points.shape[1] else ""
        if (label == "winhi" and d[j] > 0) or (label == "winlo" and d[j] < 0):
            warnings.append(WARN_CAPPED)
        if np.all(np.isnan(others)) or x * d[j] >= np.nanmax(others):
            warnings.append(WARN_MAX)
        elif (x + d[j] * step) * d[j] > np.nanmax(others):
            warnings.append(WARN_NEW_MAX)
        after_min = np.nan
        if not np.all(np.isnan(others)) and x * d[j] <= np.nanmin(others):
            # a kink: while the unit stays the worst, its min-max score stays 0 and the one-sided rate
            # above is 0; the rate that counts starts at the next-worst value (one-sided, from there up)
            nxt = float(np.nanmin(others) * d[j])
            D2 = lev.effects(j, np.array([nxt, nxt + d[j] * h]))
            after_min = (D2[1, lev.ui] - D2[0, lev.ui]) / h
            warnings.append(WARN_MIN.format(next=format_number(nxt, 3), rate=format_number(after_min, 4)))
        if fired.get(code) == "log":
            warnings.append(WARN_LOG)
        before_t = str(fired.get(code, "none"))
        after_t = lev.fired(j, x + d[j] * step) if not fired.empty else before_t
        if after_t != before_t:
            warnings.append(WARN_TREAT.format(before=FIRED_VI.get(before_t, before_t),
                                              after=FIRED_VI.get(after_t, after_t)))
        rows.append({"code": code, "name": fw.name_of(code), "unit_of_measure": fw.nodes.at[code, "unit"],
                     "value": x, "step_10pct": d[j] * step, "points_per_unit": per_unit,
                     "points_per_unit_after_min": after_min,
                     "points_10pct": D[1, lev.ui], "rank_10pct": rank10, "places_10pct": rank0 - rank10,
                     "warnings": "; ".join(warnings)})
    table = pd.DataFrame(rows).set_index("code")
    if not table.empty:
        table = table.sort_values("points_10pct", ascending=False, kind="stable")
    return Gains(str(unit), float(s0[lev.ui]), float(rank0), table)


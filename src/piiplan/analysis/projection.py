"""Projections: every unit's indicators extended along its own trend, and the ranks that follow.

Per unit and indicator, over the years with a value up to the base year:

* ``linear`` — the least-squares line through (year, value), read at the target year;
* ``compound`` — constant growth rate: the least-squares line through (year, log value), i.e.
  ``value·(1 + g)^h``; when a value is ≤ 0 the cell falls back to the linear trend;
* a single observed year of a cell is carried forward unchanged; no observation stays missing. :func:`project`
  refuses a dataset with one year only up to the base year (no trend at all).

The projected table is then built with the same recipe (denominators of the base year) to give the
expected ranks next year, without and with planned improvements (changes in raw units added to the
projected values of the units concerned — e.g. the plan found by the optimiser).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from piiplan.analysis.context import IndexInputs
from piiplan.engine.impute import linear_trend
from piiplan.engine.recipe import Recipe

METHODS = ("linear", "compound")


def project_data(framework, dataset, year: int | None = None, method: str = "linear", horizon: int = 1
                 ) -> pd.DataFrame:
    """Raw values (units × indicators) projected ``horizon`` years after ``year`` (default: the last)."""
    if method not in METHODS:
        raise ValueError(f"Phương pháp dự báo «{method}» không hợp lệ; chọn: {', '.join(METHODS)}.")
    year = dataset.years[-1] if year is None else int(year)
    years = [y for y in dataset.years if y <= year]
    inds = framework.indicators
    stack = np.stack([dataset.wide(y, inds).to_numpy(dtype=float) for y in years])     # (years, units, inds)
    T, U, M = stack.shape
    flat = stack.reshape(T, U * M)
    target = float(year + horizon)
    yrs = np.asarray(years, dtype=float)
    lin = linear_trend(yrs, flat, target)
    if method == "compound":
        positive = np.where(np.isnan(flat), True, flat > 0).all(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            comp = np.exp(linear_trend(yrs, np.log(np.where(flat > 0, flat, np.nan)), target))
        out = np.where(positive & ~np.isnan(comp), comp, lin)
    else:
        out = lin
    units = dataset.units.index
    return pd.DataFrame(out.reshape(U, M), index=units, columns=inds)


def trend_years(dataset, year: int | None = None) -> list[int]:
    """The dataset's years up to ``year`` (default: the last) — the years a trend is fitted on."""
    year = dataset.years[-1] if year is None else int(year)
    return [y for y in dataset.years if y <= year]


@dataclass
class Projection:
    year: int
    target_year: int
    table: pd.DataFrame              # per unit: score/rank now, per method, with plan
    data: dict[str, pd.DataFrame] = field(default_factory=dict)    # projected raw values per method
    first_year: int | None = None    # first year of the trend fit

    def to_dict(self) -> dict:
        rows = []
        for u, r in self.table.iterrows():
            rows.append({"unit": u, **{k: (None if isinstance(v, float) and np.isnan(v) else
                                           (float(v) if isinstance(v, (float, np.floating)) else v))
                                       for k, v in r.items()}})
        return {"year": self.year, "target_year": self.target_year, "trend_from": self.first_year, "units": rows}


def plan_changes(result) -> dict[str, dict[str, float]]:
    """Changes of a :class:`~piiplan.analysis.target.TargetResult` as ``{unit: {code: change}}``."""
    return {result.unit: {r.code: r.change for r in result.plan}}


def project(framework, dataset, year: int | None = None, recipe: Recipe | str | None = None,
            plan: dict[str, dict[str, float]] | None = None, methods=METHODS, horizon: int = 1,
            edits=None) -> Projection:
    """Expected scores and ranks ``horizon`` years ahead, by each trend method, without and with ``plan``.

    ``plan``: changes ``{unit: {code: Δ}}`` added to the projected values (e.g. :func:`plan_changes`);
    ``edits``: further changes with the what-if meaning (:class:`~piiplan.analysis.whatif.Edit`: set, add
    or per cent), applied to the projected values after ``plan``. Raises ``ValueError`` when the dataset has
    a single year up to ``year`` (no trend can be computed)."""
    from piiplan.analysis.whatif import apply_edits, parse_edits

    base = IndexInputs.from_dataset(framework, dataset, year, recipe)
    year = base.year
    if len(trend_years(dataset, year)) < 2:
        raise ValueError(f"Chỉ có số liệu năm {year}: không tính được xu hướng từ một năm, nên không dự báo được; "
                         f"cần số liệu ít nhất hai năm.")
    edits = parse_edits(edits) if edits else []
    plan = plan or None
    root = framework.root
    now = base.build()
    table = pd.DataFrame({"score": now.aggregated[root], "rank": now.ranks[root]})
    datas = {}
    hist = {y: dataset.wide(y, framework.indicators) for y in dataset.years if y <= year}
    for m in methods:
        data = project_data(framework, dataset, year, m, horizon)
        datas[m] = data
        inp = IndexInputs(framework, data, base.recipe, base.groups, base.denominators, hist, year + horizon)
        res = inp.build()
        table[f"score_{m}"] = res.aggregated[root]
        table[f"rank_{m}"] = res.ranks[root]
        if plan or edits:
            planned = data.copy()
            for unit, changes in (plan or {}).items():
                for code, delta in changes.items():
                    if unit not in planned.index or code not in planned.columns:
                        raise KeyError(f"Kế hoạch có đơn vị/chỉ số không tồn tại: {unit} / {code}.")
                    planned.at[unit, code] = planned.at[unit, code] + float(delta)
            planned = apply_edits(planned, [replace(e) for e in edits])
            res_p = inp.build(planned)
            table[f"score_{m}_plan"] = res_p.aggregated[root]
            table[f"rank_{m}_plan"] = res_p.ranks[root]
            datas[f"{m}_plan"] = planned
    return Projection(year, year + horizon, table.sort_values(f"rank_{methods[0]}"), datas,
                      trend_years(dataset, year)[0])

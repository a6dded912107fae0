"""Realistic target plans: the one entry point the CLI, the API, the web job and the leader's page share.

:func:`plan_target` puts together

1. the lever model and the data calendar (:mod:`piiplan.analysis.levers`),
2. the one-year reach of every indicator and the effort unit, *years of the best observed progress*
   (:mod:`piiplan.analysis.reach`),
3. the exact least-effort search on that grid (:func:`piiplan.analysis.target.optimise`, anytime under a
   time budget, every plan confirmed by a full recompute),
4. the probability that the plan holds when the other provinces move (:mod:`piiplan.analysis.plan_risk`):
   the safety margin is raised until the least-effort plan holds in at least ``probability`` of the draws,
5. when no plan within a year's reach exists: why, the best reachable rank and a multi-year pathway
   (:mod:`piiplan.analysis.pathway`).

Bad options raise :class:`PlanOptionError` (a ``ValueError``) with a Vietnamese message: the CLI exits 2 with
it, the web form shows it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

import numpy as np
import pandas as pd

from piiplan.analysis.context import IndexInputs
from piiplan.analysis.levers import CLASSES, KINDS, Calendar, lever_table
from piiplan.analysis.reach import ReachError, ReachModel, make_realistic_levers, reach_model

Progress = Callable[[float, str], None]
PATHWAY_UNTIL = 2030


class PlanOptionError(ValueError):
    """An option a user typed that cannot be used (Vietnamese message)."""


@dataclass
class PlanOptions:
    percentile: float = 100.0               # reach: percentile of observed yearly improvements (100 = best)
    bounds: dict = field(default_factory=dict)     # explicit reach overrides {code: Δ}
    fixed: tuple = ()                       # codes that cannot change
    weights: dict = field(default_factory=dict)    # effort weights {code: w > 0} (default 1)
    margin: float = 0.0                     # minimum lead (index points) over those behind
    competitors: str = "trend"              # "trend" or "still"
    probability: float = 0.8                # required probability that the plan holds (0 = do not check)
    draws: int = 1000
    seed: int = 2030
    time_budget: float = 10.0               # seconds for the whole answer (search is anytime)
    steps: int = 10
    pathway_until: int = PATHWAY_UNTIL
    ladder: int = 0
    as_of: date | None = None               # the day the plan is made (data calendar); default today

    def check(self, framework, n_units: int, target_rank: int) -> None:
        inds = set(framework.indicators)
        unknown = [c for c in list(self.bounds) + list(self.fixed) + list(self.weights) if str(c) not in inds]
        if unknown:
            raise PlanOptionError(f"Không có chỉ số {', '.join(f'«{c}»' for c in dict.fromkeys(unknown))} "
                                  f"trong khung chỉ số (--bound/--fix).")
        for code, w in self.weights.items():
            if not (np.isfinite(w) and w > 0):
                raise PlanOptionError(f"Trọng số nỗ lực của {code} phải > 0 (nhận được {w}).")
        for code, v in self.bounds.items():
            if not (np.isfinite(v) and v >= 0):
                raise PlanOptionError(f"Mức cải thiện tối đa của {code} phải là số ≥ 0 (nhận được {v}).")
        if not 1 <= int(target_rank) <= n_units:
            raise PlanOptionError(f"Hạng mục tiêu phải từ 1 đến {n_units} (số tỉnh trong dữ liệu); "
                                  f"nhận được {target_rank}.")
        if not (np.isfinite(self.probability) and 0 <= self.probability <= 1):
            raise PlanOptionError(f"Xác suất giữ hạng phải trong khoảng 0–1 (ví dụ 0,8); nhận được {self.probability}.")
        if not (np.isfinite(self.percentile) and 0 < self.percentile <= 100):
            raise PlanOptionError(f"Phân vị mức cải thiện phải trong khoảng (0; 100] (100 = mức tốt nhất từng "
                                  f"thấy); nhận được {self.percentile}.")
        if not (np.isfinite(self.margin) and self.margin >= 0):
            raise PlanOptionError(f"Khoảng cách an toàn phải ≥ 0 (nhận được {self.margin}).")
        if self.competitors not in ("trend", "still"):
            raise PlanOptionError("Các tỉnh khác: chọn «trend» (theo xu hướng) hoặc «still» (đứng yên).")
        if int(self.draws) < 100:
            raise PlanOptionError(f"Số lần lặp Monte Carlo phải ≥ 100 (mặc định 1.000); nhận được {self.draws}.")
        if not (np.isfinite(self.time_budget) and 0 < self.time_budget <= 600):
            raise PlanOptionError(f"Thời gian tìm kiếm phải từ 0 đến 600 giây; nhận được {self.time_budget}.")
        if int(self.steps) < 1:
            raise PlanOptionError("Số bước phải ≥ 1.")


@dataclass
class PlanRow:
    code: str
    name: str
    unit_of_measure: str
    kind: str
    lever_class: str
    value_from: float
    value_to: float
    change: float
    change_pct: float | None
    points: float
    effort: float                 # years of the best observed progress
    reach: float                  # the bound used (raw units)
    default_reach: float
    overridden: bool
    edition: int
    data_year: int
    rationale: str


@dataclass
class RealisticPlan:
    unit: str
    year: int
    target_rank: int
    feasible: bool
    rank_before: float
    score_before: float
    competitors: str
    options: PlanOptions
    rows: list[PlanRow] = field(default_factory=list)
    rank_after: float | None = None
    score_after: float | None = None
    effort: float | None = None
    margin: float | None = None          # central lead over the best province ranked below the target
    safety_margin: float = 0.0           # the margin the search required
    probability: float | None = None
    holds: bool | None = None            # probability ≥ options.probability
    draws: int = 0
    confirmed: bool = False
    optimal: bool = True
    gap: float | None = None
    nodes: int = 0
    best_rank: float | None = None       # best rank reachable within one year's reach
    reason: str = ""
    pathway: list[dict] = field(default_factory=list)
    ladder: list[dict] = field(default_factory=list)
    elapsed: float = 0.0
    timed_out: bool = False              # the time budget ended the search for a plan that holds
    message: str = ""

    def to_dict(self) -> dict:
        from piiplan.numbers import plain as _clean

        out = {k: _clean(getattr(self, k)) for k in (
            "unit", "year", "target_rank", "feasible", "rank_before", "score_before", "competitors", "rank_after",
            "score_after", "effort", "margin", "safety_margin", "probability", "holds", "draws", "confirmed",
            "optimal", "gap", "nodes", "best_rank", "reason", "elapsed", "timed_out", "message")}
        out["effort_unit"] = "năm tiến bộ tốt nhất từng thấy"
        out["settings"] = {"percentile": self.options.percentile, "bounds": dict(self.options.bounds),
                           "fixed": list(self.options.fixed), "margin": self.options.margin,
                           "probability": self.options.probability, "draws": self.options.draws,
                           "seed": self.options.seed, "time_budget": self.options.time_budget,
                           "competitors": self.options.competitors}
        out["plan"] = [{{"value_from": "from", "value_to": "to"}.get(k, k): _clean(v) for k, v in r.__dict__.items()}
                       for r in self.rows]
        out["pathway"] = self.pathway
        out["ladder"] = self.ladder
        return out


def plan_target(framework, dataset, unit: str, target_rank: int, *, year: int | None = None, recipe=None,
                options: PlanOptions | None = None, levers: pd.DataFrame | None = None,
                calendar: Calendar | None = None, progress: Progress | None = None) -> RealisticPlan:
    """The least-effort realistic plan lifting ``unit`` to rank ≤ ``target_rank`` (see the module docstring)."""
    from piiplan.analysis.pathway import best_reachable, pathway
    from piiplan.analysis.plan_risk import draw_competitors, holding
    from piiplan.analysis.projection import project_data
    from piiplan.analysis.target import optimise

    t0 = time.monotonic()
    opts = options or PlanOptions()
    report = progress or (lambda share, text: None)
    inputs = IndexInputs.from_dataset(framework, dataset, year, recipe)
    unit = str(unit)
    if unit not in inputs.units:
        raise PlanOptionError(f"Không có tỉnh «{unit}» trong dữ liệu.")
    opts.check(framework, len(inputs.units), target_rank)
    k = int(target_rank)
    levers = levers if levers is not None else lever_table(framework)
    calendar = calendar or Calendar.load()
    as_of = opts.as_of or date.today()
    try:
        model = reach_model(framework, dataset, inputs.year, levers=levers, percentile=opts.percentile,
                            overrides=opts.bounds)
    except ReachError as exc:
        raise PlanOptionError(str(exc)) from None
    deadline = t0 + opts.time_budget
    competitors = project_data(framework, dataset, inputs.year) if opts.competitors == "trend" else None
    own = inputs.data.loc[unit]
    lever_list = make_realistic_levers(model, own, opts.fixed, opts.steps, opts.weights)
    root = framework.root
    base = inputs.build()
    out = RealisticPlan(unit, inputs.year, k, False, float(base.ranks.at[unit, root]),
                        float(base.aggregated.at[unit, root]), opts.competitors, opts)
    central = inputs
    if competitors is not None:
        data = competitors.reindex(index=inputs.data.index, columns=inputs.data.columns).astype(float)
        data.loc[unit] = own
        central = inputs.with_data(data)
    report(0.05, "Đang tìm phương án ít nỗ lực nhất")
    search_deadline = t0 + 0.45 * opts.time_budget if opts.probability > 0 else deadline
    res = optimise(central, unit, k, levers=lever_list, ladder=opts.ladder, margin=opts.margin,
                   deadline=search_deadline, max_nodes=5_000_000)
    out.nodes = res.nodes
    ladder = res.ladder
    if ladder is not None:
        out.ladder = [{k2: _plain(v) for k2, v in r.items()} for r in ladder.to_dict("records")]
    if res.feasible:
        margin = opts.margin
        best = (res, None, margin)
        draws = None
        if opts.probability > 0:
            report(0.45, "Đang tính xác suất giữ hạng (Monte Carlo)")
            draws = draw_competitors(framework, dataset, inputs.year, levers, int(opts.draws), int(opts.seed))
            for attempt in range(8):
                values = _planned(own, res, lever_list)
                hold = holding(inputs, unit, values, k, draws)
                if best[1] is None or _better(res, hold, best, opts.probability):
                    best = (res, hold, margin)
                if hold.probability >= opts.probability:
                    break
                if time.monotonic() > deadline:
                    out.timed_out = True
                    break
                lead = _central_lead(central, unit, values, k)
                need = hold.required_lead(opts.probability, lead)
                margin = max(need + 1e-6, margin * 1.25 + 0.01)
                report(0.45 + 0.1 * (attempt + 1), f"Tăng khoảng cách an toàn lên {margin:.3f} điểm")
                nxt = optimise(central, unit, k, levers=lever_list, ladder=0, margin=margin,
                               deadline=min(time.monotonic() + 0.2 * opts.time_budget, deadline),
                               max_nodes=5_000_000)
                out.nodes += nxt.nodes
                if not nxt.feasible:
                    break
                res = nxt
        res, hold, margin = best
        _fill(out, res, hold, margin, model, levers, calendar, as_of, central, lever_list)
    else:
        report(0.5, "Không đạt trong một năm: tính hạng tốt nhất và lộ trình nhiều năm")
        out.best_rank, gain_all, need = best_reachable(central, unit, k, lever_list)
        out.optimal = res.optimal
        out.reason = (f"Để lên hạng {k} cần thêm {_vi(need)} điểm {root}; cải thiện mọi chỉ số hết mức trong tầm "
                      f"một năm chỉ thêm {_vi(gain_all)} điểm, đạt hạng {_vi(out.best_rank, 0)}."
                      if res.optimal else
                      f"Chưa tìm được phương án trong thời gian cho phép ({_vi(opts.time_budget, 0)} giây); "
                      f"hạng tốt nhất đạt được khi cải thiện mọi chỉ số hết mức: {_vi(out.best_rank, 0)}.")
        report(0.6, "Đang lập lộ trình nhiều năm")
        out.pathway = pathway(framework, dataset, inputs, unit, k, model, opts, deadline=deadline, levers_table=levers)
        out.message = out.reason
    out.elapsed = time.monotonic() - t0
    report(1.0, "Xong")
    return out


def _planned(own: pd.Series, res, levers) -> pd.Series:
    values = own.copy()
    for r in res.plan:
        values[r.code] = r.value_to
    return values


def _central_lead(inputs: IndexInputs, unit: str, values: pd.Series, k: int) -> float:
    data = inputs.data.copy()
    data.loc[unit] = values.reindex(data.columns)
    scores = inputs.build(data).aggregated[inputs.framework.root]
    others = np.sort(scores.drop(index=unit).dropna().to_numpy())[::-1]
    kth = others[k - 1] if k - 1 < others.size else -np.inf
    return float(scores[unit] - kth)


def _better(res, hold, best, p) -> bool:
    """Keep the least-effort plan that holds; while none holds, the one that holds most often."""
    prev_res, prev_hold, _ = best
    if prev_hold is None:
        return True
    ok, prev_ok = hold.probability >= p, prev_hold.probability >= p
    if ok != prev_ok:
        return ok
    if ok:
        return res.effort < prev_res.effort
    return hold.probability > prev_hold.probability


def _fill(out: RealisticPlan, res, hold, margin, model, levers, calendar, as_of, central, lever_list) -> None:
    fw = model.framework
    out.feasible = True
    out.rank_after, out.score_after, out.effort = res.rank_after, res.score_after, res.effort
    out.confirmed, out.optimal, out.gap = res.confirmed, res.optimal, res.gap
    out.safety_margin = margin
    values = _planned(central.data.loc[out.unit], res, lever_list)
    out.margin = _central_lead(central, out.unit, values, out.target_rank)
    if hold is not None:
        out.probability, out.draws = hold.probability, hold.draws
        out.holds = hold.probability >= out.options.probability
    by_code = {lv.code: lv for lv in lever_list}
    for r in res.plan:
        lv = by_code[r.code]
        cls = str(levers.at[r.code, "lever_class"])
        lag = int(levers.at[r.code, "data_lag"])
        edition, data_year = calendar.edition_for(cls, lag, as_of)
        out.rows.append(PlanRow(
            r.code, r.name, _text(fw, r.code, "unit"), str(levers.at[r.code, "kind"]), cls, r.value_from, r.value_to,
            r.change, (100 * r.change / abs(r.value_from)) if r.value_from else None, r.points,
            abs(r.change) / lv.spread, lv.bound, model.default_reach(r.code, r.value_from),
            r.code in model.overrides, edition, data_year, model.rationale(r.code, r.value_from, abs(r.change))))
    out.rows.sort(key=lambda r: -r.points)
    out.best_rank = out.rank_after
    if not out.rows:
        out.message = f"{out.unit} đã đạt hạng {_vi(out.rank_before, 0)} (≤ {out.target_rank}); không cần thay đổi."
        return
    p = ("" if out.probability is None else
         f"; xác suất giữ hạng khi các tỉnh khác biến động {_vi(100 * out.probability, 0)} %")
    need = _vi(100 * out.options.probability, 0)
    warn = ("" if out.holds in (None, True) else
            f" Hết thời gian trước khi tìm được phương án giữ hạng với xác suất ≥ {need} %: đây là phương án chắc "
            f"chắn nhất đã tìm được; hãy tăng thời gian tìm kiếm." if out.timed_out else
            f" Không có phương án nào trong tầm một năm giữ được hạng với xác suất ≥ {need} %: đây là phương án "
            f"chắc chắn nhất tìm được.")
    out.message = (f"Đạt hạng {_vi(out.rank_after, 0)} (mục tiêu ≤ {out.target_rank}) với {len(out.rows)} chỉ số, "
                   f"tổng nỗ lực {_vi(out.effort)} năm tiến bộ tốt nhất; hơn tỉnh xếp sau {_vi(out.margin, 3)} điểm"
                   f"{p}.{warn}")


def _text(framework, code, column) -> str:
    v = framework.nodes.at[code, column] if column in framework.nodes.columns else ""
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)


def _plain(v):
    from piiplan.numbers import plain

    return plain(v)


def _vi(v, digits: int = 2) -> str:
    from piiplan.analysis.reach import _fmt

    return _fmt(v, digits)


KIND_LABELS = KINDS
CLASS_LABELS = CLASSES

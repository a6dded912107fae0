"""The plan's expected effect on the rank: the realistic plan's required improvements beside reported values.

Numbers come from the workspace's current data (``indexdata.service``: the active framework and dataset,
or the demo panel, which must then be labelled as synthetic). The profile is kept in the service's results
cache under the content key (framework, dataset, recipe), the year and the unit: activating another
framework or dataset version is seen on the next request. The realistic plan (reach, probability, pathway)
is the same background job as the staff's target page (``indexdata.jobs``), shared by its parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from piiplan.numbers import float_or_none
from piiplan.web.plan.indicators import indicator_name, sort_codes


@dataclass
class Analysis:
    year: int | None
    unit: str
    synthetic: bool
    label: str
    rank: float | None = None
    score: float | None = None
    weaknesses: list[str] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    raw: dict[str, float] = field(default_factory=dict)
    national_mean: dict[str, float] = field(default_factory=dict)
    error: str = ""


def _inputs(year: int | None):
    try:
        from piiplan.web.indexdata import service
    except ImportError:  # the data app is optional: fall back to the shipped demo panel
        from piiplan.analysis.context import IndexInputs
        from piiplan.demo import SYNTHETIC_LABEL, demo_framework, load_demo

        ds = load_demo()
        return IndexInputs.from_dataset(demo_framework(), ds, year), True, SYNTHETIC_LABEL, lambda key, f: f()
    ds = service.current_dataset()
    if year is not None and int(year) not in ds.years:
        year = None
    inputs = service.index_inputs(year, dataset=ds)
    content = service.content_key(inputs.framework, ds, inputs.recipe)

    def cached(key, compute):
        return service.cached(("plan.effect", *content, *key), compute)

    return inputs, service.is_synthetic(), service.synthetic_label(), cached



def analysis(unit: str, year: int | None = None) -> Analysis:
    """The unit's profile in the current data: rank, strengths, weaknesses, raw values, national means."""
    from piiplan.analysis.profile import profile

    try:
        inputs, synthetic, label, cached = _inputs(year)

        def compute():
            prof = profile(inputs, unit)
            raw = {code: float_or_none(v) for code, v in inputs.data.loc[unit].items()}
            means = {code: float_or_none(v) for code, v in inputs.data.mean().items()}
            return Analysis(inputs.year, unit, synthetic, label if synthetic else "",
                            float_or_none(prof.summary["rank"]), float_or_none(prof.summary["score"]),
                            list(prof.weaknesses.index), list(prof.strengths.index), raw, means)

        return cached(("profile", inputs.year, unit), compute)
    except (KeyError, ValueError, LookupError) as exc:
        return Analysis(year, unit, True, "", error=f"Chưa phân tích được {unit}: {exc}")


def realistic_job(user, plan):
    """(job, error): the realistic plan for ``plan``'s target rank, as a background job shared with the target
    page (same parameters and data → the same finished job). Never computes during the request."""
    try:
        from piiplan.web.indexdata import jobs, service
    except ImportError:
        return None, "Chưa có ứng dụng dữ liệu chỉ số để tính phương án."
    units = list(service.current_dataset().units.index)
    if plan.province not in units:
        return None, f"Không có {plan.province} trong bộ dữ liệu đang dùng."
    return jobs.start_target_job(user, plan.province, plan.target_rank), ""


def job_state(job):
    if job is None:
        return None
    from piiplan.web.indexdata import jobs

    return jobs.status(job)


def owners(plan, result) -> dict:
    from piiplan.web.plan.owners import owners_by_indicator

    if not result:
        return {}
    return owners_by_indicator(plan, [r["code"] for r in result.get("plan", [])])


def reported_values(plan) -> dict[str, dict]:
    """Latest value per indicator reported by agencies for the plan (accepted reports first)."""
    from piiplan.web.plan.models import IndicatorValue, ReportStatus

    out: dict[str, dict] = {}
    rows = (IndicatorValue.objects.filter(report__period__plan=plan, value__isnull=False,
                                          report__status__in=[ReportStatus.ACCEPTED, ReportStatus.SUBMITTED])
            .select_related("report__agency", "report__period")
            .order_by("report__period__cutoff", "report__status"))
    for row in rows:
        current = out.get(row.indicator)
        accepted = row.report.status == ReportStatus.ACCEPTED
        if current is None or accepted or not current["accepted"]:
            out[row.indicator] = {"value": row.value, "agency": row.report.agency.name, "period": row.report.period.title,
                                  "accepted": accepted, "source": row.source}
    return out


def effect_rows(plan, result, reported: dict[str, dict], current: Analysis) -> list[dict]:
    """One row per indicator the realistic plan moves or an agency reported: current, required, reported,
    progress (``result``: the job's JSON result, or None while it runs)."""
    required = {}
    if result and result.get("feasible"):
        required = {row["code"]: row for row in result.get("plan", [])}
    rows = []
    for code in sort_codes(set(required) | set(reported)):
        need = required.get(code)
        base = current.raw.get(code) if need is None else need["from"]
        rep = reported.get(code)
        progress = None
        if need is not None and rep is not None and need["change"]:
            progress = max(0.0, min(100.0, (rep["value"] - need["from"]) / need["change"] * 100.0))
        rows.append({
            "code": code, "name": indicator_name(code, plan.framework), "base": base,
            "required": need["to"] if need else None, "change": need["change"] if need else None,
            "points": need["points"] if need else None, "edition": need["edition"] if need else None,
            "reported": rep, "progress": progress,
        })
    return rows


def clear_memo() -> None:
    """Forget cached profiles and optimiser runs (they live in the service's results cache)."""
    from piiplan.web.indexdata import service

    service.clear_memo()

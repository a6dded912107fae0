"""The plan's records as the plain inputs of ``piiplan.reports``: the report to the UBND for a period
(half-year or annual DOCX, and its PDF copy) and a reminder letter (công văn đôn đốc) to an agency with
overdue items. Scores, ranks and indicator values come from the workspace's current data
(``indexdata.service``); the plan's records add targets, task progress, reported values and evidence."""

from __future__ import annotations

from piiplan.numbers import float_or_none
from piiplan.reports import model as rm
from piiplan.web import documents
from piiplan.web.plan.indicators import pillar_name
from piiplan.web.plan.models import (
    OVERDUE,
    AgencyReport,
    Evidence,
    IndicatorTarget,
    IndicatorValue,
    Mark,
    PeriodKind,
    ReportStatus,
    Task,
    TaskProgress,
    computed_status,
    today,
)


def issuer() -> rm.Issuer:
    return documents.issuer()


def signature() -> rm.Signature:
    return documents.signature()


def _progress_notes(period) -> dict[int, TaskProgress]:
    rows = TaskProgress.objects.filter(report__period=period, report__status__in=[ReportStatus.ACCEPTED, ReportStatus.SUBMITTED])
    return {row.task_id: row for row in rows}


def task_rows(plan, period=None, agency=None, only_overdue: bool = False, on=None) -> list[rm.TaskProgress]:
    """The plan's tasks as document rows, their status evaluated as of ``on`` — by default the period's
    status date (its cut-off once passed: a task due after the cut-off is not overdue in that period's
    report), else today. In a period, the status and result reported in its submitted or accepted
    reports stand for what was true at the cut-off; otherwise the task's current status."""
    if on is None:
        on = period.status_date() if period is not None else today()
    notes = _progress_notes(period) if period is not None else {}
    tasks = Task.objects.filter(plan=plan).select_related("lead_agency").order_by("number")
    if agency is not None:
        tasks = tasks.filter(lead_agency=agency)
    out = []
    for task in tasks:
        reported = notes.get(task.pk)
        status = computed_status(reported.status if reported else task.status, task.deadline, on)
        if only_overdue and status != OVERDUE:
            continue
        percent = reported.percent if reported else task.percent
        out.append(rm.TaskProgress(task.lead_agency.name, list(task.indicators), task.content, status,
                                   float(percent), (reported.done if reported else task.status_note) or "",
                                   task.deadline, task.output))
    return out


def _results(year: int | None):
    """(results, synthetic, data label) of the workspace's current data for ``year`` (default: latest)."""
    from piiplan.web.indexdata import service

    dataset = service.current_dataset()
    years = [int(y) for y in dataset.years]
    if year is None:
        year = years[-1]
    if int(year) not in years:
        return None, service.is_synthetic(), ""
    version = service.active_dataset_version()
    return service.results(int(year)), service.is_synthetic(), version.name if version else ""


def _accepted_values(plan, cutoff) -> dict[str, IndicatorValue]:
    """The latest accepted agency value per indicator reported up to ``cutoff``."""
    rows = (IndicatorValue.objects.filter(report__period__plan=plan, report__status=ReportStatus.ACCEPTED,
                                          report__period__cutoff__lte=cutoff, value__isnull=False)
            .select_related("report__agency").order_by("report__period__cutoff", "pk"))
    return {row.indicator: row for row in rows}


def indicator_rows(plan, period, current, base, evidence: list[rm.EvidenceDoc]) -> list[rm.IndicatorRow]:
    """Every indicator: base year's value, the period's value (an accepted agency value, else the current
    data), the plan's target, the national average (raw values), score and rank in the current data."""
    from piiplan.reports.from_results import indicator_rows as from_results

    targets = {t.indicator: t for t in IndicatorTarget.objects.filter(plan=plan)}
    reported = _accepted_values(plan, period.cutoff)
    refs: dict[str, list[str]] = {}
    for doc in evidence:
        for code in doc.indicator_codes:
            refs.setdefault(code, []).append(doc.number or doc.title)
    rows = from_results(current, plan.province, base=base) if current is not None else []
    for row in rows:
        target = targets.get(row.code)
        rep = reported.get(row.code)
        if rep is not None:
            row.current_value = float(rep.value)
            if rep.source:
                row.evidence.append(rep.source)
        row.evidence.extend(r for r in refs.get(row.code, []) if r not in row.evidence)
        if target is not None:
            row.target = target.target_value if target.goal == "value" and target.target_value is not None \
                else target.goal_text
            row.key = target.mark == Mark.WEAKNESS or target.target_value is not None
    return rows


def half_year_report(period) -> rm.HalfYearReport:
    """The DoST's report to the UBND for ``period``: the plan's tasks (as reported), the current results
    (pillar scores and ranks, every indicator against the base year, the target and the national
    average) and the evidence of the accepted agency reports."""
    from piiplan.reports.from_results import pillar_codes

    plan = period.plan
    current, synthetic, label = _results(None)
    base, _, _ = _results(plan.base_year)
    tasks = task_rows(plan, period)
    counts = rm.pillar_task_counts(tasks)
    pillars = []
    if current is not None and plan.province in current.units:
        mean = current.aggregated.mean()
        for code in pillar_codes(current.framework):
            pillars.append(rm.PillarResult(code, current.framework.name_of(code),
                                           float_or_none(current.aggregated.at[plan.province, code]),
                                           int(current.ranks.at[plan.province, code]), float_or_none(mean[code]),
                                           tasks=counts.get(code, rm.TaskCounts())))
    else:
        current = None
        for code in sorted({c.split(".")[0] for c in _all_codes()}, key=int):
            pillars.append(rm.PillarResult(code, pillar_name(code, plan.framework), tasks=counts.get(code, rm.TaskCounts())))
    if base is not None and plan.province not in base.units:
        base = None
    reports = AgencyReport.objects.filter(period=period)
    expected = period.expected_agencies().count()
    submitted = reports.filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]).count()
    accepted = reports.filter(status=ReportStatus.ACCEPTED)
    evidence = []
    for item in Evidence.objects.filter(report__in=accepted).select_related("task", "report__agency"):
        codes = [item.indicator] if item.indicator else list(item.task.indicators) if item.task else []
        evidence.append(rm.EvidenceDoc(item.document_number, item.document_date, item.issuer or item.report.agency.name,
                                       item.description or item.original_name, codes))
    indicators = indicator_rows(plan, period, current, base, evidence)
    data_lines = [f"{submitted}/{expected} cơ quan, đơn vị đã gửi báo cáo kỳ này; "
                  f"{accepted.count()} báo cáo đã được Sở thẩm định, chấp nhận."]
    if current is not None:
        n_reported = len(_accepted_values(plan, period.cutoff))
        data_lines.append(f"Số liệu chỉ số theo bộ dữ liệu hiện hành năm {current.year}"
                          f"{f' ({label})' if label else ''}; {n_reported} chỉ số có số liệu do cơ quan báo cáo "
                          "trong các báo cáo đã được chấp nhận.")
    kind = "annual" if period.kind == PeriodKind.YEAR else "half-year"
    header = rm.DocumentHeader(
        date=today(), subject=f"Kết quả thực hiện Kế hoạch cải thiện và nâng cao Chỉ số PII {period.title[8:] if period.title.startswith('Báo cáo ') else period.title}",
        recipients=["Ủy ban nhân dân tỉnh"], copies_to=["Như trên", "Lãnh đạo Sở"])
    return rm.HalfYearReport(
        issuer(), header, signature(), period.year, kind=kind, plan_title=plan.title, base_year=plan.base_year,
        cutoff=period.cutoff, status_date=period.status_date(), data_collection=data_lines,
        pillars=pillars, indicators=indicators, tasks=tasks, evidence=evidence,
        proposals=[line for r in accepted for line in r.proposals.splitlines() if line.strip()],
        synthetic=synthetic or plan.is_sample,
    )


REPLY_WORKING_DAYS = 5


def add_working_days(start, days: int):
    """``start`` + ``days`` working days (Monday–Friday; public holidays are not known here)."""
    from datetime import timedelta

    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def reminder_letter(plan, agency, period=None, reply_by=None, on=None) -> rm.ReminderLetter:
    """A công văn đôn đốc to ``agency``, dated ``on`` (today): its tasks overdue as of that day (a
    task due after the period's cut-off is overdue now, but not part of the period), and the period's
    report if the agency has not sent it by its deadline. ``reply_by`` (a date the DoST enters) must
    be in the future; otherwise the period's deadline if still ahead, else ``on`` + 5 working days."""
    on = on or today()
    items = task_rows(plan, agency=agency, only_overdue=True, on=on)
    overdue_report, report_due = "", None
    if period is not None and period.agency_deadline < on and period.expects(agency):
        sent = AgencyReport.objects.filter(period=period, agency=agency,
                                           status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]).exists()
        if not sent:
            overdue_report, report_due = period.title, period.agency_deadline
    if reply_by is None or reply_by <= on:
        ahead = period is not None and period.agency_deadline > on
        reply_by = period.agency_deadline if ahead else add_working_days(on, REPLY_WORKING_DAYS)
    subject = "V/v đôn đốc thực hiện nhiệm vụ của Kế hoạch cải thiện và nâng cao Chỉ số PII"
    if overdue_report:
        subject = f"V/v đôn đốc gửi {overdue_report[:1].lower()}{overdue_report[1:]} và thực hiện nhiệm vụ cải thiện Chỉ số PII"
    header = rm.DocumentHeader(date=on, subject=subject, recipients=[agency.name], kind="",
                               copies_to=["Như trên", "Giám đốc Sở (để b/c)"], archive="Lưu: VT, QLKH.")
    return rm.ReminderLetter(issuer(), header, signature(), agency.name, items, reply_by=reply_by,
                             plan_title=plan.title, overdue_report=overdue_report, report_due=report_due)


def _all_codes() -> list[str]:
    from piiplan.web.plan.indicators import indicator_codes

    return indicator_codes()

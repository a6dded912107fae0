"""The plan's records as the plain inputs of ``piiplan.reports``: the report to the UBND for a period
(half-year or annual DOCX) and a reminder letter (công văn đôn đốc) to an agency with overdue items."""

from __future__ import annotations

from django.conf import settings

from piiplan.reports import model as rm
from piiplan.web.plan import effect as fx
from piiplan.web.plan.indicators import indicator_name, pillar_name
from piiplan.web.plan.models import (
    OVERDUE,
    AgencyReport,
    Evidence,
    IndicatorTarget,
    Mark,
    PeriodKind,
    ReportStatus,
    Task,
    TaskProgress,
    today,
)


def issuer() -> rm.Issuer:
    return rm.Issuer(parent_body=settings.PIIPLAN_ISSUER_PARENT, body=settings.PIIPLAN_ISSUER,
                     place=settings.PIIPLAN_PROVINCE, symbol="SKHCN", name="Sở Khoa học và Công nghệ")


def signature() -> rm.Signature:
    return rm.Signature(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"])


def _progress_notes(period) -> dict[int, TaskProgress]:
    rows = TaskProgress.objects.filter(report__period=period, report__status__in=[ReportStatus.ACCEPTED, ReportStatus.SUBMITTED])
    return {row.task_id: row for row in rows}


def task_rows(plan, period=None, agency=None, only_overdue: bool = False) -> list[rm.TaskProgress]:
    on = today()
    notes = _progress_notes(period) if period is not None else {}
    tasks = Task.objects.filter(plan=plan).select_related("lead_agency").order_by("number")
    if agency is not None:
        tasks = tasks.filter(lead_agency=agency)
    out = []
    for task in tasks:
        status = task.effective_status(on)
        if only_overdue and status != OVERDUE:
            continue
        reported = notes.get(task.pk)
        out.append(rm.TaskProgress(task.lead_agency.name, list(task.indicators), task.content, status,
                                   float(task.percent), (reported.done if reported else task.status_note) or "",
                                   task.deadline, task.output))
    return out


def half_year_report(period) -> rm.HalfYearReport:
    plan = period.plan
    analysis = fx.analysis(plan.province, plan.base_year)
    tasks = task_rows(plan, period)
    pillars = []
    for code in sorted({c.split(".")[0] for c in _all_codes()}, key=int):
        counts = rm.TaskCounts()
        for row in tasks:
            if row.pillar == code:
                name = {"done": "done", "in_progress": "in_progress", "not_started": "not_started", OVERDUE: "overdue"}[row.status_code]
                setattr(counts, name, getattr(counts, name) + 1)
        pillars.append(rm.PillarResult(code, pillar_name(code, plan.framework), tasks=counts))
    targets = {t.indicator: t for t in IndicatorTarget.objects.filter(plan=plan)}
    reported = fx.reported_values(plan)
    indicators = []
    for code in _all_codes():
        target = targets.get(code)
        rep = reported.get(code)
        if target is None and rep is None:
            continue
        indicators.append(rm.IndicatorRow(
            code, indicator_name(code, plan.framework), base_value=analysis.raw.get(code),
            current_value=rep["value"] if rep else None,
            target=(target.target_value if target and target.goal == "value" else target.goal_text if target else None),
            national_average=analysis.national_mean.get(code), key=bool(target and target.mark == Mark.WEAKNESS)))
    reports = AgencyReport.objects.filter(period=period)
    expected = period.expected_agencies().count()
    submitted = reports.filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]).count()
    evidence = []
    for item in Evidence.objects.filter(report__period=period, report__status__in=[ReportStatus.ACCEPTED, ReportStatus.SUBMITTED]).select_related("task", "report__agency"):
        codes = [item.indicator] if item.indicator else list(item.task.indicators) if item.task else []
        evidence.append(rm.EvidenceDoc(item.document_number, item.document_date, item.issuer or item.report.agency.name,
                                       item.description or item.original_name, codes))
    kind = "annual" if period.kind == PeriodKind.YEAR else "half-year"
    header = rm.DocumentHeader(
        date=today(), subject=f"Kết quả thực hiện Kế hoạch cải thiện và nâng cao Chỉ số PII {period.title[8:] if period.title.startswith('Báo cáo ') else period.title}",
        recipients=["Ủy ban nhân dân tỉnh"], copies_to=["Như trên", "Lãnh đạo Sở"])
    return rm.HalfYearReport(
        issuer(), header, signature(), period.year, kind=kind, plan_title=plan.title, base_year=plan.base_year,
        cutoff=period.cutoff,
        data_collection=[f"{submitted}/{expected} cơ quan, đơn vị đã gửi báo cáo kỳ này; "
                         f"{reports.filter(status=ReportStatus.ACCEPTED).count()} báo cáo đã được Sở thẩm định, chấp nhận."],
        pillars=pillars, indicators=indicators, tasks=tasks, evidence=evidence,
        proposals=[line for r in reports.filter(status=ReportStatus.ACCEPTED) for line in r.proposals.splitlines() if line.strip()],
        synthetic=analysis.synthetic or plan.is_sample,
    )


def reminder_letter(plan, agency, period=None) -> rm.ReminderLetter:
    header = rm.DocumentHeader(date=today(), subject="V/v đôn đốc thực hiện nhiệm vụ của Kế hoạch cải thiện và nâng cao Chỉ số PII",
                               recipients=[agency.name], kind="")
    return rm.ReminderLetter(issuer(), header, signature(), agency.name,
                             task_rows(plan, period, agency=agency, only_overdue=True),
                             reply_by=period.agency_deadline if period else None, plan_title=plan.title,
                             period_label=period.title if period else "")


def _all_codes() -> list[str]:
    from piiplan.web.plan.indicators import indicator_codes

    return indicator_codes()

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


def _progress_notes(period) -> tuple[dict[int, TaskProgress], set[int]]:
    """Progress rows of the period's reports: those accepted by the DoST stand as fact; those only
    submitted (not reviewed) are returned apart, so the report can mark them instead of counting them."""
    rows = TaskProgress.objects.filter(report__period=period,
                                       report__status__in=[ReportStatus.ACCEPTED, ReportStatus.SUBMITTED])
    accepted, pending = {}, {}
    for row in rows.select_related("report"):
        (accepted if row.report.status == ReportStatus.ACCEPTED else pending)[row.task_id] = row
    unreviewed = {k for k in pending if k not in accepted}
    return {**pending, **accepted}, unreviewed


def task_rows(plan, period=None, agency=None, only_overdue: bool = False, on=None) -> list[rm.TaskProgress]:
    """The plan's tasks as document rows, their status evaluated as of ``on`` — by default the period's
    status date (its cut-off once passed: a task due after the cut-off is not overdue in that period's
    report), else today. In a period, the status and result of its ACCEPTED reports stand for what was
    true at the cut-off; a report only submitted does not change the task's status — its result is shown,
    marked as not yet reviewed (``unreviewed``). A recurring task keeps its timing ("Hằng quý")."""
    from piiplan.web.plan.models import Recurrence

    if on is None:
        on = period.status_date() if period is not None else today()
    notes, unreviewed = _progress_notes(period) if period is not None else ({}, set())
    tasks = Task.objects.filter(plan=plan).select_related("lead_agency").order_by("number")
    if agency is not None:
        tasks = tasks.filter(lead_agency=agency)
    out = []
    for task in tasks:
        reported = notes.get(task.pk)
        pending = task.pk in unreviewed
        basis = reported if reported is not None and not pending else None
        status = computed_status(basis.status if basis else task.status, task.deadline, on)
        if only_overdue and status != OVERDUE:
            continue
        percent = basis.percent if basis else task.percent
        note = (reported.done if reported else task.status_note) or ""
        timing = Recurrence(task.recurrence).label if task.recurrence else ""
        out.append(rm.TaskProgress(task.lead_agency.name, list(task.indicators), task.content, status,
                                   float(percent), note, task.deadline, task.output, timing=timing,
                                   unreviewed=pending and bool(note)))
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
            row.goal = target.goal
    return rows


KINDS = {PeriodKind.HALF_YEAR: "half-year", PeriodKind.YEAR: "annual", PeriodKind.AD_HOC: "ad-hoc"}


def _evidence_title(item, report_numbers: dict[str, str]) -> str:
    """The document's summary (trích yếu), never the uploaded file's name: the one written, else what the
    document is known to be (the agency's own report), else a plain description."""
    if item.description:
        return item.description
    period = item.report.period
    if item.document_number and report_numbers.get(item.document_number) == item.report.agency.name:
        return (f"Báo cáo kết quả thực hiện Kế hoạch {rm.period_label(KINDS[period.kind], period.year, period.cutoff)} "
                f"của {item.report.agency.name}")
    return f"Tài liệu minh chứng do {item.report.agency.name} cung cấp (chưa ghi trích yếu)"


def evidence_docs(period) -> list[rm.EvidenceDoc]:
    """Evidence of the period's accepted agency reports."""
    accepted = AgencyReport.objects.filter(period=period, status=ReportStatus.ACCEPTED)
    numbers = {r.document_number: r.agency.name for r in accepted.select_related("agency") if r.document_number}
    out = []
    for item in Evidence.objects.filter(report__in=accepted).select_related("task", "report__agency",
                                                                             "report__period"):
        codes = [item.indicator] if item.indicator else list(item.task.indicators) if item.task else []
        out.append(rm.EvidenceDoc(item.document_number, item.document_date, item.issuer or item.report.agency.name,
                                  _evidence_title(item, numbers), codes))
    return out


def agencies_late_and_pending(period, on=None) -> tuple[list[str], list[str]]:
    """(agencies that have not sent the period's report although its deadline has passed, agencies whose
    report waits for the DoST's review), by name."""
    on = on or today()
    reports = {r.agency_id: r for r in AgencyReport.objects.filter(period=period)}
    late, pending = [], []
    for agency in period.expected_agencies():
        report = reports.get(agency.pk)
        status = report.status if report else None
        if status == ReportStatus.SUBMITTED:
            pending.append(agency.name)
        elif status != ReportStatus.ACCEPTED and period.agency_deadline < on:
            late.append(agency.name)
    return late, pending


def _scenario_lines(plan, current) -> list[str]:
    """What the two latest saved scenarios of the province say (rank and score they lead to)."""
    from piiplan.reports.formatting import format_date, format_number

    from piiplan.analysis.context import IndexInputs
    from piiplan.analysis.whatif import what_if
    from piiplan.web.indexdata import service
    from piiplan.web.indexdata.models import Scenario

    lines = []
    for item in Scenario.objects.filter(unit=plan.province).exclude(edits={}).order_by("-updated_at")[:2]:
        try:
            year = int(item.year)
            inputs = IndexInputs.from_dataset(service.current_framework(), service.current_dataset(), year,
                                              service.current_recipe())
            result = what_if(inputs, item.edits, base=service.results(year))
            row = result.table.loc[plan.province]
        except Exception:  # a scenario on data that no longer compute: left out of the draft
            continue
        n = sum(len(v) for v in item.edits.values())
        lines.append(f"Theo kịch bản «{item.name}» (cập nhật ngày {format_date(item.updated_at.date())}, "
                     f"{n} chỉ số thay đổi), Chỉ số PII năm {year} của tỉnh đạt "
                     f"{format_number(row['score_after'], 2)} điểm, xếp hạng {int(row['rank_after'])}.")
    return lines


def _live_data(period) -> dict:
    """The report's data as they stand now: index position, pillars, indicators, tasks, evidence."""
    from piiplan.reports.from_results import pillar_codes, position_from_results

    plan = period.plan
    current, synthetic, label = _results(None)
    base, _, _ = _results(plan.base_year)
    tasks = task_rows(plan, period)
    counts = rm.pillar_task_counts(tasks)
    pillars, position = [], None
    if current is not None and plan.province in current.units:
        mean = current.aggregated.mean()
        for code in pillar_codes(current.framework):
            pillars.append(rm.PillarResult(code, current.framework.name_of(code),
                                           float_or_none(current.aggregated.at[plan.province, code]),
                                           int(current.ranks.at[plan.province, code]), float_or_none(mean[code]),
                                           tasks=counts.get(code, rm.TaskCounts())))
        previous, _, _ = _results(int(current.year) - 1)
        position = position_from_results(current, plan.province, previous=previous, target_rank=plan.target_rank,
                                         target_year=plan.year, scenario_lines=_scenario_lines(plan, current))
    else:
        current = None
        for code in sorted({c.split(".")[0] for c in _all_codes()}, key=int):
            pillars.append(rm.PillarResult(code, pillar_name(code, plan.framework),
                                           tasks=counts.get(code, rm.TaskCounts())))
    if base is not None and plan.province not in base.units:
        base = None
    reports = AgencyReport.objects.filter(period=period)
    expected = period.expected_agencies().count()
    accepted = reports.filter(status=ReportStatus.ACCEPTED).count()
    submitted = reports.filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]).count()
    evidence = evidence_docs(period)
    indicators = indicator_rows(plan, period, current, base, evidence)
    data_lines = [f"{submitted}/{expected} cơ quan, đơn vị đã gửi báo cáo kỳ này; "
                  f"{accepted} báo cáo đã được Sở thẩm định, chấp nhận."]
    if current is not None:
        n_reported = len(_accepted_values(plan, period.cutoff))
        data_lines.append(f"Số liệu chỉ số theo bộ dữ liệu hiện hành năm {current.year}"
                          f"{f' ({label})' if label else ''}; {n_reported} chỉ số có số liệu do cơ quan báo cáo "
                          "trong các báo cáo đã được chấp nhận.")
    late, pending = agencies_late_and_pending(period)
    return {"pillars": pillars, "indicators": indicators, "tasks": tasks, "evidence": evidence,
            "position": position, "late_agencies": late, "pending_agencies": pending,
            "status_date": period.status_date(), "synthetic": synthetic or plan.is_sample,
            "base_year": plan.base_year, "data_collection": data_lines, "data_label": label}


DATA_FIELDS = ("pillars", "indicators", "tasks", "evidence", "position", "late_agencies", "pending_agencies",
               "status_date", "synthetic", "base_year")


def report_data(period) -> dict:
    """The period's data: frozen at its close (never changing afterwards) or, while open, live."""
    from piiplan.reports.loading import load

    snap = getattr(period, "snapshot", None) if period.closed else None
    if snap is None:
        return _live_data(period)
    data = dict(snap.data)
    frozen = load(rm.HalfYearReport, {"issuer": {"parent_body": "", "body": "", "place": ""},
                                       "header": {"date": snap.created_at.date(), "subject": ""},
                                       "signature": {"position": []}, "year": period.year,
                                       **{k: data[k] for k in DATA_FIELDS if k in data}})
    out = {k: getattr(frozen, k) for k in DATA_FIELDS}
    out.update(data_collection=data.get("data_collection", []), data_label=snap.data_label,
               frozen_on=snap.created_at.date())
    return out


def freeze(request, period) -> None:
    """Store the period's data as they stand (called when the period closes); audited."""
    import dataclasses
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    from piiplan.web.audit.log import record
    from piiplan.web.plan.models import PeriodSnapshot

    data = _live_data(period)
    plain = {k: (dataclasses.asdict(v) if dataclasses.is_dataclass(v) else
                 [dataclasses.asdict(x) if dataclasses.is_dataclass(x) else x for x in v] if isinstance(v, list)
                 else v) for k, v in data.items() if k in DATA_FIELDS or k == "data_collection"}
    plain = json.loads(json.dumps(plain, cls=DjangoJSONEncoder))
    snap, _ = PeriodSnapshot.objects.update_or_create(
        period=period, defaults={"data": plain, "data_label": data["data_label"],
                                 "created_by": getattr(request, "user", None) if getattr(request, "user", None)
                                 and request.user.is_authenticated else None})
    record(request, "period_freeze", period, note=f"Chốt số liệu báo cáo ({data['data_label'] or 'dữ liệu hiện hành'})")


def half_year_report(period, data: dict | None = None) -> rm.HalfYearReport:
    """The DoST's report to the UBND for ``period`` (half-year, annual or ad hoc): the index position and
    the plan's target, the plan's tasks (as accepted), the results by pillar, every indicator against the
    base year, the target and the national average, the evidence of the accepted agency reports — frozen
    at the period's close — and the narrative sections written in the composer (or their drafts)."""
    from piiplan.reports.half_year import plan_citation
    from piiplan.web.plan import narrative

    plan = period.plan
    org = documents.organisation()
    data = data if data is not None else report_data(period)
    kind = KINDS.get(period.kind, "half-year")
    header = rm.DocumentHeader(date=today(), subject="", recipients=[org.superior_in_text],
                               copies_to=["Như trên", "Lãnh đạo Sở"], archive=org.archive())
    report = rm.HalfYearReport(
        org.issuer(), header, org.signature(), period.year, kind=kind,
        plan_title=plan_citation(plan.title, plan.number, plan.issued_on, org.superior_in_text),
        base_year=data["base_year"], cutoff=period.cutoff, status_date=data["status_date"],
        pillars=data["pillars"], indicators=data["indicators"], tasks=data["tasks"], evidence=data["evidence"],
        synthetic=data["synthetic"], position=data["position"], late_agencies=data["late_agencies"],
        pending_agencies=data["pending_agencies"], frozen_on=data.get("frozen_on"))
    for key, lines in narrative.sections(period, report, data).items():
        setattr(report, key, lines)
    return report


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
    org = documents.organisation()
    header = rm.DocumentHeader(date=on, subject=subject, recipients=[agency.name], kind="",
                               copies_to=["Như trên", "Giám đốc Sở (để b/c)"], archive=org.archive())
    return rm.ReminderLetter(org.issuer(), header, org.signature(), agency.name, items, reply_by=reply_by,
                             plan_title=plan.title, overdue_report=overdue_report, report_due=report_due)


def _all_codes() -> list[str]:
    from piiplan.web.plan.indicators import indicator_codes

    return indicator_codes()

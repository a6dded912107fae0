"""What changes the plan's records: guarded task saves (optimistic locking) and the report workflow.

Views call these functions; each writes the audit log (``audit.record``) for what it changed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from piiplan.web.audit.log import record, snapshot
from piiplan.web.plan import notify
from piiplan.web.versioning import ConflictError, conflict, guarded_update  # noqa: F401 (views use services.*)
from piiplan.web.plan.models import (
    AgencyReport,
    IndicatorValue,
    ReportStatus,
    Task,
    TaskProgress,
    TaskStatus,
)

TASK_FIELDS = [
    "number", "indicators", "content", "lead_agency", "coordinating_agencies", "all_communes",
    "coordinating_other", "output", "deadline", "recurrence", "status", "percent", "status_note", "version",
]
EVIDENCE_FIELDS = ["original_name", "size", "sha256", "document_number", "document_date", "issuer", "task", "indicator"]
REPORT_FIELDS = [
    "status", "summary", "proposals", "document_number", "document_date", "signer", "review_comment", "version",
]

TASK = "Nhiệm vụ này"
REPORT = "Báo cáo này"


class WorkflowError(Exception):
    """A report transition that is not allowed from the current state. ``str()`` is Vietnamese."""


def save_task(request, task: Task, changes: dict, expected_version: int, *, action: str = "task_update",
              announce: bool = False) -> Task:
    """Apply ``changes`` (field → value; ``coordinating_agencies`` a list of agencies) to ``task`` if
    nobody saved it since ``expected_version``; otherwise raise :class:`ConflictError`.

    The guard is one conditional UPDATE (``… WHERE id = ? AND version = ?``), so of two concurrent
    saves from the same version exactly one wins, on SQLite and PostgreSQL alike. ``announce``: tell a
    new lead agency it was assigned the task (the edit form does; bulk appendix imports do not).
    """
    changes = dict(changes)
    coordinating = changes.pop("coordinating_agencies", None)
    with transaction.atomic():
        current = Task.all_objects.get(pk=task.pk)
        before, before_lead = snapshot(current, TASK_FIELDS), current.lead_agency_id
        guarded_update(Task, task.pk, expected_version, TASK, **changes)
        fresh = Task.all_objects.get(pk=task.pk)
        if coordinating is not None:
            fresh.coordinating_agencies.set(coordinating)
        record(request, action, fresh, before=before, after=snapshot(fresh, TASK_FIELDS))
        if announce and fresh.lead_agency_id != before_lead:
            notify.task_assigned(fresh)
    return fresh


def create_task(request, plan, data: dict, *, announce: bool = False) -> Task:
    data = dict(data)
    coordinating = data.pop("coordinating_agencies", [])
    with transaction.atomic():
        task = Task.objects.create(plan=plan, **data)
        task.coordinating_agencies.set(coordinating)
        record(request, "task_create", task, after=snapshot(task, TASK_FIELDS))
        if announce:
            notify.task_assigned(task)
    return task


# --- agency reports ------------------------------------------------------------------------------


def open_report(request, period, agency) -> AgencyReport:
    """The agency's report for the period, created as a draft with one progress row per lead task."""
    with transaction.atomic():
        report, created = AgencyReport.objects.get_or_create(period=period, agency=agency)
        if created:
            record(request, "report_create", report, after=snapshot(report, REPORT_FIELDS))
        ensure_rows(report)
    return report


def report_tasks(report: AgencyReport):
    return Task.objects.filter(plan=report.period.plan, lead_agency=report.agency).order_by("number")


def report_indicators(report: AgencyReport) -> list[str]:
    """Indicators whose data the agency provides: named on the plan's targets, else its tasks' indicators."""
    from piiplan.web.plan.datasheets import agency_indicators

    return agency_indicators(report.period.plan, report.agency)


def ensure_rows(report: AgencyReport) -> None:
    for task in report_tasks(report):
        TaskProgress.objects.get_or_create(
            report=report, task=task, defaults={"status": task.status, "percent": task.percent}
        )
    for code in report_indicators(report):
        IndicatorValue.objects.get_or_create(report=report, indicator=code)


def _guarded_report_update(report: AgencyReport, expected_version: int, **fields) -> AgencyReport:
    guarded_update(AgencyReport, report.pk, expected_version, REPORT, **fields)
    return AgencyReport.objects.get(pk=report.pk)


def save_report(request, report: AgencyReport, fields: dict, progress: dict, values: dict, expected_version: int):
    """Save a draft: report fields, ``progress`` {task_id: {status, done, percent}}, ``values``
    {code: {value, source, note}}. Only drafts and returned reports may change."""
    if not report.editable:
        raise WorkflowError("Báo cáo đã gửi hoặc đã được chấp nhận, không sửa được.")
    with transaction.atomic():
        before = _report_snapshot(report)
        report = _guarded_report_update(report, expected_version, **fields)
        for row in report.progress.all():
            if row.task_id in progress:
                for key, value in progress[row.task_id].items():
                    setattr(row, key, value)
                row.save()
        for row in report.values.all():
            if row.indicator in values:
                given = values[row.indicator]
                if row.from_template and given.get("value", row.value) != row.value:
                    row.from_template = False  # typed in the form: no longer the import's to replace
                for key, value in given.items():
                    setattr(row, key, value)
                row.save()
        record(request, "report_save", report, before=before, after=_report_snapshot(report))
    return report


def fill_values(request, report: AgencyReport, values: dict, *, note: str = "") -> AgencyReport:
    """Write ``values`` {code: {value, source, note}} into the report's indicator rows (a filled data
    template). A blank source or note keeps what was there. Only drafts and returned reports change;
    the report's version moves on, so a form opened before the upload cannot overwrite it."""
    if not report.editable:
        raise WorkflowError("Báo cáo đã gửi hoặc đã được chấp nhận, không nhập số liệu được.")
    with transaction.atomic():
        before = _report_snapshot(report)
        report = _guarded_report_update(report, report.version)
        for row in report.values.filter(indicator__in=list(values)):
            given = values[row.indicator]
            row.value = given["value"]
            # A corrected template replaces what an earlier import wrote (evidence and note included);
            # a blank cell keeps what the agency typed in the form.
            row.source = given.get("source") or ("" if row.from_template else row.source)
            row.note = given.get("note") or ("" if row.from_template else row.note)
            row.from_template = True
            row.save()
        # Values an earlier import wrote that the corrected file no longer carries are withdrawn.
        report.values.filter(from_template=True).exclude(indicator__in=list(values)).update(
            value=None, source="", note="", from_template=False)
        record(request, "report_template_import", report, before=before, after=_report_snapshot(report), note=note)
    return report


def submit_report(request, report: AgencyReport, expected_version: int) -> AgencyReport:
    if not report.editable:
        raise WorkflowError("Chỉ gửi được báo cáo đang soạn hoặc bị trả lại.")
    problems = submission_problems(report)
    if problems:
        raise WorkflowError("Chưa gửi được báo cáo: " + "; ".join(problems) + ".")
    with transaction.atomic():
        before = snapshot(report, REPORT_FIELDS)
        report = _guarded_report_update(
            report, expected_version, status=ReportStatus.SUBMITTED, submitted_at=timezone.now(),
            submitted_by=request.user,
        )
        record(request, "report_submit", report, before=before, after=snapshot(report, REPORT_FIELDS))
        notify.report_submitted(report)
    return report


def submission_problems(report: AgencyReport) -> list[str]:
    problems = []
    if not report.document_number.strip():
        problems.append("thiếu số văn bản")
    if report.document_date is None:
        problems.append("thiếu ngày văn bản")
    if not report.signer.strip():
        problems.append("thiếu người ký / cơ quan ban hành")
    missing = [str(p.task.number) for p in report.progress.select_related("task") if p.status != TaskStatus.NOT_STARTED and not p.done.strip()]
    if missing:
        problems.append("chưa ghi kết quả thực hiện của nhiệm vụ " + ", ".join(missing))
    return problems


def review_report(request, report: AgencyReport, accept: bool, comment: str, expected_version: int) -> AgencyReport:
    """DoST decision on a submitted report. Accepting locks it and copies progress onto the tasks."""
    if report.status != ReportStatus.SUBMITTED:
        raise WorkflowError("Chỉ duyệt được báo cáo đã gửi.")
    comment = comment.strip()
    if not accept and not comment:
        raise WorkflowError("Khi trả lại báo cáo phải ghi rõ ý kiến để cơ quan bổ sung, chỉnh sửa.")
    with transaction.atomic():
        before = snapshot(report, REPORT_FIELDS)
        report = _guarded_report_update(
            report, expected_version,
            status=ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED,
            review_comment=comment, reviewed_at=timezone.now(), reviewed_by=request.user,
        )
        record(request, "report_accept" if accept else "report_return", report, before=before,
               after=snapshot(report, REPORT_FIELDS), note=comment)
        if accept:
            for row in report.progress.select_related("task"):
                task = row.task
                if (task.status, task.percent) != (row.status, row.percent):
                    save_task(request, task, {"status": row.status, "percent": row.percent,
                                              "status_note": row.done[:2000]}, task.version,
                              action="task_update_from_report")
        notify.report_decided(report, "accept" if accept else "return", comment)
    return report


def reopen_report(request, report: AgencyReport, reason: str, expected_version: int) -> AgencyReport:
    """DoST staff reopen an accepted report (a mistake found after acceptance): it goes back to the
    agency as returned, with the reason, so the agency corrects and resubmits it. The tasks keep the
    progress copied at acceptance until the corrected report is accepted again."""
    if report.status != ReportStatus.ACCEPTED:
        raise WorkflowError("Chỉ mở lại được báo cáo đã được chấp nhận.")
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("Phải ghi lý do mở lại báo cáo.")
    with transaction.atomic():
        before = snapshot(report, REPORT_FIELDS)
        report = _guarded_report_update(report, expected_version, status=ReportStatus.RETURNED,
                                        review_comment=f"Mở lại: {reason}", reviewed_at=timezone.now(),
                                        reviewed_by=request.user)
        record(request, "report_reopen", report, before=before, after=snapshot(report, REPORT_FIELDS), note=reason)
        notify.report_decided(report, "reopen", reason)
    return report


def _report_snapshot(report: AgencyReport) -> dict:
    data = snapshot(report, REPORT_FIELDS)
    data["progress"] = {str(p.task_id): [p.status, p.percent, p.done] for p in report.progress.all()}
    data["values"] = {v.indicator: [v.value, v.source, v.note] for v in report.values.all()}
    return data


ACTION_LABELS = {
    "task_create": "Thêm nhiệm vụ", "task_update": "Sửa nhiệm vụ", "task_status": "Cập nhật tiến độ",
    "task_import": "Cập nhật từ phụ lục", "task_update_from_report": "Cập nhật theo báo cáo được chấp nhận",
    "delete": "Xoá", "restore": "Khôi phục", "report_create": "Lập báo cáo", "report_save": "Lưu báo cáo",
    "report_submit": "Gửi báo cáo", "report_return": "Trả lại báo cáo", "report_accept": "Chấp nhận, khoá báo cáo",
    "report_reopen": "Mở lại báo cáo đã chấp nhận",
    "report_template_import": "Nhập số liệu từ biểu mẫu Excel",
    "target_from_plan": "Đặt chỉ tiêu theo phương án đạt hạng",
    "organisation_update": "Sửa thông tin cơ quan ban hành văn bản",
    "report_section_save": "Lưu mục của báo cáo gửi UBND tỉnh", "period_freeze": "Chốt số liệu báo cáo của kỳ",
    "period_unfreeze": "Bỏ số liệu đã chốt (mở lại kỳ)",
}
EVIDENCE_LABELS = {"evidence_upload": "Tải lên minh chứng", "delete": "Xoá minh chứng", "restore": "Khôi phục minh chứng"}


def report_history(report: AgencyReport, limit: int = 30) -> list:
    """The report's audit entries and those of its evidence files (uploads, deletions), newest first."""
    from django.db.models import Q

    from piiplan.web.audit.models import AuditEntry
    from piiplan.web.plan.models import Evidence

    files = [str(pk) for pk in Evidence.all_objects.filter(report=report).values_list("pk", flat=True)]
    entries = labelled_history(AuditEntry.objects.filter(
        Q(object_type="plan.agencyreport", object_id=str(report.pk))
        | Q(object_type="plan.evidence", object_id__in=files, action__in=list(EVIDENCE_LABELS))
    ).order_by("-at", "-id")[:limit])
    for entry in entries:
        if entry.object_type == "plan.evidence":
            entry.label = EVIDENCE_LABELS[entry.action]
            entry.note = f"«{entry.object_repr}»" + (f" — {entry.note}" if entry.note else "")
    return entries


def labelled_history(entries) -> list:
    entries = list(entries)
    for entry in entries:
        entry.label = ACTION_LABELS.get(entry.action, entry.action)
    return entries


def value_text(value) -> str:
    """A reported value as typed back into the form: 6,45 (decimal comma, no thousands grouping, so that
    editing "1000" to "1000,5" never meets the "1.000" ambiguity; piiplan.numbers.parse_number reads it)."""
    if value is None:
        return ""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")

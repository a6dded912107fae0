"""Reporting periods, agency reports (draft → submitted → accepted/returned) and evidence files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from piiplan.numbers import parse_number
from piiplan.web import documents
from piiplan.web.accounts.access import access, get_object_for_user, visible_to
from piiplan.web.accounts.models import Role
from piiplan.web.audit.log import record, snapshot
from piiplan.web.plan import dashboard as dash, services
from piiplan.web.plan.forms import EvidenceForm, PeriodForm, ReportForm, ReviewForm
from piiplan.web.plan.indicators import indicator_name
from piiplan.web.plan.models import (
    AgencyReport,
    Evidence,
    STATUS_LABELS,
    Plan,
    ReportingPeriod,
    ReportStatus,
    Task,
    TaskStatus,
    computed_status,
    today,
)
from piiplan.web.plan.uploads import UploadError, check_upload

PERIOD_FIELDS = ["kind", "year", "title", "cutoff", "agency_deadline", "ubnd_deadline", "request", "agencies", "closed"]


# --- periods ------------------------------------------------------------------------------------


@require_GET
@access("member")
def periods(request):
    plan = dash.current_plan()
    rows = []
    for period in visible_to(request.user, ReportingPeriod).select_related("plan"):
        row = {"period": period}
        if request.user.role == Role.AGENCY:
            row["expected"] = period.expects(request.user.agency)
            row["report"] = AgencyReport.objects.filter(period=period, agency=request.user.agency).first()
        else:
            row["stats"] = dash.completeness(period)
        rows.append(row)
    return render(request, "plan/periods.html", {"plan": plan, "rows": rows})


@access("staff")
def period_create(request):
    plan = dash.current_plan()
    if plan is None:
        messages.error(request, "Chưa có kế hoạch nào.")
        return redirect("plan:dashboard")
    form = PeriodForm(request.POST or None, initial={"year": plan.year, "kind": "half_year"})
    if request.method == "POST" and form.is_valid():
        period = form.save(commit=False)
        period.plan = plan
        for name in ("title", "cutoff", "agency_deadline", "ubnd_deadline"):
            setattr(period, name, form.cleaned_data[name])
        period.save()
        form.save_m2m()
        record(request, "period_create", period, after=snapshot(period, PERIOD_FIELDS))
        messages.success(request, f"Đã tạo kỳ báo cáo «{period.title}».")
        return redirect("plan:period_detail", pk=period.pk)
    return render(request, "plan/period_form.html", {"form": form, "period": None})


@access("staff")
def period_edit(request, pk):
    period = get_object_for_user(request, ReportingPeriod, write=True, pk=pk)
    before = snapshot(period, PERIOD_FIELDS)
    form = PeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        period = form.save(commit=False)
        for name in ("title", "cutoff", "agency_deadline", "ubnd_deadline"):
            setattr(period, name, form.cleaned_data[name])
        period.save()
        form.save_m2m()
        record(request, "period_update", period, before=before, after=snapshot(period, PERIOD_FIELDS))
        messages.success(request, "Đã lưu kỳ báo cáo.")
        return redirect("plan:period_detail", pk=period.pk)
    return render(request, "plan/period_form.html", {"form": form, "period": period})


@require_GET
@access("staff", "leader")
def period_detail(request, pk):
    period = get_object_for_user(request, ReportingPeriod, pk=pk)
    return render(request, "plan/period_detail.html", {"period": period, "stats": dash.completeness(period)})


# --- reports ------------------------------------------------------------------------------------


@require_POST
@access("agency")
def report_open(request, pk):
    period = get_object_for_user(request, ReportingPeriod, pk=pk)
    if period.closed:
        messages.error(request, "Kỳ báo cáo đã đóng.")
        return redirect("plan:dashboard")
    if not period.expects(request.user.agency):
        raise PermissionDenied("Cơ quan của bạn không phải báo cáo trong kỳ này.")
    report = services.open_report(request, period, request.user.agency)
    return redirect("plan:report_detail", pk=report.pk)


def _report_context(request, report, form=None, evidence_form=None, review_form=None):
    progress = list(report.progress.select_related("task").order_by("task__number"))
    # One computed status everywhere (models.computed_status): as of the period's cut-off once passed,
    # and, for a past period, also as of today, as the dashboard shows it.
    on = today()
    as_of = report.period.status_date(on)
    for p in progress:
        p.status_then = computed_status(p.status, p.task.deadline, as_of)
        p.status_then_label = STATUS_LABELS[p.status_then]
        p.status_now = p.task.effective_status(on)
        p.status_now_label = STATUS_LABELS[p.status_now]
    values = list(report.values.all())
    for v in values:
        v.name = indicator_name(v.indicator, report.period.plan.framework)
        v.text = services.value_text(v.value)
    can_edit = report.editable and request.user.role == Role.AGENCY and request.user.agency_id == report.agency_id
    tasks = [p.task for p in progress]
    codes = [v.indicator for v in values]
    return {
        "report": report, "period": report.period, "progress": progress, "values": values,
        "evidence": report.evidence.select_related("task"), "can_edit": can_edit,
        "can_review": request.user.is_dost and report.status == ReportStatus.SUBMITTED,
        "statuses": TaskStatus.choices, "as_of": as_of, "today": on, "past_period": as_of < on,
        "form": form or ReportForm(initial={
            "summary": report.summary, "proposals": report.proposals, "document_number": report.document_number,
            "document_date": report.document_date, "signer": report.signer, "version": report.version}),
        "evidence_form": evidence_form or EvidenceForm(tasks=tasks, indicators=codes),
        "review_form": review_form or ReviewForm(initial={"version": report.version}),
        "history": services.report_history(report),
        "problems": services.submission_problems(report) if can_edit else [],
    }


@require_GET
@access("member")
def report_detail(request, pk):
    report = get_object_for_user(request, AgencyReport.objects.select_related("period__plan", "agency"), pk=pk)
    return render(request, "plan/report_detail.html", _report_context(request, report))


def _read_rows(request, report):
    """Progress and indicator rows from the POST body; returns (progress, values, errors)."""
    progress, values, errors = {}, {}, []
    valid_status = {code for code, _ in TaskStatus.choices}
    for row in report.progress.select_related("task"):
        prefix = f"p{row.task_id}"
        status = request.POST.get(f"{prefix}-status", row.status)
        percent_text = request.POST.get(f"{prefix}-percent", str(row.percent)).strip() or "0"
        if status not in valid_status:
            errors.append(f"Nhiệm vụ {row.task.number}: trạng thái không hợp lệ.")
            continue
        try:
            percent = int(percent_text)
            if not 0 <= percent <= 100:
                raise ValueError
        except ValueError:
            errors.append(f"Nhiệm vụ {row.task.number}: tiến độ «{percent_text}» phải là số nguyên từ 0 đến 100.")
            continue
        progress[row.task_id] = {"status": status, "percent": percent,
                                 "done": request.POST.get(f"{prefix}-done", row.done).strip()}
    for row in report.values.all():
        prefix = f"v{row.indicator}"
        text = request.POST.get(f"{prefix}-value", "" if row.value is None else str(row.value)).strip()
        value = None
        if text:
            try:
                value = parse_number(text)  # vi-VN input: "1.234,5" or "1234,5"; a plain "12.5" is a decimal
            except ValueError:
                errors.append(f"Chỉ số {row.indicator}: giá trị «{text}» không phải là số.")
                continue
        values[row.indicator] = {"value": value, "source": request.POST.get(f"{prefix}-source", row.source).strip()[:300],
                                 "note": request.POST.get(f"{prefix}-note", row.note).strip()[:500]}
    return progress, values, errors


@require_POST
@access("agency")
def report_save(request, pk):
    report = get_object_for_user(request, AgencyReport, write=True, pk=pk)
    form = ReportForm(request.POST)
    progress, values, errors = _read_rows(request, report)
    if not form.is_valid() or errors:
        for error in errors:
            messages.error(request, error)
        return render(request, "plan/report_detail.html", _report_context(request, report, form=form), status=400)
    fields = {k: form.cleaned_data[k] for k in ("summary", "proposals", "document_number", "document_date", "signer")}
    try:
        report = services.save_report(request, report, fields, progress, values, form.cleaned_data["version"])
    except (services.ConflictError, services.WorkflowError) as exc:
        messages.error(request, str(exc))
        return redirect("plan:report_detail", pk=report.pk)
    if request.POST.get("submit"):
        try:
            services.submit_report(request, report, report.version)
        except (services.ConflictError, services.WorkflowError) as exc:
            messages.error(request, str(exc))
            return redirect("plan:report_detail", pk=report.pk)
        messages.success(request, "Đã gửi báo cáo cho Sở Khoa học và Công nghệ.")
    else:
        messages.success(request, "Đã lưu bản nháp báo cáo.")
    return redirect("plan:report_detail", pk=report.pk)


@require_POST
@access("agency")
def report_submit(request, pk):
    report = get_object_for_user(request, AgencyReport, write=True, pk=pk)
    try:
        services.submit_report(request, report, int(request.POST.get("version") or 0))
    except (services.ConflictError, services.WorkflowError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Đã gửi báo cáo cho Sở Khoa học và Công nghệ.")
    return redirect("plan:report_detail", pk=report.pk)


@require_POST
@access("staff")
def report_review(request, pk):
    report = get_object_for_user(request, AgencyReport, write=True, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Chọn chấp nhận hoặc trả lại.")
        return redirect("plan:report_detail", pk=report.pk)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.review_report(request, report, accept, form.cleaned_data["comment"], form.cleaned_data["version"])
    except (services.ConflictError, services.WorkflowError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Đã chấp nhận và khoá báo cáo." if accept else "Đã trả lại báo cáo kèm ý kiến.")
    return redirect("plan:report_detail", pk=report.pk)


# --- evidence -----------------------------------------------------------------------------------

EVIDENCE_FIELDS = services.EVIDENCE_FIELDS


@require_POST
@access("agency")
def evidence_upload(request, pk):
    report = get_object_for_user(request, AgencyReport, write=True, pk=pk)
    tasks = [p.task for p in report.progress.select_related("task")]
    codes = [v.indicator for v in report.values.all()]
    form = EvidenceForm(request.POST, request.FILES, tasks=tasks, indicators=codes)
    if not report.editable:
        messages.error(request, "Báo cáo đã gửi hoặc đã được chấp nhận, không thêm minh chứng được.")
        return redirect("plan:report_detail", pk=report.pk)
    if not form.is_valid():
        return render(request, "plan/report_detail.html", _report_context(request, report, evidence_form=form), status=400)
    upload = form.cleaned_data["file"]
    try:
        checked = check_upload(upload)
    except UploadError as exc:
        form.add_error("file", str(exc))
        return render(request, "plan/report_detail.html", _report_context(request, report, evidence_form=form), status=400)
    task_id = form.cleaned_data["task"]
    evidence = Evidence(
        report=report, task=Task.objects.filter(pk=int(task_id)).first() if task_id else None,
        indicator=form.cleaned_data["indicator"] or "", original_name=checked.display_name,
        content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
        document_number=form.cleaned_data["document_number"], document_date=form.cleaned_data["document_date"],
        issuer=form.cleaned_data["issuer"], description=form.cleaned_data["description"], uploaded_by=request.user,
    )
    evidence.file.save(checked.display_name, upload, save=False)
    evidence.save()
    record(request, "evidence_upload", evidence, after=snapshot(evidence, EVIDENCE_FIELDS))
    messages.success(request, f"Đã tải lên «{checked.display_name}».")
    return redirect("plan:report_detail", pk=report.pk)


@require_GET
@access("member")
def evidence_download(request, pk):
    evidence = get_object_for_user(request, Evidence, pk=pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("Không tìm thấy tệp.") from None
    record(request, "evidence_download", evidence)
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type)


@require_POST
@access("agency")
def evidence_delete(request, pk):
    evidence = get_object_for_user(request, Evidence, write=True, pk=pk)
    if not evidence.report.editable:
        messages.error(request, "Báo cáo đã gửi hoặc đã được chấp nhận, không xoá minh chứng được.")
    else:
        evidence.soft_delete(request)
        messages.success(request, f"Đã xoá «{evidence.original_name}».")
    return redirect("plan:report_detail", pk=evidence.report_id)


# --- documents (piiplan.reports, through web.documents) -----------------------------------------


def _period_report_file(request, period) -> tuple[bytes, str]:
    from piiplan.reports import write_half_year_report
    from piiplan.web.plan.outputs import half_year_report

    name = f"bao-cao-pii-{period.year}-{period.pk}.docx"
    return documents.written(write_half_year_report, half_year_report(period), name), name


@require_GET
@access("staff", "leader")
def period_report(request, pk):
    """The DoST's report to the UBND for the period (DOCX in the Decree 30 format), from the plan's records."""
    period = get_object_for_user(request, ReportingPeriod, pk=pk)
    body, name = _period_report_file(request, period)
    record(request, "period_report", period)
    return documents.download(body, name)


@require_GET
@access("staff", "leader")
def period_report_pdf(request, pk):
    """The PDF copy of the period's report (LibreOffice), for reading and sending before the signed copy."""
    from piiplan.reports import ReportError

    period = get_object_for_user(request, ReportingPeriod, pk=pk)
    body, name = _period_report_file(request, period)
    try:
        pdf = documents.pdf_of(body, name)
    except ReportError as exc:
        return documents.failed(request, exc, back=reverse("plan:period_detail", kwargs={"pk": period.pk}))
    record(request, "period_report", period, note="PDF")
    return documents.download(pdf, name.replace(".docx", ".pdf"))


@require_GET
@access("staff")
def reminder_letter(request, pk, agency):
    """A reminder letter (công văn đôn đốc) to one agency about its overdue report and tasks, as of today.
    ``?han=dd/mm/yyyy`` sets the reply deadline (a future date); by default 5 working days from today."""
    from datetime import datetime

    from piiplan.reports import write_reminder_letter
    from piiplan.web.accounts.models import Agency
    from piiplan.web.plan.outputs import reminder_letter as build

    period = get_object_for_user(request, ReportingPeriod, pk=pk)
    target = get_object_for_user(request, Agency.all_objects.all(), pk=agency)
    reply_by = None
    if request.GET.get("han"):
        try:
            reply_by = datetime.strptime(request.GET["han"].strip(), "%d/%m/%Y").date()
        except ValueError:
            messages.error(request, "Hạn trả lời không hợp lệ; ghi theo dạng dd/mm/yyyy, ví dụ 04/12/2026.")
            return redirect("plan:period_detail", pk=period.pk)
        if reply_by <= today():
            messages.error(request, "Hạn trả lời phải sau ngày hôm nay.")
            return redirect("plan:period_detail", pk=period.pk)
    record(request, "reminder_letter", period, note=target.name)
    name = f"cong-van-don-doc-{documents.slug(target.code)}.docx"
    letter = build(period.plan, target, period, reply_by=reply_by)
    return documents.download(documents.written(write_reminder_letter, letter, name), name)

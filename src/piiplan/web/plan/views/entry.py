"""The agency's report page: fill in (with autosave), attach evidence without leaving the page, submit.

Nothing typed is lost (issue 12.1):

* ``report_save`` answers the page's autosave (``fetch``, ``Accept: application/json``) with the new
  version, or 409 and the Vietnamese conflict message when the report changed elsewhere — the version
  check of every save applies to autosaves too;
* the evidence fields are part of the report form: with JavaScript they are sent alone to
  ``evidence_upload`` and the list is updated in place; without it, "Tải lên minh chứng" posts the
  whole form to ``report_save``, which saves the draft and then attaches the file;
* static/plan/report.js asks before leaving the page with unsaved changes.
"""

from __future__ import annotations

import math

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from piiplan.analysis import plausibility
from piiplan.numbers import parse_number
from piiplan.web.accounts.access import access, get_object_for_user
from piiplan.web.accounts.models import Role
from piiplan.web.audit.log import record, snapshot
from piiplan.web.plan import datasheets, services
from piiplan.web.plan.forms import EvidenceForm, ReopenForm, ReportForm, ReviewForm
from piiplan.web.plan.indicators import indicator_name
from piiplan.web.plan.models import (
    STATUS_LABELS,
    AgencyReport,
    Evidence,
    ReportingPeriod,
    ReportStatus,
    Task,
    TaskStatus,
    computed_status,
    today,
)
from piiplan.web.plan.uploads import UploadError, check_upload

EVIDENCE_PREFIX = "ev"
VALUE_LIMIT = 1e15


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def significant_decimals(value, significant: int = 4) -> int:
    """How many decimals the ``|so`` filter (piiplan.numbers) gets so that ``value`` shows about
    ``significant`` significant digits beside the input (7,521 → 3; 0,0182 → 4; 658 → 0): the context of
    an entry keeps the digits the value has, instead of a fixed 2 decimals."""
    if value is None or not math.isfinite(value) or value == 0:
        return 0
    magnitude = math.floor(math.log10(abs(value)))
    return max(0, min(6, significant - 1 - magnitude))


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


def _check_values(values, context: dict) -> None:
    """Plausibility findings beside each value (analysis.plausibility, the rule of the template import)."""
    change = datasheets.plausible_change()
    for v in values:
        ctx = context.get(v.indicator, {})
        found = plausibility.check(v.value, unit=ctx.get("unit", ""), previous=ctx.get("last"), max_change=change,
                                   fmt=services.value_text)
        v.errors, v.warnings = plausibility.errors(found), plausibility.warnings(found)


def _evidence_form(report, data=None, files=None):
    tasks = [p.task for p in report.progress.select_related("task")]
    codes = [v.indicator for v in report.values.all()]
    # Inside the report form: no HTML "required", or "Lưu nháp" would ask for a file.
    return EvidenceForm(data, files, tasks=tasks, indicators=codes, prefix=EVIDENCE_PREFIX,
                        use_required_attribute=False)


def report_context(request, report, form=None, evidence_form=None, review_form=None, posted=None,
                   reopen_form=None) -> dict:
    """The report page. ``posted``: a refused save's POST body, whose rows are shown as typed (a form never
    loses what someone typed, even when the save is refused)."""
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
    context = datasheets.entry_context(report.period.plan, [v.indicator for v in values])
    for v in values:
        v.name = indicator_name(v.indicator, report.period.plan.framework)
        v.text = services.value_text(v.value)
        v.decimals = significant_decimals(v.value)
        v.ctx = context.get(v.indicator, {})
        v.ctx_decimals = significant_decimals(v.ctx.get("last") or v.ctx.get("average"))
    _check_values(values, context)
    if posted is not None:
        _show_posted(posted, progress, values)
    can_edit = report.editable and request.user.role == Role.AGENCY and request.user.agency_id == report.agency_id
    return {
        "report": report, "period": report.period, "progress": progress, "values": values,
        "evidence": report.evidence.select_related("task"), "can_edit": can_edit,
        "can_review": request.user.is_dost and report.status == ReportStatus.SUBMITTED,
        "can_reopen": request.user.is_dost and report.status == ReportStatus.ACCEPTED,
        "statuses": TaskStatus.choices, "as_of": as_of, "today": on, "past_period": as_of < on,
        "form": form or ReportForm(initial={
            "summary": report.summary, "proposals": report.proposals, "document_number": report.document_number,
            "document_date": report.document_date, "signer": report.signer, "version": report.version}),
        "evidence_form": evidence_form or _evidence_form(report),
        "review_form": review_form or ReviewForm(initial={"version": report.version}),
        "reopen_form": reopen_form or ReopenForm(initial={"version": report.version}),
        "history": services.report_history(report),
        "problems": submission_problems(report, values) if can_edit else [],
        "data_year": next((c.get("year") for c in context.values() if c.get("year")), None),
    }


def _show_posted(posted, progress, values) -> None:
    """Put what the refused POST carried into the rows shown (display only: nothing is saved)."""
    for p in progress:
        prefix = f"p{p.task_id}"
        p.status = posted.get(f"{prefix}-status", p.status)
        p.done = posted.get(f"{prefix}-done", p.done)
        p.percent = posted.get(f"{prefix}-percent", p.percent)
    for v in values:
        prefix = f"v{v.indicator}"
        v.text = posted.get(f"{prefix}-value", v.text)
        v.source = posted.get(f"{prefix}-source", v.source)
        v.note = posted.get(f"{prefix}-note", v.note)


def submission_problems(report, values=None) -> list[str]:
    """What blocks submission: the workflow's checks plus values their unit rules out."""
    problems = services.submission_problems(report)
    if values is None:
        values = list(report.values.all())
        _check_values(values, datasheets.entry_context(report.period.plan, [v.indicator for v in values]))
    bad = [v.indicator for v in values if v.errors]
    if bad:
        problems.append("sửa giá trị không hợp lý của chỉ số " + ", ".join(bad))
    return problems


@require_GET
@access("member")
def report_detail(request, pk):
    report = get_object_for_user(request, AgencyReport.objects.select_related("period__plan", "agency"), pk=pk)
    return render(request, "plan/report_detail.html", report_context(request, report))


def read_rows(request, report):
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
            errors.append(f"Nhiệm vụ {row.task.number}: tiến độ «{percent_text[:20]}» phải là số nguyên từ 0 đến 100.")
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
                if abs(value) > VALUE_LIMIT:
                    raise ValueError
            except ValueError:
                errors.append(f"Chỉ số {row.indicator}: giá trị «{text[:30]}» không phải là số hợp lệ.")
                continue
        values[row.indicator] = {"value": value, "source": request.POST.get(f"{prefix}-source", row.source).strip()[:300],
                                 "note": request.POST.get(f"{prefix}-note", row.note).strip()[:500]}
    return progress, values, errors


def _form_errors(form) -> list[str]:
    return [f"{form.fields[name].label if name in form.fields else ''}: {e}".lstrip(": ")
            for name, errs in form.errors.items() for e in errs]


@require_POST
@access("agency")
def report_save(request, pk):
    """Save the draft (button, or the page's autosave); then, as the buttons ask: attach the evidence file
    given with it, delete an evidence file, or submit."""
    report = get_object_for_user(request, AgencyReport, write=True, pk=pk)
    as_json = wants_json(request)
    form = ReportForm(request.POST)
    progress, values, errors = read_rows(request, report)
    if not form.is_valid() or errors:
        if as_json:
            return JsonResponse({"ok": False, "errors": errors + _form_errors(form)}, status=400)
        for error in errors:
            messages.error(request, error)
        return render(request, "plan/report_detail.html",
                      report_context(request, report, form=form, posted=request.POST), status=400)
    fields = {k: form.cleaned_data[k] for k in ("summary", "proposals", "document_number", "document_date", "signer")}
    try:
        report = services.save_report(request, report, fields, progress, values, form.cleaned_data["version"])
    except (services.ConflictError, services.WorkflowError) as exc:
        if as_json:
            return JsonResponse({"ok": False, "conflict": isinstance(exc, services.ConflictError),
                                 "errors": [str(exc)]}, status=409)
        messages.error(request, str(exc))
        # Shown again as typed, with the report's current version: saving again is a deliberate overwrite
        # after reading the message; reloading the page shows the other person's values.
        fresh = AgencyReport.objects.get(pk=report.pk)
        data = request.POST.copy()
        data["version"] = str(fresh.version)
        return render(request, "plan/report_detail.html",
                      report_context(request, fresh, form=ReportForm(data), posted=request.POST), status=409)
    if as_json:
        saved = list(report.values.all())
        _check_values(saved, datasheets.entry_context(report.period.plan, [v.indicator for v in saved]))
        return JsonResponse({"ok": True, "version": report.version,
                             "saved_at": timezone.localtime(report.updated_at).strftime("%H:%M:%S"),
                             "findings": {v.indicator: {"errors": v.errors, "warnings": v.warnings} for v in saved},
                             "problems": submission_problems(report, saved)})
    if request.FILES.get(f"{EVIDENCE_PREFIX}-file") or request.POST.get("attach"):
        evidence_form = _evidence_form(report, request.POST, request.FILES)
        evidence, problem = attach(request, report, evidence_form)
        if evidence is None:
            messages.success(request, "Đã lưu bản nháp báo cáo; chưa tải lên được minh chứng.")
            return render(request, "plan/report_detail.html",
                          report_context(request, report, evidence_form=evidence_form), status=400)
        messages.success(request, f"Đã lưu bản nháp và tải lên «{evidence.original_name}».")
        return redirect(f"{report_url(report)}#evidence")
    if request.POST.get("delete_evidence"):
        evidence = Evidence.objects.filter(report=report, pk=_int(request.POST["delete_evidence"])).first()
        if evidence is None:
            messages.error(request, "Không tìm thấy tệp minh chứng cần xoá.")
        else:
            evidence.soft_delete(request)
            messages.success(request, f"Đã lưu bản nháp và xoá «{evidence.original_name}».")
        return redirect(f"{report_url(report)}#evidence")
    if request.POST.get("submit"):
        return _submit(request, report)
    messages.success(request, "Đã lưu bản nháp báo cáo.")
    return redirect("plan:report_detail", pk=report.pk)


def _int(text) -> int:
    try:
        return int(str(text))
    except ValueError:
        return 0


def report_url(report) -> str:
    from django.urls import reverse

    return reverse("plan:report_detail", kwargs={"pk": report.pk})


def _submit(request, report):
    bad = [p for p in submission_problems(report) if p.startswith("sửa giá trị")]
    try:
        if bad:
            raise services.WorkflowError("Chưa gửi được báo cáo: " + "; ".join(bad) + ".")
        services.submit_report(request, report, report.version)
    except (services.ConflictError, services.WorkflowError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Đã gửi báo cáo cho Sở Khoa học và Công nghệ.")
    return redirect("plan:report_detail", pk=report.pk)


@require_POST
@access("agency")
def report_submit(request, pk):
    report = get_object_for_user(request, AgencyReport, write=True, pk=pk)
    if str(report.version) != str(request.POST.get("version", "")).strip():
        messages.error(request, str(services.conflict(AgencyReport, report.pk, services.REPORT)))
        return redirect("plan:report_detail", pk=report.pk)
    return _submit(request, report)


# --- evidence -----------------------------------------------------------------------------------


def attach(request, report, form) -> tuple[Evidence | None, list[str]]:
    """Store the evidence file of ``form`` on ``report``; (evidence, []) or (None, Vietnamese errors)."""
    if not report.editable:
        return None, ["Báo cáo đã gửi hoặc đã được chấp nhận, không thêm minh chứng được."]
    if not form.is_valid():
        return None, _form_errors(form)
    upload = form.cleaned_data["file"]
    try:
        checked = check_upload(upload)
    except UploadError as exc:
        form.add_error("file", str(exc))
        return None, [str(exc)]
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
    record(request, "evidence_upload", evidence, after=snapshot(evidence, services.EVIDENCE_FIELDS))
    return evidence, []


def _evidence_list(request, report) -> str:
    return render_to_string("plan/_evidence_rows.html", report_context(request, report), request=request)


@require_POST
@access("agency")
def evidence_upload(request, pk):
    """Attach one file. With ``Accept: application/json`` (the page's script): the new list as HTML, and
    nothing else on the page changes; otherwise back to the report."""
    report = get_object_for_user(request, AgencyReport, write=True, pk=pk)
    form = _evidence_form(report, request.POST, request.FILES)
    evidence, problems = attach(request, report, form)
    if wants_json(request):
        if evidence is None:
            return JsonResponse({"ok": False, "errors": problems}, status=400)
        return JsonResponse({"ok": True, "message": f"Đã tải lên «{evidence.original_name}».",
                             "html": _evidence_list(request, report)})
    if evidence is None:
        if not report.editable:
            messages.error(request, problems[0])
            return redirect("plan:report_detail", pk=report.pk)
        return render(request, "plan/report_detail.html", report_context(request, report, evidence_form=form), status=400)
    messages.success(request, f"Đã tải lên «{evidence.original_name}».")
    return redirect(f"{report_url(report)}#evidence")


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
    report = evidence.report
    if not report.editable:
        message, ok = "Báo cáo đã gửi hoặc đã được chấp nhận, không xoá minh chứng được.", False
    else:
        evidence.soft_delete(request)
        message, ok = f"Đã xoá «{evidence.original_name}».", True
    if wants_json(request):
        return JsonResponse({"ok": ok, "message": message, "errors": [] if ok else [message],
                             "html": _evidence_list(request, report)}, status=200 if ok else 400)
    (messages.success if ok else messages.error)(request, message)
    return redirect(f"{report_url(report)}#evidence")

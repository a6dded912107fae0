"""Dashboard, the plan and its targets, its expected effect on the rank, the appendix import/export."""

from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from piiplan.web.accounts.access import access, get_object_for_user, user_role
from piiplan.web.accounts.models import Agency, Role
from piiplan.web.audit.log import record, snapshot
from piiplan import upload_limits
from piiplan.web import versioning
from piiplan.web.plan import appendix_sync, dashboard as dash, effect as fx
from piiplan.web.plan.appendix import AppendixError, read_appendix, write_appendix
from piiplan.web.plan.forms import AppendixUploadForm, PlanForm, TargetForm
from piiplan.web.plan.indicators import indicator_codes, indicator_name
from piiplan.web.plan.models import Goal, IndicatorTarget, Plan, today

PLAN_FIELDS = ["title", "number", "issued_on", "year", "base_year", "base_rank", "rank_gain", "base_score",
               "score_above_base", "note"]
IMPORT_SALT = "piiplan.plan.appendix"


@require_GET
@access("member")
def dashboard(request):
    plan = dash.current_plan()
    role = user_role(request.user)
    if role == Role.AGENCY:
        return render(request, "plan/dashboard_agency.html", dash.agency_view(request.user, plan))
    analysis = fx.analysis(plan.province, plan.base_year) if plan else None
    context = dash.dost_view(plan, analysis=analysis)
    return render(request, "plan/dashboard.html", context)


@require_GET
@access("member")
def plan_detail(request, pk):
    plan = get_object_for_user(request, Plan, pk=pk)
    targets = {t.indicator: t for t in plan.targets.select_related("data_agency")}
    rows = [{"code": c, "name": indicator_name(c, plan.framework), "target": targets.get(c)}
            for c in indicator_codes(plan.framework)]
    return render(request, "plan/plan_detail.html", {"plan": plan, "rows": rows})


@access("staff")
def plan_edit(request, pk):
    plan = get_object_for_user(request, Plan, write=True, pk=pk)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        before = snapshot(Plan.objects.get(pk=plan.pk), PLAN_FIELDS)
        try:
            with transaction.atomic():
                versioning.claim(plan, form.cleaned_data["version"], "Kế hoạch")
                plan = form.save()
                record(request, "plan_update", plan, before=before, after=snapshot(plan, PLAN_FIELDS))
        except versioning.ConflictError as exc:
            messages.error(request, str(exc))
            # as typed, with the current version: saving again is a deliberate overwrite after the message
            plan = Plan.objects.get(pk=plan.pk)
            data = request.POST.copy()
            data["version"] = str(plan.version)
            return render(request, "plan/plan_edit.html", {"plan": plan, "form": PlanForm(data, instance=plan)},
                          status=409)
        messages.success(request, "Đã lưu mục tiêu của kế hoạch.")
        return redirect("plan:plan_detail", pk=plan.pk)
    return render(request, "plan/plan_edit.html", {"plan": plan, "form": form},
                  status=400 if request.method == "POST" else 200)


@access("staff")
def targets(request, pk):
    """Per-indicator targets: one small form per indicator, all saved together. DoST staff only: the
    read-only roles see the targets on the plan page (``plan_detail``), not an editor."""
    plan = get_object_for_user(request, Plan, write=request.method == "POST", pk=pk)
    can_edit = request.user.is_dost
    existing = {t.indicator: t for t in plan.targets.all()}
    forms_by_code = {}
    for code in indicator_codes(plan.framework):
        target = existing.get(code)
        initial = {"goal": target.goal, "target_value": target.target_value, "mark": target.mark,
                   "data_agency": target.data_agency_id, "version": target.version} if target else {"version": 0}
        form = TargetForm(request.POST or None, prefix=f"t{code}", initial=initial)
        if not can_edit:  # read-only roles see the targets, never an enabled input
            for field in form.fields.values():
                field.disabled = True
        forms_by_code[code] = form
    status = 200
    if request.method == "POST":
        if all(f.is_valid() for f in forms_by_code.values()):
            try:
                changed = _save_targets(request, plan, existing, forms_by_code)
            except versioning.ConflictError as exc:
                messages.error(request, str(exc))
                status = 409
                # as typed, each row with its target's current version: saving again (after reading the
                # message) is a deliberate overwrite, and nothing typed is lost to a reload
                current = dict(plan.targets.values_list("indicator", "version"))
                data = request.POST.copy()
                for code in forms_by_code:
                    data[f"t{code}-version"] = str(current.get(code, 0))
                forms_by_code = {code: TargetForm(data, prefix=f"t{code}") for code in forms_by_code}
            else:
                messages.success(request, f"Đã lưu chỉ tiêu ({changed} chỉ số thay đổi).")
                return redirect("plan:targets", pk=plan.pk)
        else:
            messages.error(request, "Có chỉ tiêu chưa hợp lệ; xem các dòng được đánh dấu.")
            status = 400
    rows = [{"code": c, "name": indicator_name(c, plan.framework), "form": f} for c, f in forms_by_code.items()]
    return render(request, "plan/targets.html", {"plan": plan, "rows": rows, "can_edit": can_edit}, status=status)


def _save_targets(request, plan, existing, forms_by_code) -> int:
    """Save every changed target in one transaction; a target changed by someone else since the page
    was opened (or created meanwhile) refuses the whole save (piiplan.web.versioning)."""
    changed = 0
    with transaction.atomic():
        for code, form in forms_by_code.items():
            data = form.cleaned_data
            values = {"goal": data["goal"], "target_value": data["target_value"], "mark": data["mark"] or "",
                      "data_agency": data["data_agency"]}
            target = existing.get(code)
            sent_version = data.get("version") or 0
            if target and all(getattr(target, k) == v for k, v in values.items()):
                continue
            if target is None and values == {"goal": Goal.IMPROVE, "target_value": None, "mark": "", "data_agency": None}:
                continue  # nothing set for this indicator: no empty row
            what = f"Chỉ tiêu của chỉ số {code}"
            if target is None:
                if sent_version or IndicatorTarget.objects.filter(plan=plan, indicator=code).exists():
                    raise versioning.ConflictError(versioning.MESSAGE.format(what=what, who="người khác",
                                                                           when="vừa rồi"))
                target = IndicatorTarget.objects.create(plan=plan, indicator=code, **values)
                record(request, "target_update", target, after=snapshot(target))
            else:
                before = snapshot(target)
                versioning.claim(target, sent_version, what)
                for key, value in values.items():
                    setattr(target, key, value)
                target.save()
                record(request, "target_update", target, before=before, after=snapshot(target))
            changed += 1
    return changed


@require_GET
@access("staff", "leader")
def effect(request, pk):
    """The realistic plan (the same background job as the target page) beside the agencies' reported values."""
    plan = get_object_for_user(request, Plan, pk=pk)
    current = fx.analysis(plan.province, plan.base_year)
    job, error = fx.realistic_job(request.user, plan)
    reported = fx.reported_values(plan)
    result = job.result if job is not None else None
    owners = fx.owners(plan, result)
    return render(request, "plan/effect.html", {
        "plan": plan, "current": current, "job": job, "r": result, "error": error, "owners": owners,
        "state": fx.job_state(job), "rows": fx.effect_rows(plan, result, reported, current), "can_write": False,
    })


@require_GET
@access("staff", "leader")
def appendix_export(request, pk):
    plan = get_object_for_user(request, Plan, pk=pk)
    data = write_appendix(appendix_sync.plan_rows(plan), title="Nhiệm vụ, giải pháp cải thiện và nâng cao Chỉ số PII",
                          subtitle=f"(Kèm theo {plan.title})", sample=plan.is_sample, framework=plan.framework)
    record(request, "appendix_export", plan)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="phu-luc-ke-hoach-{plan.year}.xlsx"'
    return response


@access("staff")
def appendix_import(request, pk):
    """Step 1 (file): parse and show a preview with every error; step 2 (token): apply atomically."""
    plan = get_object_for_user(request, Plan, write=True, pk=pk)
    form = AppendixUploadForm(request.POST or None, request.FILES or None)
    context = {"plan": plan, "form": form}
    if request.method == "POST" and request.POST.get("token"):
        try:
            payload = signing.loads(request.POST["token"], salt=IMPORT_SALT, max_age=3600)
        except signing.BadSignature:
            messages.error(request, "Bản xem trước đã hết hạn hoặc không hợp lệ; vui lòng tải tệp lên lại.")
            return redirect("plan:appendix_import", pk=plan.pk)
        if payload.get("plan") != plan.pk:
            messages.error(request, "Bản xem trước không thuộc kế hoạch này.")
            return redirect("plan:appendix_import", pk=plan.pk)
        rows = [_row_from_json(item) for item in payload["rows"]]
        resolved, errors, _ = appendix_sync.resolve(rows)
        if errors:
            context["errors"] = errors
        else:
            summary = appendix_sync.apply(request, plan, resolved)
            messages.success(request, f"Đã nhập phụ lục: thêm {summary.created}, cập nhật {summary.updated}, "
                                      f"giữ nguyên {summary.unchanged}, xoá {summary.removed} nhiệm vụ."
                                      + (f" Bỏ qua {summary.conflicts} dòng xung đột (nhiệm vụ đã được sửa trên "
                                         "hệ thống sau khi xuất tệp)." if summary.conflicts else ""))
            return redirect("plan:tasks", pk=plan.pk)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_appendix(upload, plan.framework)
        except AppendixError as exc:
            context["errors"] = exc.problems
        else:
            resolved, errors, warnings = appendix_sync.resolve(rows)
            context.update(errors=errors, warnings=warnings, rows=resolved, diff=appendix_sync.diff(plan, resolved))
            if not errors:
                context["token"] = signing.dumps({"plan": plan.pk, "rows": [_row_to_json(r) for r in rows]},
                                                 salt=IMPORT_SALT, compress=True)
    # A refused file or form is a 400 (the page lists the problems); at most MAX_PROBLEMS are listed.
    bad = request.method == "POST" and (context.get("errors") or (not request.POST.get("token") and form.errors))
    if context.get("errors"):
        context["n_errors"] = len(context["errors"])
        context["errors"] = upload_limits.cap(list(context["errors"]))
    return render(request, "plan/appendix_import.html", context, status=400 if bad else 200)


def _row_to_json(row) -> dict:
    data = dict(row.__dict__)
    data["deadline"] = row.deadline.isoformat() if row.deadline else None
    return data


def _row_from_json(data):
    from datetime import date

    from piiplan.web.plan.appendix import AppendixRow

    data = dict(data)
    data["deadline"] = date.fromisoformat(data["deadline"]) if data["deadline"] else None
    return AppendixRow(**data)

"""Pages of the realistic target plans (issue 10): the target form and its background job, marginal gains,
the projection, and the lever model with the data calendar (staff edit, CSV in and out, audited).

No page computes a plan during the request: the target form starts a job (:mod:`.jobs`) and the job page
polls :func:`job_status`. Gains and projections are single recomputations (well under a second)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from piiplan.web.accounts.access import access, allows
from piiplan.web.audit.log import record, snapshot
from piiplan.web.indexdata import jobs, service
from piiplan.web.indexdata.plan_forms import EditionForm, LeverRowForm, LeverUploadForm, RealisticTargetForm
from piiplan.web.indexdata.plan_models import AnalysisJob, EditionSetting, LeverSetting


def _common() -> dict:
    return {"synthetic": service.is_synthetic(), "synthetic_label": service.synthetic_label()}


def _unit_param(request, units) -> str:
    unit = request.GET.get("tinh") or service.home_unit()
    return unit if unit in units else units[0]


@access("staff")
def target(request):
    """The form (GET) and the start of a background job (POST → the job's page)."""
    framework, dataset = service.current_framework(), service.current_dataset()
    units = list(dataset.units.index)
    home = service.home_unit() if service.home_unit() in units else units[0]
    res = service.results()
    current = res.ranks[framework.root]
    initial = {"unit": home, "target_rank": max(1, int(current.get(home, len(units))) - 4)}
    form = RealisticTargetForm(request.POST or None, units=units, framework=framework, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            job = jobs.start_target_job(request.user, d["unit"], d["target_rank"], d["params"])
            record(request, "optimise", job, note=f"{d['unit']}: hạng mục tiêu {d['target_rank']}")
            return redirect("indexdata:target_job", pk=job.pk)
        return render(request, "indexdata/target.html", {"form": form, **_common()}, status=400)
    recent = AnalysisJob.objects.filter(kind="target").select_related("owner")[:10]
    return render(request, "indexdata/target.html", {"form": form, "recent": recent, **_common()})


def _job(request, pk) -> AnalysisJob:
    job = AnalysisJob.objects.filter(pk=pk).first()
    if job is None:
        raise Http404("Không có tác vụ này.")
    return job


@require_GET
@access("staff", "leader")
def target_job(request, pk):
    job = _job(request, pk)
    plans = []
    if allows(request.user, "staff") and job.result and job.result.get("feasible"):
        from piiplan.web.plan.models import Plan

        plans = list(Plan.objects.filter(province=job.params.get("unit")).order_by("-year")[:10])
    owners = _owners(job)
    return render(request, "indexdata/target_job.html", {
        "job": job, "state": jobs.status(job), "r": job.result, "owners": owners, "plans": plans,
        "can_write": allows(request.user, "staff"), **_common()})


def _owners(job) -> dict:
    """Tasks and agencies of the province's latest plan for every indicator of the job's plan."""
    if not job.result:
        return {}
    from piiplan.web.plan.models import Plan
    from piiplan.web.plan.owners import owners_by_indicator

    plan = Plan.objects.filter(province=job.params.get("unit")).order_by("-year").first()
    codes = [r["code"] for r in job.result.get("plan", [])]
    return owners_by_indicator(plan, codes) if plan is not None else {}


@require_GET
@access("staff", "leader")
def job_status(request, pk):
    """The job's progress; once done, ``result`` is the same JSON as ``piiplan target --json``."""
    job = _job(request, pk)
    out = jobs.status(job)
    if job.status == "done":
        out["result"] = job.result
    return JsonResponse(out, json_dumps_params={"ensure_ascii": False})


@require_GET
@access("staff", "leader")
def gains(request):
    from piiplan.analysis.gains_effort import effort_gains
    from piiplan.analysis.reach import reach_model

    framework, dataset = service.current_framework(), service.current_dataset()
    units = list(dataset.units.index)
    unit = _unit_param(request, units)
    inputs = service.index_inputs()
    base = service.results()
    model = reach_model(framework, dataset, inputs.year, levers=jobs.current_levers(framework))
    table = effort_gains(inputs, unit, model, base)
    rows = [{"code": c, **r.to_dict(), "unit_label": framework.nodes.at[c, "unit"]} for c, r in table.iterrows()]
    return render(request, "indexdata/gains.html", {
        "unit": unit, "units": units, "rows": rows, "year": inputs.year,
        "score": float(base.aggregated.at[unit, framework.root]), "rank": float(base.ranks.at[unit, framework.root]),
        **_common()})


@require_GET
@access("staff", "leader")
def projection(request):
    from piiplan.analysis.projection import project, trend_years

    framework, dataset = service.current_framework(), service.current_dataset()
    units = list(dataset.units.index)
    unit = _unit_param(request, units)
    year = dataset.years[-1]
    error, rows, p = "", [], None
    if len(trend_years(dataset, year)) < 2:
        error = f"Chỉ có số liệu năm {year}: cần ít nhất hai năm để tính xu hướng."
    else:
        p = project(framework, dataset, year, service.current_recipe())
        rows = [{"unit": u, **r.to_dict(), "focus": u == unit} for u, r in p.table.iterrows()]
    return render(request, "indexdata/projection.html", {
        "unit": unit, "units": units, "rows": rows, "p": p, "error": error, **_common()})


@access("staff", "leader", write="staff")
def levers(request):
    """The lever model per indicator and the data calendar; staff edit one row at a time (audited)."""
    from piiplan.analysis.levers import CLASSES, KINDS

    framework = service.current_framework()
    status = 200
    edit_form = edition_form = None
    if request.method == "POST":
        if request.POST.get("action") == "edition":
            edition_form = EditionForm(request.POST)
            if edition_form.is_valid():
                d = edition_form.cleaned_data
                item = EditionSetting.objects.filter(edition=d["edition"]).first()
                before = snapshot(item) if item else None
                item, _ = EditionSetting.objects.update_or_create(edition=d["edition"], defaults={
                    "collection_closes": d["collection_closes"], "source": d["source"]})
                record(request, "calendar_update", item, before=before, after=snapshot(item))
                messages.success(request, f"Đã lưu lịch thu thập số liệu PII {item.edition}.")
                return redirect("indexdata:levers")
            status = 400
        else:
            edit_form = LeverRowForm(request.POST)
            if edit_form.is_valid() and edit_form.cleaned_data["code"] in framework.indicators:
                d = edit_form.cleaned_data
                shipped = jobs.current_levers(framework).loc[d["code"]]
                item = LeverSetting.objects.filter(code=d["code"]).first()
                before = snapshot(item) if item else None
                item, _ = LeverSetting.objects.update_or_create(code=d["code"], defaults={
                    "kind": d["kind"], "lever_class": d["lever_class"], "data_lag": d["data_lag"],
                    "scale_min": _nan_none(shipped["scale_min"]), "scale_max": _nan_none(shipped["scale_max"]),
                    "basis": d["basis"] or shipped["basis"]})
                record(request, "lever_update", item, before=before, after=snapshot(item))
                messages.success(request, f"Đã lưu mô hình đòn bẩy của chỉ số {item.code}.")
                return redirect("indexdata:levers")
            if edit_form.is_valid():
                edit_form.add_error(None, "Không có chỉ số này trong khung chỉ số.")
            status = 400
    table = jobs.current_levers(framework)
    edited = set(LeverSetting.objects.values_list("code", flat=True))
    rows = [{"code": c, "name": framework.name_of(c), **r.to_dict(), "kind_vi": KINDS.get(r.kind, r.kind),
             "class_vi": CLASSES.get(r.lever_class, r.lever_class), "edited": c in edited} for c, r in table.iterrows()]
    cal = jobs.current_calendar()
    return render(request, "indexdata/levers.html", {
        "rows": rows, "kinds": list(KINDS.items()), "classes": list(CLASSES.items()),
        "editions": sorted(cal.closes.items()), "sources": cal.sources, "default_close": cal.default_close,
        "edit_form": edit_form, "edition_form": edition_form or EditionForm(), "upload_form": LeverUploadForm(),
        "can_write": allows(request.user, "staff"), **_common()}, status=status)


def _nan_none(v):
    try:
        return None if v != v else float(v)
    except (TypeError, ValueError):
        return None


@require_GET
@access("staff", "leader")
def levers_csv(request):
    from piiplan.analysis.levers import levers_csv as to_csv

    text = to_csv(jobs.current_levers())
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mo-hinh-don-bay.csv"'
    return response


@require_POST
@access("staff")
def levers_import(request):
    """Replace the lever model from a CSV in the shipped format: all rows checked first, nothing changes on
    an error (the message names the row and column)."""
    from django.db import transaction

    from piiplan.analysis.levers import LeverError, read_levers

    form = LeverUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Hãy chọn tệp CSV.")
        return redirect("indexdata:levers")
    upload = form.cleaned_data["file"]
    if upload.size > 1_000_000:
        messages.error(request, "Tệp quá lớn (tối đa 1 MB).")
        return redirect("indexdata:levers")
    framework = service.current_framework()
    try:
        table = read_levers(upload.read(), framework)
    except (LeverError, UnicodeDecodeError) as exc:
        messages.error(request, str(exc) if isinstance(exc, LeverError) else "Tệp phải là CSV mã hoá UTF-8.")
        return redirect("indexdata:levers")
    changed = 0
    with transaction.atomic():
        current = jobs.current_levers(framework)
        for code, r in table.iterrows():
            if all(_same(current.at[code, c], r[c]) for c in table.columns):
                continue
            item = LeverSetting.objects.filter(code=code).first()
            before = snapshot(item) if item else None
            item, _ = LeverSetting.objects.update_or_create(code=code, defaults={
                "kind": r.kind, "lever_class": r.lever_class, "data_lag": int(r.data_lag),
                "scale_min": _nan_none(r.scale_min), "scale_max": _nan_none(r.scale_max), "basis": r.basis[:300]})
            record(request, "lever_update", item, before=before, after=snapshot(item), note="nhập CSV")
            changed += 1
    messages.success(request, f"Đã nhập mô hình đòn bẩy: {changed} chỉ số thay đổi.")
    return redirect("indexdata:levers")


def _same(a, b) -> bool:
    if a != a and b != b:
        return True
    return str(a) == str(b) if not isinstance(a, float) else a == b


@require_POST
@access("staff")
def target_to_plan(request, pk):
    """Turn a finished job's plan into the targets (chỉ tiêu) of one plan of the province, in one step."""
    from piiplan.web.accounts.access import get_object_for_user
    from piiplan.web.plan.models import Plan
    from piiplan.web.plan.owners import apply_plan_rows

    job = _job(request, pk)
    if not job.result or not job.result.get("feasible") or not job.result.get("plan"):
        messages.error(request, "Tác vụ chưa có phương án khả thi để chuyển thành chỉ tiêu.")
        return redirect("indexdata:target_job", pk=job.pk)
    try:
        plan_pk = int(request.POST.get("plan", ""))
    except ValueError:
        messages.error(request, "Hãy chọn kế hoạch nhận chỉ tiêu.")
        return redirect("indexdata:target_job", pk=job.pk)
    plan = get_object_for_user(request, Plan, write=True, pk=plan_pk)
    if plan.province != job.params.get("unit"):
        messages.error(request, "Kế hoạch không thuộc tỉnh của phương án.")
        return redirect("indexdata:target_job", pk=job.pk)
    label = f"{job.params['unit']} lên hạng {job.params['target_rank']} (tác vụ #{job.pk})"
    n = apply_plan_rows(request, plan, job.result["plan"], label)
    messages.success(request, f"Đã chuyển phương án thành chỉ tiêu của kế hoạch: {n} chỉ tiêu được tạo hoặc cập nhật.")
    return redirect("plan:targets", pk=plan.pk)

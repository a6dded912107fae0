"""*Dữ liệu*: upload → preview → confirm, the versions, activation, publication, Excel export."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from piiplan.web.accounts.access import access, allows, get_object_for_user, visible_to
from piiplan.web.audit.log import record
from piiplan.web.indexdata import imports, provenance, service
from piiplan.web.indexdata.export import workbook_bytes
from piiplan.web.indexdata.forms import PublishForm, UploadForm
from piiplan.web.indexdata.models import DatasetVersion, FrameworkVersion, ImportBatch
from piiplan.web.indexdata.versions import PublicationRefused, activate_dataset, activate_framework, publish, unpublish

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request, form, status=200):
    context = {
        "form": form,
        "can_write": allows(request.user, "staff"),
        "datasets": visible_to(request.user, DatasetVersion).select_related("uploaded_by", "framework", "copied_from")
        .defer("values_csv", "units_csv", "denominators_csv", "framework__nodes_csv"),
        "frameworks": visible_to(request.user, FrameworkVersion).select_related("imported_by").defer("nodes_csv"),
        # The list never loads stored bytes or problem lists: earlier imports do not slow the page.
        "batches": ImportBatch.objects.select_related("created_by").defer("content", "summary")[:15]
        if allows(request.user, "staff") else [],
        "synthetic": service.is_synthetic(),
        "synthetic_label": service.synthetic_label(),
        "origin": provenance.describe(service.active_dataset_version()),
        "max_mb": _max_mb(),
        "ministry_form_url": _ministry_form_url() if allows(request.user, "staff") else None,
    }
    return render(request, "indexdata/datasets.html", context, status=status)


def _ministry_form_url() -> str | None:
    """The plan app's sheet for the Ministry's online form (values with evidence), when there is a plan."""
    from django.conf import settings
    from django.urls import reverse

    if "piiplan.web.plan" not in settings.INSTALLED_APPS:
        return None
    from piiplan.web.plan.dashboard import current_plan

    plan = current_plan()
    return reverse("plan:ministry_form", kwargs={"pk": plan.pk}) if plan else None


def _max_mb() -> int:
    from django.conf import settings

    return settings.PIIPLAN_UPLOAD_MAX_BYTES // (1024 * 1024)


@access("staff", "leader", write="staff")
def datasets(request):
    """The versions list (leaders read it) and, for staff, the upload form."""
    if request.method != "POST":
        return _page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        batch = imports.start(upload, request.user, form.cleaned_data["kind"] or None)
    except imports.UploadRejected as exc:
        form.add_error("file", str(exc))
        record(request, "import_refused", object_type="indexdata.importbatch", note=f"{upload.name}: {exc}")
        return _page(request, form, status=400)
    record(request, "import_upload", batch, note=f"{batch.original_name}: {_n_problems(batch)} lỗi")
    if batch.status == ImportBatch.Status.REJECTED:
        return _preview(request, batch, status=400)  # a malformed file: the problems, as a 400
    return redirect("indexdata:import_preview", pk=batch.pk)


def _n_problems(batch) -> int:
    return int((batch.summary or {}).get("n_problems", len(batch.problems)))


@access("staff")
def import_preview(request, pk):
    batch = get_object_for_user(request, ImportBatch, pk=pk)
    return _preview(request, batch)


def _preview(request, batch, problems=None, status=200):
    n_problems = _n_problems(batch) if problems is None else len(problems)
    problems = batch.problems if problems is None else problems
    summary = batch.summary or {}
    share = summary.get("synthetic_share")
    return render(request, "indexdata/import_preview.html", {
        "batch": batch, "problems": problems, "n_problems": n_problems, "summary": summary,
        "can_confirm": batch.status == ImportBatch.Status.DRAFT and not problems,
        "base": provenance.describe(batch.base_dataset),
        "result_synthetic": share is not None and share >= provenance.DEMO_SHARE,
        "synthetic_percent": None if share is None else round(100 * share, 1),
    }, status=status)


@require_POST
@access("staff")
def import_confirm(request, pk):
    batch = get_object_for_user(request, ImportBatch, write=True, pk=pk)
    try:
        imports.confirm(batch, request)
    except imports.ConfirmFailed as exc:
        return _preview(request, batch, problems=exc.problems, status=409)
    if batch.dataset is not None:
        messages.success(request, f"Đã nhập {batch.original_name}: phiên bản dữ liệu #{batch.dataset.pk} đang dùng.")
    else:
        messages.success(request, f"Đã nhập {batch.original_name}: phiên bản khung #{batch.framework.pk} đang dùng.")
    return redirect("indexdata:datasets")


@require_POST
@access("staff")
def import_reject(request, pk):
    batch = get_object_for_user(request, ImportBatch, write=True, pk=pk)
    imports.reject(batch, request)
    messages.info(request, f"Đã huỷ lượt nhập {batch.original_name}; dữ liệu không thay đổi.")
    return redirect("indexdata:datasets")


@require_POST
@access("staff")
def dataset_activate(request, pk):
    version = get_object_for_user(request, DatasetVersion, write=True, pk=pk)
    activate_dataset(version, request=request)
    messages.success(request, f"Đang dùng phiên bản dữ liệu #{version.pk} ({version.name}).")
    return redirect("indexdata:datasets")


@access("staff")
def dataset_publish(request, pk):
    """Publication: GET shows the confirmation page (the version's provenance and which public version it
    replaces); POST with ``confirm`` publishes. POST ``published=0`` withdraws a version from the public."""
    version = get_object_for_user(request, DatasetVersion, write=True, pk=pk)
    current = DatasetVersion.objects.filter(published=True).exclude(pk=version.pk).first()
    form = PublishForm(request.POST if request.method == "POST" else None, synthetic=version.synthetic)
    status = 200
    if request.method == "POST" and request.POST.get("published") == "0":
        unpublish(version, request=request)
        messages.success(request, f"Phiên bản #{version.pk} không còn công bố cho công chúng.")
        return redirect("indexdata:datasets")
    if request.method == "POST":
        if form.is_valid():
            try:
                replaced = publish(version, request=request,
                                   acknowledge_synthetic=form.cleaned_data.get("acknowledge_synthetic", False))
            except PublicationRefused as exc:
                form.add_error(None, str(exc))
            else:
                extra = f" (thay cho phiên bản #{', #'.join(map(str, replaced))})" if replaced else ""
                messages.success(request, f"Đã công bố phiên bản #{version.pk} cho công chúng{extra}.")
                return redirect("indexdata:datasets")
        status = 400
    return render(request, "indexdata/publish_confirm.html", {
        "version": version, "form": form, "current": current, "origin": provenance.describe(version),
        "current_origin": provenance.describe(current) if current else None,
    }, status=status)


@require_POST
@access("staff")
def framework_activate(request, pk):
    version = get_object_for_user(request, FrameworkVersion, write=True, pk=pk)
    activate_framework(version, request=request)
    messages.success(request, f"Đang dùng khung chỉ số #{version.pk} ({version.name}).")
    return redirect("indexdata:datasets")


@access("staff", "leader")
def export(request):
    """The current data as the wide workbook the importer reads back."""
    dataset, framework = service.current_dataset(), service.current_framework()
    body = workbook_bytes(dataset, framework)
    version = service.active_dataset_version()
    stamp = timezone.localtime().strftime("%Y%m%d")
    name = f"du-lieu-pii-{version.pk if version else 'mau'}-{stamp}.xlsx"
    record(request, "dataset_export", version, object_type=None if version else "indexdata.datasetversion",
           note=name)
    response = HttpResponse(body, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

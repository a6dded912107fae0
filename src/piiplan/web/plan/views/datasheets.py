"""The plan's Excel sheets: an agency's data-collection template (download, and upload back into its
report) and the sheet for the Ministry's online form (DoST staff)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from piiplan.web import documents
from piiplan.web.accounts.access import access, get_object_for_user
from piiplan.web.accounts.models import Agency, Role
from piiplan.web.audit.log import record
from piiplan.web.plan import datasheets, services
from piiplan.web.plan.models import AgencyReport, Plan

MAX_PROBLEMS_SHOWN = 20


@require_GET
@access("member")
def agency_template(request, pk):
    """An agency's template for the plan: agency users get their own; DoST staff and leaders choose
    the agency with ``?co-quan=<id>``."""
    plan = get_object_for_user(request, Plan, pk=pk)
    if request.user.role == Role.AGENCY:
        agency = request.user.agency
    else:
        try:
            agency = Agency.all_objects.get(pk=int(request.GET.get("co-quan") or 0))
        except (Agency.DoesNotExist, ValueError):
            raise Http404("Chọn cơ quan cần tải biểu mẫu.") from None
    body, name = datasheets.template_file(plan, agency)
    record(request, "agency_template_download", plan, note=agency.name)
    return documents.download(body, name)


@require_GET
@access("member")
def report_template(request, pk):
    """The template of the report's agency, with the period's deadline."""
    report = get_object_for_user(request, AgencyReport.objects.select_related("period__plan", "agency"), pk=pk)
    body, name = datasheets.template_file(report.period.plan, report.agency, deadline=report.period.agency_deadline)
    record(request, "agency_template_download", report, note=report.agency.name)
    return documents.download(body, name)


@require_POST
@access("agency")
def report_template_import(request, pk):
    """The agency uploads its filled template: the values fill the report's indicator rows."""
    report = get_object_for_user(request, AgencyReport, write=True, pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Chưa chọn tệp biểu mẫu (.xlsx) để tải lên.")
        return redirect("plan:report_detail", pk=report.pk)
    if not report.editable:
        messages.error(request, "Báo cáo đã gửi hoặc đã được chấp nhận, không nhập số liệu được.")
        return redirect("plan:report_detail", pk=report.pk)
    try:
        values = datasheets.read_for_report(report, upload)
        services.fill_values(request, report, values, note=upload.name)
    except datasheets.TemplateRejected as exc:
        messages.error(request, f"Chưa nhập được biểu mẫu ({len(exc.problems)} lỗi); báo cáo không thay đổi.")
        for line in exc.problems[:MAX_PROBLEMS_SHOWN]:
            messages.error(request, line)
        return redirect("plan:report_detail", pk=report.pk)
    except (services.ConflictError, services.WorkflowError) as exc:
        messages.error(request, str(exc))
        return redirect("plan:report_detail", pk=report.pk)
    messages.success(request, f"Đã nhập {len(values)} giá trị chỉ số từ «{upload.name}». Hãy kiểm tra rồi gửi báo cáo.")
    for line in [w for row in values.values() for w in row.get("warnings", [])][:MAX_PROBLEMS_SHOWN]:
        messages.warning(request, f"Cần kiểm tra: {line}")
    return redirect("plan:report_detail", pk=report.pk)


@require_GET
@access("staff")
def ministry_form(request, pk):
    """The province's values with evidence references, for entry into the Ministry's online form."""
    plan = get_object_for_user(request, Plan, pk=pk)
    body, name = datasheets.ministry_form_file(plan)
    record(request, "ministry_form_download", plan, note=name)
    return documents.download(body, name)

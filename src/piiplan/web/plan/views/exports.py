"""CSV copies of the plan's lists (tasks, periods, a period's reports, exemplary models): the
same rows, scope and filters as the pages, Vietnamese headers, inert cells (``web.csv_export``)."""

from __future__ import annotations

from django.views.decorators.http import require_GET

from piiplan.web.accounts.access import access, get_object_for_user, visible_to
from piiplan.web.csv_export import csv_response
from piiplan.web.plan import dashboard as dash
from piiplan.web.plan.models import ExemplaryModel, Plan, ReportingPeriod, Task, today


@require_GET
@access("member")
def tasks_csv(request, pk):
    plan = get_object_for_user(request, Plan, pk=pk)
    queryset = (visible_to(request.user, Task).filter(plan=plan).select_related("lead_agency")
                .prefetch_related("coordinating_agencies").order_by("number"))
    status = request.GET.get("status", "")
    agency = request.GET.get("agency", "")
    indicator = request.GET.get("indicator", "")
    if agency.isdigit() and len(agency) < 19:
        queryset = queryset.filter(lead_agency_id=int(agency))
    rows = dash.task_rows(queryset, today())
    if status:
        rows = [r for r in rows if r["status"] == status]
    if indicator:
        rows = [r for r in rows if indicator in r["task"].indicators]
    headers = ["STT", "Chỉ số", "Nhiệm vụ, giải pháp", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm",
               "Thời hạn", "Hạn tiếp theo", "Trạng thái", "Tiến độ (%)", "Ghi chú tiến độ"]
    lines = ([r["task"].number, ", ".join(r["task"].indicators), r["task"].content, r["task"].lead_agency.name,
              "; ".join(r["task"].coordinating_names()), r["task"].output, r["task"].timing_text, r["due"],
              r["status_label"], r["task"].percent, r["task"].status_note] for r in rows)
    return csv_response(f"nhiem-vu-ke-hoach-{plan.pk}.csv", headers, lines)


@require_GET
@access("member")
def periods_csv(request):
    headers = ["Kỳ báo cáo", "Loại", "Năm", "Ngày chốt số liệu", "Hạn cơ quan gửi", "Hạn báo cáo UBND tỉnh",
               "Đã đóng", "Số cơ quan phải báo cáo", "Đã gửi", "Đã chấp nhận", "Trễ hạn"]
    lines = []
    for period in visible_to(request.user, ReportingPeriod).select_related("plan"):
        if request.user.role == "agency":
            stats = {"expected": "", "submitted": "", "accepted": "", "late": ""}
        else:
            stats = dash.completeness(period)
        lines.append([period.title, period.get_kind_display(), period.year, period.cutoff, period.agency_deadline,
                      period.ubnd_deadline, period.closed, stats["expected"], stats["submitted"], stats["accepted"],
                      stats["late"]])
    return csv_response("ky-bao-cao.csv", headers, lines)


@require_GET
@access("staff", "leader")
def period_reports_csv(request, pk):
    period = get_object_for_user(request, ReportingPeriod, pk=pk)
    headers = ["Cơ quan, đơn vị", "Trạng thái", "Trễ hạn", "Số văn bản", "Ngày văn bản", "Thời điểm gửi",
               "Thời điểm duyệt", "Ý kiến của Sở KH&CN"]
    lines = []
    for row in dash.completeness(period)["rows"]:
        report = row["report"]
        lines.append([row["agency"].name, row["label"], row["late"],
                      report.document_number if report else "", report.document_date if report else None,
                      report.submitted_at if report else None, report.reviewed_at if report else None,
                      report.review_comment if report else ""])
    return csv_response(f"bao-cao-ky-{period.pk}.csv", headers, lines)


@require_GET
@access("member")
def models_csv(request):
    headers = ["Mô hình", "Lĩnh vực", "Cơ quan đề xuất", "Địa bàn, đơn vị thực hiện", "Năm", "Trạng thái",
               "Mô tả", "Kết quả, hiệu quả", "Khả năng nhân rộng", "Ngày công bố"]
    rows = visible_to(request.user, ExemplaryModel).select_related("agency")
    lines = ([m.title, m.get_category_display(), m.agency.name, m.location, m.year, m.get_status_display(),
              m.summary, m.results, m.replication, m.published_at] for m in rows)
    return csv_response("mo-hinh-tieu-bieu.csv", headers, lines)

"""Deliberate, reversible decisions of the DoST on an agency report (issue 12.2).

Every decision is an explicit choice (no pre-selected option) followed by a confirmation page that
says what will happen; only the confirmed POST (``confirm=1``) changes anything. An accepted report
can be reopened by DoST staff with a reason: it goes back to the agency (audited, notified).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from piiplan.web.accounts.access import access, get_object_for_user
from piiplan.web.plan import services
from piiplan.web.plan.forms import ReopenForm, ReviewForm
from piiplan.web.plan.models import AgencyReport


def confirm_page(request, *, title, question, details, fields, yes, back):
    """The confirmation step: the same POST again with ``confirm=1``, or back without a change."""
    return render(request, "plan/confirm.html", {
        "title": title, "question": question, "details": details, "fields": fields, "yes": yes,
        "back": back, "action": request.path,
    })


def _again(request, report, status: int, **forms):
    """The report page again with the decision form as it was sent (the comment or reason typed is never
    lost); after a conflict the form carries the report's current version."""
    from piiplan.web.plan.views.entry import report_context

    return render(request, "plan/report_detail.html", report_context(request, report, **forms), status=status)


def _resent(form_class, request, report):
    data = request.POST.copy()
    data.pop("confirm", None)
    data["version"] = str(report.version)
    return form_class(data)


def _first_error(form) -> str:
    for errors in form.errors.values():
        for error in errors:
            return error
    return "Dữ liệu gửi lên không hợp lệ."


@require_POST
@access("staff")
def report_review(request, pk):
    report = get_object_for_user(request, AgencyReport.objects.select_related("period", "agency"), write=True, pk=pk)
    back = reverse("plan:report_detail", kwargs={"pk": report.pk})
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _again(request, report, 400, review_form=form)
    accept = form.cleaned_data["decision"] == "accept"
    comment = form.cleaned_data["comment"].strip()
    if not accept and not comment:
        messages.error(request, "Khi trả lại báo cáo phải ghi rõ ý kiến để cơ quan bổ sung, chỉnh sửa.")
        return _again(request, report, 400, review_form=form)
    if request.POST.get("confirm") != "1":
        what = f"{report.period.title} của {report.agency.name}"
        return confirm_page(
            request, title="Xác nhận quyết định duyệt báo cáo",
            question=(f"Chấp nhận và khoá {what}? Tiến độ trong báo cáo sẽ được ghi vào các nhiệm vụ; cơ quan "
                      "không sửa được nữa (Sở KH&CN vẫn có thể mở lại nếu cần)." if accept else
                      f"Trả lại {what} để cơ quan bổ sung, chỉnh sửa?"),
            details=[f"Ý kiến: {comment}"] if comment else [],
            fields=[("decision", form.cleaned_data["decision"]), ("comment", comment),
                    ("version", form.cleaned_data["version"])],
            yes="Xác nhận chấp nhận" if accept else "Xác nhận trả lại", back=back)
    try:
        services.review_report(request, report, accept, comment, form.cleaned_data["version"])
    except (services.ConflictError, services.WorkflowError) as exc:
        messages.error(request, str(exc))
        report.refresh_from_db()
        return _again(request, report, 409, review_form=_resent(ReviewForm, request, report))
    else:
        messages.success(request, "Đã chấp nhận và khoá báo cáo." if accept else "Đã trả lại báo cáo kèm ý kiến.")
    return redirect("plan:report_detail", pk=report.pk)


@require_POST
@access("staff")
def report_reopen(request, pk):
    report = get_object_for_user(request, AgencyReport.objects.select_related("period", "agency"), write=True, pk=pk)
    back = reverse("plan:report_detail", kwargs={"pk": report.pk})
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _again(request, report, 400, reopen_form=form)
    reason = form.cleaned_data["reason"]
    if request.POST.get("confirm") != "1":
        return confirm_page(
            request, title="Xác nhận mở lại báo cáo",
            question=(f"Mở lại {report.period.title} của {report.agency.name} đã được chấp nhận? Báo cáo chuyển "
                      "về trạng thái «Bị trả lại» để cơ quan sửa và gửi lại; cơ quan được thông báo."),
            details=[f"Lý do: {reason}"], fields=[("reason", reason), ("version", form.cleaned_data["version"])],
            yes="Xác nhận mở lại", back=back)
    try:
        services.reopen_report(request, report, reason, form.cleaned_data["version"])
    except (services.ConflictError, services.WorkflowError) as exc:
        messages.error(request, str(exc))
        report.refresh_from_db()
        return _again(request, report, 409, reopen_form=_resent(ReopenForm, request, report))
    else:
        messages.success(request, "Đã mở lại báo cáo; cơ quan đã được thông báo.")
    return redirect("plan:report_detail", pk=report.pk)

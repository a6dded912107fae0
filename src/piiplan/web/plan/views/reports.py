"""Reporting periods (list, create, edit with the version check) and their documents (the report to the
UBND, reminder letters). The agency report itself: views/entry.py; the DoST decisions: views/review.py."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from piiplan.web import documents
from piiplan.web.accounts.access import access, get_object_for_user, visible_to
from piiplan.web.accounts.models import Role
from piiplan.web.audit.log import record, snapshot
from piiplan.web import versioning
from piiplan.web.plan import dashboard as dash
from piiplan.web.plan.forms import PeriodForm
from piiplan.web.plan.models import AgencyReport, ReportingPeriod, today

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
    return render(request, "plan/period_form.html", {"form": form, "period": None},
                  status=400 if request.method == "POST" else 200)


@access("staff")
def period_edit(request, pk):
    period = get_object_for_user(request, ReportingPeriod, write=True, pk=pk)
    before = snapshot(period, PERIOD_FIELDS)
    form = PeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                versioning.claim(period, form.cleaned_data["version"], "Kỳ báo cáo")
                period = form.save(commit=False)
                for name in ("title", "cutoff", "agency_deadline", "ubnd_deadline"):
                    setattr(period, name, form.cleaned_data[name])
                period.save()
                form.save_m2m()
                record(request, "period_update", period, before=before, after=snapshot(period, PERIOD_FIELDS))
            _freeze_on_close(request, period, was_closed=before.get("closed"))
        except versioning.ConflictError as exc:
            messages.error(request, str(exc))
            return render(request, "plan/period_form.html", {"form": form, "period": period}, status=409)
        messages.success(request, "Đã lưu kỳ báo cáo.")
        return redirect("plan:period_detail", pk=period.pk)
    return render(request, "plan/period_form.html", {"form": form, "period": period},
                  status=400 if request.method == "POST" else 200)


@require_GET
@access("staff", "leader")
def period_detail(request, pk):
    from piiplan.web.plan.reminders import letter_agencies

    period = get_object_for_user(request, ReportingPeriod, pk=pk)
    letters = letter_agencies(period, today()) if request.user.is_dost else set()
    return render(request, "plan/period_detail.html", {"period": period, "stats": dash.completeness(period),
                                                       "letters": letters})


# --- documents (piiplan.reports, through web.documents) -----------------------------------------


def _freeze_on_close(request, period, *, was_closed) -> None:
    """Closing a period freezes its report's data; reopening it thaws them (the next close freezes again)."""
    from piiplan.web.plan.models import PeriodSnapshot
    from piiplan.web.plan.outputs import freeze

    if period.closed and not was_closed:
        freeze(request, period)
        messages.info(request, "Đã chốt số liệu của báo cáo kỳ này: số liệu nhập sau không làm thay đổi báo cáo.")
    elif not period.closed and was_closed:
        deleted, _ = PeriodSnapshot.objects.filter(period=period).delete()
        if deleted:
            record(request, "period_unfreeze", period, note="Mở lại kỳ báo cáo: bỏ số liệu đã chốt")


def _period_report_file(request, period) -> tuple[bytes, str]:
    from piiplan.reports import write_half_year_report
    from piiplan.web.plan.models import PeriodSnapshot
    from piiplan.web.plan.outputs import freeze, half_year_report

    if period.closed and not PeriodSnapshot.objects.filter(period=period).exists():
        freeze(request, period)  # a period closed before snapshots existed: frozen from now on
        period.refresh_from_db()

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
    """The PDF copy of the period's report (LibreOffice, in the background), for reading and sending before
    the signed copy."""
    period = get_object_for_user(request, ReportingPeriod, pk=pk)
    body, name = _period_report_file(request, period)
    record(request, "period_report", period, note="PDF")
    return documents.pdf_response(request, body, name, policies=("staff", "leader"),
                                  back=reverse("plan:period_detail", kwargs={"pk": period.pk}))


@require_GET
@access("staff")
def reminder_letter(request, pk, agency):
    """A reminder letter (công văn đôn đốc) to one agency about its overdue report and tasks, as of today.
    ``?han=ngày/tháng/năm`` sets the reply deadline (a future date); by default 5 working days from today."""
    from datetime import datetime

    from piiplan.reports import write_reminder_letter
    from piiplan.web.accounts.models import Agency
    from piiplan.web.plan.outputs import reminder_letter as build

    from piiplan.web.plan.reminders import is_department

    period = get_object_for_user(request, ReportingPeriod, pk=pk)
    target = get_object_for_user(request, Agency.all_objects.all(), pk=agency)
    if is_department(target):
        messages.error(request, "Không lập công văn đôn đốc gửi chính Sở Khoa học và Công nghệ.")
        return redirect("plan:period_detail", pk=period.pk)
    reply_by = None
    if request.GET.get("han"):
        try:
            reply_by = datetime.strptime(request.GET["han"].strip()[:20], "%d/%m/%Y").date()
        except ValueError:
            messages.error(request, "Hạn trả lời không hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 04/12/2026.")
            return redirect("plan:period_detail", pk=period.pk)
        if reply_by <= today():
            messages.error(request, "Hạn trả lời phải sau ngày hôm nay.")
            return redirect("plan:period_detail", pk=period.pk)
    record(request, "reminder_letter", period, note=target.name)
    name = f"cong-van-don-doc-{documents.slug(target.code)}.docx"
    letter = build(period.plan, target, period, reply_by=reply_by)
    return documents.download(documents.written(write_reminder_letter, letter, name), name)

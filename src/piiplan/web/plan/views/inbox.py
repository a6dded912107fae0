"""What each person has to do (the landing page after sign-in), their notices, their account page
with the e-mail preference (issue 12.3)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from piiplan.web.accounts.access import access, get_object_for_user, user_role, visible_to
from piiplan.web.accounts.models import Agency, Role, User
from piiplan.web.audit.log import record
from piiplan.web.plan import dashboard as dash
from piiplan.web.plan.models import (
    OVERDUE,
    AgencyReport,
    MailPreference,
    Notice,
    ReportingPeriod,
    ReportStatus,
    Task,
    today,
)

MAX_ROWS = 20


def _staff_work(plan, on) -> dict:
    to_review = list(AgencyReport.objects.filter(status=ReportStatus.SUBMITTED)
                     .select_related("period", "agency").order_by("submitted_at")[:MAX_ROWS])
    tasks = Task.objects.filter(plan=plan).select_related("lead_agency").order_by("number") if plan else []
    overdue = [r for r in dash.task_rows(tasks, on) if r["status"] == OVERDUE]
    late = []
    for period in ReportingPeriod.objects.filter(closed=False, agency_deadline__lt=on).order_by("agency_deadline"):
        late += [dict(row, period=period) for row in dash.completeness(period, on)["rows"] if row["late"]]
    return {"to_review": to_review, "overdue": overdue[:MAX_ROWS], "overdue_total": len(overdue), "late_reports": late}


def _agency_work(user, plan, on) -> dict:
    view = dash.agency_view(user, plan, on)
    returned = [s for s in view.get("to_submit", []) if s["report"] and s["report"].status == ReportStatus.RETURNED]
    pending = [s for s in view.get("to_submit", []) if not s["done"]]
    return {"to_submit": pending, "returned": returned, "overdue": view.get("overdue", []),
            "due_soon": view.get("due_soon", [])}


def _admin_work() -> dict:
    return {"locked_users": User.objects.filter(is_active=False).order_by("username")[:MAX_ROWS],
            "agencies_without_email": Agency.objects.filter(email="").order_by("name")[:MAX_ROWS],
            "users_without_email": User.objects.filter(is_active=True, email="").order_by("username")[:MAX_ROWS]}


@require_GET
@access("member")
def my_work(request):
    """The landing page after sign-in: each role's pending work, newest notices first."""
    plan = dash.current_plan()
    on = today()
    role = user_role(request.user)
    context = {"plan": plan, "role": role, "today": on,
               "unread": Notice.unread_for(request.user)[:5]}
    if role in (Role.DOST_STAFF, Role.DOST_ADMIN):
        context.update(_staff_work(plan, on))
    if role == Role.DOST_ADMIN:
        context.update(_admin_work())
    if role == Role.AGENCY:
        context.update(_agency_work(request.user, plan, on))
    if role == Role.LEADER and plan is not None:
        context["summary"] = dash.dost_view(plan, on)
    return render(request, "plan/my_work.html", context)


@access("member", write=("staff", "agency"))
def notices(request):
    rows = Notice.for_user(request.user)
    if request.method == "POST":
        count = Notice.mark_read(request.user, visible_to(request.user, Notice))
        messages.success(request, f"Đã đánh dấu {count} thông báo là đã đọc.")
        return redirect("plan:notices")
    return render(request, "plan/notices.html", {"rows": rows[:100]})


@require_POST
@access("staff", "agency")
def notice_read(request, pk):
    """Mark one notice read, then go where it points (or back to the list)."""
    notice = get_object_for_user(request, Notice, write=True, pk=pk)
    Notice.mark_read(request.user, Notice.objects.filter(pk=notice.pk))
    if request.POST.get("open") and notice.url.startswith("/"):
        return redirect(notice.url)
    return redirect("plan:notices")


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(label="Nhận thư điện tử khi có báo cáo được gửi, trả lại, chấp nhận, mở lại, "
                                             "khi được giao nhiệm vụ và khi có nhắc hạn", required=False)


@access("member")
def account(request):
    """The signed-in user's account: who they are, and whether they receive e-mail."""
    current = MailPreference.wants_mail(request.user)
    form = PreferenceForm(request.POST if request.method == "POST" else None, initial={"email_enabled": current})
    if request.method == "POST" and form.is_valid():
        wanted = form.cleaned_data["email_enabled"]
        MailPreference.objects.update_or_create(user=request.user, defaults={"email_enabled": wanted})
        if wanted != current:
            record(request, "mail_preference", request.user, before={"email_enabled": current},
                   after={"email_enabled": wanted})
        messages.success(request, "Đã bật nhận thư điện tử." if wanted else
                         "Đã tắt nhận thư điện tử; thông báo trong hệ thống vẫn được giữ.")
        return redirect("plan:account")
    return render(request, "plan/account.html", {"form": form, "wants_mail": current})

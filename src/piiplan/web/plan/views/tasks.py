"""Tasks: list, detail with history, create and edit (DoST), status update (DoST or the lead agency)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from piiplan.web.accounts.access import access, get_object_for_user, visible_to
from piiplan.web.accounts.models import Agency
from piiplan.web.audit.models import AuditEntry
from piiplan.web.plan import dashboard as dash
from piiplan.web.plan.forms import TaskForm, TaskStatusForm
from piiplan.web.plan.indicators import indicator_codes, labelled
from piiplan.web.plan.models import OVERDUE, STATUS_LABELS, Plan, Task, today
from piiplan.web.plan.services import ConflictError, create_task, labelled_history, save_task


@require_GET
@access("member")
def tasks(request, pk):
    plan = get_object_for_user(request, Plan, pk=pk)
    queryset = (visible_to(request.user, Task).filter(plan=plan).select_related("lead_agency")
                .prefetch_related("coordinating_agencies").order_by("number"))
    status = request.GET.get("status", "")[:20]
    agency = request.GET.get("agency", "")
    indicator = request.GET.get("indicator", "")[:20]
    if agency.isdigit() and len(agency) <= 9:
        queryset = queryset.filter(lead_agency_id=int(agency))
    elif agency:
        agency = ""  # an oversized or non-numeric ?agency= is ignored, never a 500
    on = today()
    rows = dash.task_rows(queryset, on)
    if status:
        rows = [r for r in rows if r["status"] == status]
    if indicator:
        rows = [r for r in rows if indicator in r["task"].indicators]
    agencies = Agency.all_objects.filter(led_tasks__plan=plan).distinct().order_by("name")
    return render(request, "plan/tasks.html", {
        "plan": plan, "rows": rows, "statuses": STATUS_LABELS.items(), "status": status, "agency": agency,
        "agencies": agencies, "indicator": indicator, "indicators": indicator_codes(plan.framework),
    })


@require_GET
@access("member")
def task_detail(request, pk):
    task = get_object_for_user(request, Task, pk=pk)
    history = labelled_history(AuditEntry.objects.filter(object_type="plan.task", object_id=str(task.pk))[:50])
    can_update = request.user.is_dost or task.is_lead(request.user)
    form = TaskStatusForm(initial={"status": task.status, "percent": task.percent,
                                   "status_note": task.status_note, "version": task.version})
    progress = task.progress_reports.select_related("report__period", "report__agency").order_by("-report__period__cutoff")
    return render(request, "plan/task_detail.html", {
        "task": task, "indicators": labelled(task.indicators, task.plan.framework), "history": history,
        "form": form, "can_update": can_update, "status": task.effective_status(), "progress": progress,
        "overdue": task.effective_status() == OVERDUE,
    })


@access("staff")
def task_create(request, pk):
    plan = get_object_for_user(request, Plan, write=True, pk=pk)
    last = Task.all_objects.filter(plan=plan).order_by("-number").first()
    form = TaskForm(request.POST or None, initial={"number": (last.number + 1) if last else 1})
    if request.method == "POST" and form.is_valid():
        task = create_task(request, plan, form.changes(), announce=True)
        messages.success(request, f"Đã thêm nhiệm vụ {task.number}.")
        return redirect("plan:task_detail", pk=task.pk)
    return render(request, "plan/task_form.html", {"plan": plan, "form": form, "task": None})


@access("staff")
def task_edit(request, pk):
    task = get_object_for_user(request, Task, write=True, pk=pk)
    form = TaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        try:
            task = save_task(request, task, form.changes(), form.cleaned_data["version"], announce=True)
        except ConflictError as exc:
            form.add_error(None, str(exc))
            # Show what the other person saved: the fresh record, with the user's input kept in the form.
            task = Task.objects.get(pk=task.pk)
            form.data = form.data.copy()
            form.data["version"] = str(task.version)
            return render(request, "plan/task_form.html", {"plan": task.plan, "form": form, "task": task,
                                                           "conflict": True}, status=409)
        messages.success(request, "Đã lưu nhiệm vụ.")
        return redirect("plan:task_detail", pk=task.pk)
    return render(request, "plan/task_form.html", {"plan": task.plan, "form": form, "task": task})


@require_POST
@access("staff", "agency")
def task_status(request, pk):
    task = get_object_for_user(request, Task, write=True, pk=pk)
    form = TaskStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Trạng thái hoặc tiến độ không hợp lệ (tiến độ từ 0 đến 100%).")
        return redirect("plan:task_detail", pk=task.pk)
    data = {k: form.cleaned_data[k] for k in ("status", "percent", "status_note")}
    try:
        save_task(request, task, data, form.cleaned_data["version"], action="task_status")
    except ConflictError as exc:
        messages.error(request, str(exc))
        return redirect("plan:task_detail", pk=task.pk)
    messages.success(request, "Đã cập nhật trạng thái nhiệm vụ.")
    return redirect("plan:task_detail", pk=task.pk)

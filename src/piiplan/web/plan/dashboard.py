"""What the dashboards show, computed from the plan's records (no HTTP here)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from piiplan.web.plan.models import (
    OVERDUE,
    STATUS_LABELS,
    AgencyReport,
    Mark,
    Notice,
    Plan,
    ReportingPeriod,
    ReportStatus,
    Task,
    TaskStatus,
    today,
)

DUE_SOON_DAYS = 30


def current_plan() -> Plan | None:
    return Plan.objects.order_by("-year", "-id").first()


def status_counts(tasks, on) -> dict[str, int]:
    counts = Counter(task.effective_status(on) for task in tasks)
    return {code: counts.get(code, 0) for code in (TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED, OVERDUE)}


def status_rows(tasks, on) -> list[dict]:
    counts = status_counts(tasks, on)
    total = sum(counts.values()) or 1
    return [{"code": code, "label": STATUS_LABELS[code], "count": n, "percent": n * 100 / total} for code, n in counts.items()]


def task_rows(tasks, on) -> list[dict]:
    rows = []
    for task in tasks:
        due = task.due_date(on)
        rows.append({"task": task, "status": task.effective_status(on), "status_label": task.status_label(on),
                     "due": due, "days_left": (due - on).days if due else None})
    return rows


def open_periods(plan: Plan, on):
    return ReportingPeriod.objects.filter(plan=plan, closed=False).order_by("agency_deadline")


def agency_view(user, plan: Plan | None, on=None) -> dict:
    on = on or today()
    agency = user.agency
    if plan is None:
        return {"agency": agency, "plan": None}
    from piiplan.web.accounts.access import visible_to

    tasks = list(visible_to(user, Task).filter(plan=plan).select_related("lead_agency").order_by("number"))
    lead = [t for t in tasks if t.lead_agency_id == agency.pk]
    coordinated = [t for t in tasks if t.lead_agency_id != agency.pk]
    rows = task_rows(lead, on)
    overdue = [r for r in rows if r["status"] == OVERDUE]
    due_soon = [r for r in rows if r["status"] not in (OVERDUE, TaskStatus.DONE) and r["days_left"] is not None
                and 0 <= r["days_left"] <= DUE_SOON_DAYS]
    to_submit = []
    for period in open_periods(plan, on):
        if not period.expects(agency):
            continue
        report = AgencyReport.objects.filter(period=period, agency=agency).first()
        to_submit.append({"period": period, "report": report, "days_left": (period.agency_deadline - on).days,
                          "done": report is not None and report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)})
    return {
        "agency": agency, "plan": plan, "lead_rows": rows, "coordinated": task_rows(coordinated, on),
        "overdue": overdue, "due_soon": due_soon, "to_submit": to_submit, "counts": status_rows(lead, on),
        "new_notices": Notice.unread_for(user)[:10],
    }


def completeness(period: ReportingPeriod, on=None) -> dict:
    """Expected agencies of a period with their report's state; counts and the share accepted/submitted."""
    on = on or today()
    reports = {r.agency_id: r for r in AgencyReport.objects.filter(period=period)}
    rows = []
    for agency in period.expected_agencies():
        report = reports.get(agency.pk)
        status = report.status if report else "missing"
        late = status in ("missing", ReportStatus.DRAFT, ReportStatus.RETURNED) and period.agency_deadline < on
        rows.append({"agency": agency, "report": report, "status": status, "late": late,
                     "label": report.get_status_display() if report else "Chưa lập báo cáo"})
    counts = Counter(row["status"] for row in rows)
    total = len(rows) or 1
    return {
        "period": period, "rows": rows, "expected": len(rows), "counts": counts,
        "submitted": counts[ReportStatus.SUBMITTED] + counts[ReportStatus.ACCEPTED],
        "accepted": counts[ReportStatus.ACCEPTED],
        "percent_submitted": (counts[ReportStatus.SUBMITTED] + counts[ReportStatus.ACCEPTED]) * 100 / total,
        "percent_accepted": counts[ReportStatus.ACCEPTED] * 100 / total,
        "late": sum(row["late"] for row in rows),
    }


def weakness_codes(plan: Plan, analysis) -> tuple[list[str], str]:
    """The province's weaknesses: from the analysis profile when it ran, else the plan's marked targets."""
    if analysis is not None and not analysis.error and analysis.weaknesses:
        return list(analysis.weaknesses), "analysis"
    return list(plan.targets.filter(mark=Mark.WEAKNESS).values_list("indicator", flat=True)), "plan"


def dost_view(plan: Plan | None, on=None, analysis=None) -> dict:
    on = on or today()
    if plan is None:
        return {"plan": None}
    tasks = list(Task.objects.filter(plan=plan).select_related("lead_agency").order_by("number"))
    rows = task_rows(tasks, on)
    weak, weak_source = weakness_codes(plan, analysis)
    weak_set = set(weak)
    periods = list(ReportingPeriod.objects.filter(plan=plan).order_by("-cutoff")[:4])
    by_agency: dict[int, dict] = {}
    for row in rows:
        entry = by_agency.setdefault(row["task"].lead_agency_id, {"agency": row["task"].lead_agency, "total": 0, "overdue": 0, "done": 0})
        entry["total"] += 1
        entry["overdue"] += row["status"] == OVERDUE
        entry["done"] += row["status"] == TaskStatus.DONE
    return {
        "plan": plan, "counts": status_rows(tasks, on), "overdue": [r for r in rows if r["status"] == OVERDUE],
        "weak_codes": weak, "weak_source": weak_source,
        "weak_tasks": [r for r in rows if weak_set.intersection(r["task"].indicators)],
        "completeness": [completeness(p, on) for p in periods],
        "agencies": sorted(by_agency.values(), key=lambda e: (-e["overdue"], e["agency"].name)),
        "due_soon": [r for r in rows if r["status"] not in (OVERDUE, TaskStatus.DONE) and r["days_left"] is not None
                     and 0 <= r["days_left"] <= DUE_SOON_DAYS],
        "analysis": analysis,
    }


def due_within(days: int, on=None):
    on = on or today()
    return on + timedelta(days=days)

"""Who carries out each row of a target plan: the plan's tasks on that indicator with their lead and
coordinating agencies (from the plan workspace), and turning a plan into the plan's targets (chỉ tiêu)."""

from __future__ import annotations

from piiplan.web.plan.models import Goal, IndicatorTarget, Plan, Task


def owners_by_indicator(plan: Plan, codes) -> dict[str, list[dict]]:
    """``{code: [{number, content, lead, coordinating: [names]}]}`` for the plan's live tasks."""
    wanted = {str(c) for c in codes}
    out: dict[str, list[dict]] = {c: [] for c in wanted}
    tasks = (Task.objects.filter(plan=plan).select_related("lead_agency")
             .prefetch_related("coordinating_agencies").order_by("number"))
    for task in tasks:
        for code in task.indicators or []:
            if code in wanted:
                out[code].append({"number": task.number, "content": task.content, "pk": task.pk,
                                  "lead": task.lead_agency.name, "coordinating": task.coordinating_names()})
    return out


def apply_plan_rows(request, plan: Plan, rows: list[dict], label: str) -> int:
    """Set the plan's target (goal "đạt giá trị") of every plan row to its value ``to``; audited per row.
    Returns the number of targets created or changed."""
    from piiplan.web.audit.log import record, snapshot

    changed = 0
    for row in rows:
        code = str(row["code"])
        target = IndicatorTarget.objects.filter(plan=plan, indicator=code).first()
        before = snapshot(target) if target else None
        values = {"goal": Goal.VALUE, "target_value": float(row["to"]), "base_value": float(row["from"]),
                  "note": f"Từ phương án: {label}"[:300]}
        if target is not None and all(getattr(target, k) == v for k, v in values.items()):
            continue
        target, _ = IndicatorTarget.objects.update_or_create(plan=plan, indicator=code, defaults=values)
        record(request, "target_from_plan", target, before=before, after=snapshot(target), note=label[:200])
        changed += 1
    return changed

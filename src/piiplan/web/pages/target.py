"""The plan's ranking target and the distance to it.

The target is "up N places" in the PII ranking (Lạng Sơn's 2026 plan: from 29th to 25th). It comes
from the plan app when that app records one, else from ``settings.PIIPLAN_TARGET_RANK_GAIN``.
The distance is the score gap to the unit now holding the target rank.
"""

from __future__ import annotations

import math

from django.conf import settings

from piiplan.engine import Results


def plan_target(user, unit: str) -> tuple[int, str] | None:
    """The target rank of the newest plan of ``unit`` that ``user`` may see, and its wording
    (``None`` when the plan app is not installed or holds no such plan)."""
    if "piiplan.web.plan" not in settings.INSTALLED_APPS:
        return None
    from piiplan.web.accounts.access import visible_to
    from piiplan.web.plan.models import Plan

    plan = visible_to(user, Plan).filter(province=unit).order_by("-year", "-id").first()
    if plan is None:
        return None
    return plan.target_rank, plan.target_text


def lead_agencies(user) -> dict[str, list[tuple[int, str]]]:
    """Indicator code → [(agency id, name)] of the lead agencies of the newest visible plan's tasks."""
    if "piiplan.web.plan" not in settings.INSTALLED_APPS:
        return {}
    from piiplan.web.accounts.access import visible_to
    from piiplan.web.plan.models import Plan, Task

    plan = visible_to(user, Plan).order_by("-year", "-id").first()
    if plan is None:
        return {}
    out: dict[str, list[tuple[int, str]]] = {}
    # Through the access helper: an agency focal point sees the tasks its agency leads or joins.
    for task in visible_to(user, Task).filter(plan=plan).select_related("lead_agency").order_by("number"):
        for code in task.indicators or []:
            entry = (task.lead_agency_id, task.lead_agency.name)
            if entry not in out.setdefault(str(code), []):
                out[str(code)].append(entry)
    return out


def indicator_agencies(user, code: str) -> dict:
    """Who the newest visible plan makes responsible for an indicator: the lead agencies of the
    tasks aimed at it and the agency that provides its data."""
    out = {"lead": [], "data": ""}
    if "piiplan.web.plan" not in settings.INSTALLED_APPS:
        return out
    from piiplan.web.accounts.access import visible_to
    from piiplan.web.plan.models import IndicatorTarget, Plan, Task

    plan = visible_to(user, Plan).order_by("-year", "-id").first()
    if plan is None:
        return out
    leads: list[str] = []
    # The task's indicator list is a JSON array; SQLite has no "contains" lookup, and a plan has
    # about sixty tasks, so the match is made here.
    for task in visible_to(user, Task).filter(plan=plan).select_related("lead_agency").order_by("number"):
        if code in (task.indicators or []) and task.lead_agency.name not in leads:
            leads.append(task.lead_agency.name)
    target = visible_to(user, IndicatorTarget).filter(plan=plan, indicator=code).select_related("data_agency").first()
    out["lead"] = leads
    out["data"] = target.data_agency.name if target is not None and target.data_agency is not None else ""
    return out


def rank_target(res: Results, unit: str, user=None) -> dict | None:
    """The target for ``unit``: current and target rank, places to gain, the unit now at the target
    rank and the score gap to it (``None`` when the unit has no PII rank). The plan's target is
    used when ``user`` may see a plan of ``unit``; otherwise the configured gain."""
    root = res.framework.root
    rank = res.ranks.at[unit, root]
    if rank is None or math.isnan(float(rank)):
        return None
    rank = int(rank)
    planned = plan_target(user, unit) if user is not None else None
    if planned is not None:
        target, source = max(1, planned[0]), f"kế hoạch — {planned[1]}"
    else:
        target, source = max(1, rank - int(settings.PIIPLAN_TARGET_RANK_GAIN)), "cấu hình"
    score = float(res.aggregated.at[unit, root])
    ranking = res.ranking(root)
    holders = ranking[ranking["rank"] <= target].sort_values(["rank", "score"], ascending=[False, True])
    if holders.empty:
        return None
    # The unit to overtake: the lowest-placed unit at or above the target rank.
    holder = str(holders.index[0])
    holder_score = float(holders["score"].iloc[0])
    gap = max(0.0, holder_score - score) if rank > target else 0.0
    return {"rank": rank, "target": target, "gain": rank - target, "reached": rank <= target,
            "score": score, "holder": holder, "holder_score": holder_score, "gap": gap, "source": source}

"""The plan's ranking target and the distance to it.

The target is "up N places" in the PII ranking (Lạng Sơn's 2026 plan: from 29th to 25th). It comes
from the plan app when that app records one, else from ``settings.PIIPLAN_TARGET_RANK_GAIN``.
The distance is the score gap to the unit now holding the target rank.
"""

from __future__ import annotations

import importlib
import math

from django.conf import settings

from piiplan.engine import Results


def _plan_target_rank(year: int | None) -> int | None:
    """The target rank recorded in the plan app, if the app is installed and has one."""
    if "piiplan.web.plan" not in settings.INSTALLED_APPS:
        return None
    try:
        service = importlib.import_module("piiplan.web.plan.service")
    except ImportError:
        return None
    getter = getattr(service, "target_rank", None)
    if getter is None:
        return None
    try:
        value = getter(year) if year is not None else getter()
    except Exception:  # the plan may not be set up yet (no plan row): fall back on the setting
        return None
    return int(value) if value else None


def rank_target(res: Results, unit: str) -> dict | None:
    """The target for ``unit``: current and target rank, places to gain, the unit now at the target
    rank and the score gap to it (``None`` when the unit has no PII rank)."""
    root = res.framework.root
    rank = res.ranks.at[unit, root]
    if rank is None or math.isnan(float(rank)):
        return None
    rank = int(rank)
    planned = _plan_target_rank(res.year if hasattr(res, "year") else None)
    if planned is not None:
        target, source = max(1, planned), "kế hoạch"
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

"""The read-only pages: Tổng quan, Xếp hạng, Hồ sơ tỉnh, Chỉ số, Độ tin cậy.

Every view is public (published results) and decides access through ``accounts.access``; the
plan's target is shown to signed-in members only. Numbers come from ``pages.data`` (the indexdata
service, or the demo panel until that app is installed); the tables from ``pages.tables``.
"""

from __future__ import annotations

import math

from django.http import Http404
from django.shortcuts import render

from piiplan.web.accounts.access import access, allows
from piiplan.web.pages import data, tables
from piiplan.web.pages.target import rank_target


def _common(request, snap: data.Snapshot, year: int) -> dict:
    from piiplan.demo import SYNTHETIC_LABEL

    return {"year": year, "years": snap.years, "synthetic": snap.synthetic,
            "synthetic_label": SYNTHETIC_LABEL, "home": snap.home,
            "is_member": allows(request.user, "member")}


def _start(request):
    """The request's data snapshot, the year asked for (``?nam=``) and its results."""
    snap = data.snapshot()
    year = snap.pick_year(request.GET.get("nam"))
    return snap, year, snap.results(year)


@access("public")
def home(request):
    snap, year, res = _start(request)
    ctx = _common(request, snap, year)
    home = ctx["home"]
    if home not in res.units:
        # The workspace's province is missing from the data: say so instead of failing.
        return render(request, "pages/home.html", {**ctx, "missing_home": True})
    root = res.framework.root
    trend = []
    for y in ctx["years"]:
        if y > year:
            continue
        r = snap.results(y)
        if home in r.units:
            trend.append({"year": y, "score": tables._num(r.aggregated.at[home, root]),
                          "rank": tables._num(r.ranks.at[home, root])})
    previous = trend[-2] if len(trend) > 1 else None
    strengths, weaknesses = snap.strengths_weaknesses(year, home)
    ctx.update({
        "root": root, "score": tables._num(res.aggregated.at[home, root]),
        "rank": tables._num(res.ranks.at[home, root]), "n_units": len(res.units),
        "national_mean": tables._num(res.mean()[root]),
        "sub_indices": [{"code": c, "name": res.framework.name_of(c),
                         "score": tables._num(res.aggregated.at[home, c]),
                         "rank": tables._num(res.ranks.at[home, c])} for c in res.framework.children(root)],
        "previous": previous,
        "rank_change": None if previous is None or previous["rank"] is None
        else previous["rank"] - tables._num(res.ranks.at[home, root]),
        "trend": trend,
        "trend_chart": {"points": trend, "n_units": len(res.units)},
        "rank_change_abs": None if previous is None or previous["rank"] is None
        else abs(previous["rank"] - tables._num(res.ranks.at[home, root])),
        "pillars": tables.pillars_against_mean(res, home),
        "strengths": _sw_rows(strengths), "weaknesses": _sw_rows(weaknesses),
        "target": rank_target(res, home) if ctx["is_member"] else None,
    })
    return render(request, "pages/home.html", ctx)


def _sw_rows(frame) -> list[dict]:
    return [{"code": code, "name": row["name"], "rank": tables._num(row["rank"]),
             "score": tables._num(row["score"]), "raw": tables._num(row["raw"])}
            for code, row in frame.iterrows()]


@access("public")
def ranking(request):
    snap, year, res = _start(request)
    fw = res.framework
    options = tables.level_options(fw)
    code = request.GET.get("ma") or fw.root
    if code not in fw.nodes.index:
        code = fw.root
    region = request.GET.get("vung", "")
    regions = snap.regions
    if region not in regions:
        region = ""
    previous_year = snap.previous_year(year)
    previous = snap.results(previous_year) if previous_year is not None else None
    table = tables.ranking(res, code, region=region, regions=snap.region_of, names=snap.names,
                           previous=previous, sort=request.GET.get("sap", ""),
                           descending=request.GET.get("chieu") == "giam")
    ctx = _common(request, snap, year)
    ctx.update({"table": table, "options": options, "code": code, "region": region, "regions": regions,
                "previous_year": previous.year if previous is not None else None,
                "change_label": f"Thay đổi so với {previous.year}" if previous is not None else "",
                "chart": {"labels": [r["name"] for r in table["rows"]],
                          "scores": [r["values"][code] for r in table["rows"]],
                          "home": ctx["home"]}})
    return render(request, "pages/ranking.html", ctx)


@access("public")
def profile(request):
    snap, year, res = _start(request)
    unit = (request.GET.get("tinh") or "").strip()
    unit = unit if unit in res.units else snap.home
    ctx = _common(request, snap, year)
    if unit not in res.units:
        raise Http404("Không có tỉnh, thành phố này trong dữ liệu.")
    strengths, weaknesses = snap.strengths_weaknesses(year, unit)
    root = res.framework.root
    ctx.update({
        "unit": unit, "unit_name": snap.names.get(unit, unit), "region": snap.region_of.get(unit, ""),
        "units": sorted(((u, snap.names.get(u, u)) for u in res.units), key=lambda kv: tables.vi_sort_key(kv[1])),
        "rows": tables.profile(res, unit, tables.marks(res, unit, strengths, weaknesses)),
        "score": tables._num(res.aggregated.at[unit, root]), "rank": tables._num(res.ranks.at[unit, root]),
        "n_units": len(res.units), "efficiency": tables._num(res.efficiency.get(unit)),
        "pillars": tables.pillars_against_mean(res, unit),
        "strengths": _sw_rows(strengths), "weaknesses": _sw_rows(weaknesses),
    })
    return render(request, "pages/profile.html", ctx)


@access("public")
def indicators(request):
    snap, year, res = _start(request)
    ctx = _common(request, snap, year)
    home = ctx["home"] if ctx["home"] in res.units else None
    fw = res.framework
    rows = tables.indicator_list(fw, res, home)
    pillars = [{"code": p, "name": fw.name_of(p), "rows": [r for r in rows if r["pillar"] == p]}
               for p in (fw.codes_at(3) if fw.levels >= 3 else [])]
    counts = {}
    for r in rows:
        counts[r["confidence_label"]] = counts.get(r["confidence_label"], 0) + 1
    ctx.update({"pillars": pillars, "rows": rows, "n_indicators": len(rows),
                "confidence_counts": [{"label": tables.CONFIDENCE_VI[k][0], "meaning": tables.CONFIDENCE_VI[k][1],
                                       "key": k, "count": counts.get(tables.CONFIDENCE_VI[k][0], 0)}
                                      for k in tables.CONFIDENCE_VI]})
    return render(request, "pages/indicators.html", ctx)


@access("public")
def indicator(request, code: str):
    snap, year, res = _start(request)
    fw = res.framework
    if code not in fw.indicators:
        raise Http404("Không có chỉ số này trong bộ chỉ số.")
    ctx = _common(request, snap, year)
    home = ctx["home"]
    names = snap.names
    dist = tables.distribution(res, code, names)
    sheet = tables.indicator_sheet(fw, code)
    sheet["lead_agency"] = _lead_agency(code)
    position = fw.indicators.index(code)
    ctx.update({
        "sheet": sheet, "distribution": dist,
        "home_row": next((r for r in dist if r["unit"] == home), None),
        "explain": tables.explain_trail(res, home, code) if home in res.units else None,
        "mean_raw": _mean([r["value"] for r in dist]),
        "previous_code": fw.indicators[position - 1] if position > 0 else None,
        "next_code": fw.indicators[position + 1] if position + 1 < len(fw.indicators) else None,
        "chart": {"labels": [r["name"] for r in dist], "values": [r["value"] for r in dist],
                  "home": names.get(home, home), "unit_of_measure": sheet["unit_of_measure"]},
    })
    return render(request, "pages/indicator.html", ctx)


def _mean(values) -> float | None:
    present = [v for v in values if v is not None and not math.isnan(v)]
    return sum(present) / len(present) if present else None


def _lead_agency(code: str) -> str:
    """The agency the plan makes responsible for an indicator, when the plan app records it."""
    from django.conf import settings

    if "piiplan.web.plan" not in settings.INSTALLED_APPS:
        return ""
    try:
        from piiplan.web.plan import service
    except ImportError:
        return ""
    getter = getattr(service, "lead_agency_name", None)
    try:
        return str(getter(code) or "") if getter else ""
    except Exception:  # no plan loaded yet
        return ""


@access("public")
def uncertainty(request):
    snap, year, res = _start(request)
    ctx = _common(request, snap, year)
    home = ctx["home"]
    target = rank_target(res, home) if home in res.units else None
    k = target["target"] if target else max(1, len(res.units) // 2)
    mc = snap.uncertainty(year, k)
    stats = mc.rank_stats
    names = snap.names
    column = f"p_rank_le_{k}"
    rows = [{"unit": u, "name": names.get(u, u), "nominal": tables._num(s["nominal"]),
             "median": tables._num(s["median"]), "q5": tables._num(s["q5"]), "q95": tables._num(s["q95"]),
             "p": None if tables._num(s[column]) is None else 100.0 * s[column]}
            for u, s in stats.sort_values(["nominal", "median"]).iterrows()]
    ctx.update({"rows": rows, "k": k, "target": target, "replications": int(mc.ranks.shape[0]),
                "seed": data.UNCERTAINTY_SEED, "home_row": next((r for r in rows if r["unit"] == home), None),
                "chart": {"labels": [r["name"] for r in rows],
                          "intervals": [[r["q5"], r["q95"]] for r in rows],
                          "nominal": [r["nominal"] for r in rows], "home": names.get(home, home), "k": k}})
    return render(request, "pages/uncertainty.html", ctx)

"""The read-only pages: Tổng quan, Xếp hạng, Hồ sơ tỉnh, Chỉ số, Độ tin cậy.

Every view is public (published results) and decides access through ``accounts.access``; the
plan's target is shown to signed-in members only. Numbers come from ``pages.data`` (the indexdata
service, or the demo panel until that app is installed); the tables from ``pages.tables``.
"""

from __future__ import annotations

import functools
import math
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from piiplan.numbers import float_or_none
from piiplan.web.accounts.access import access, allows
from piiplan.web.pages import data, explore, tables
from piiplan.web.pages.target import indicator_agencies, lead_agencies, rank_target


def _shown(value: str) -> str:
    value = value.strip()
    return value if len(value) <= 40 else value[:40] + "…"


def _notices(request, snap: data.Snapshot, year: int) -> list[str]:
    """Vietnamese notes for query parameters that were not understood (the page shows a default)."""
    raw = request.GET.get("nam")
    if raw and raw.strip() != str(year):
        return [f"Không có số liệu năm «{_shown(raw)}»; đang hiển thị năm {year}."]
    return []


def _common(request, snap: data.Snapshot, year: int) -> dict:
    from piiplan.demo import SYNTHETIC_LABEL

    return {"year": year, "years": snap.years, "synthetic": snap.synthetic, "data_label": snap.label,
            "synthetic_label": SYNTHETIC_LABEL, "home": snap.home,
            "is_member": allows(request.user, "member"), "notices": _notices(request, snap, year)}


def _start(request):
    """The request's data snapshot, the year asked for (``?nam=``) and its results; raises
    :class:`NothingPublished` when the user may see no dataset version."""
    snap = data.snapshot(request.user)
    if snap is None:
        raise NothingPublished
    year = snap.pick_year(request.GET.get("nam"))
    return snap, year, snap.results(year)


class NothingPublished(Exception):
    pass


def _or_unpublished(title: str):
    """Show "no published results yet" instead of the page when the user may see no data."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except NothingPublished:
                return render(request, "pages/unpublished.html", {"title": title})
        return wrapper
    return decorator


def _memo_context(request, snap, year, build, *args) -> dict:
    """The page's content-derived context, in the one results cache (``indexdata.service``) keyed by the
    snapshot's content, the view, its arguments and the query string. The builds read only the query and
    the results, never the user: what depends on who asks (the target, lead agencies, notices, menus) is
    added by the view per request. Top-level lists are copied so a view's additions never reach the cache."""
    query = tuple(sorted((k, tuple(v)) for k, v in request.GET.lists()))
    ctx = snap._cached(f"page:{build.__name__}", (snap.home, snap.synthetic, snap.label, year, args, query),
                       lambda: build(request, snap, year, snap.results(year), *args))
    return {k: list(v) if isinstance(v, list) else v for k, v in ctx.items()}


def _render(request, template: str, ctx: dict, *live):
    return render(request, template, ctx)


@access("public")
@_or_unpublished("Tổng quan")
def home(request):
    snap, year, res = _start(request)
    ctx = _common(request, snap, year)
    if snap.home not in res.units:
        # The workspace's province is missing from the data: say so instead of failing.
        return _render(request, "pages/home.html", {**ctx, "missing_home": True}, snap.home, snap.synthetic)
    ctx.update(_memo_context(request, snap, year, _home))
    ctx["target"] = rank_target(res, snap.home, request.user) if ctx["is_member"] else None
    return _render(request, "pages/home.html", ctx, ctx["target"])


def _home(request, snap, year, res) -> dict:
    home = snap.home
    root = res.framework.root
    trend = []
    for y in snap.years:
        if y > year:
            continue
        r = snap.results(y)
        if home in r.units:
            trend.append({"year": y, "score": float_or_none(r.aggregated.at[home, root]),
                          "rank": float_or_none(r.ranks.at[home, root])})
    previous = trend[-2] if len(trend) > 1 else None
    strengths, weaknesses = snap.strengths_weaknesses(year, home)
    return {
        "root": root, "score": float_or_none(res.aggregated.at[home, root]),
        "rank": float_or_none(res.ranks.at[home, root]), "n_units": len(res.units),
        "national_mean": float_or_none(res.mean()[root]),
        "sub_indices": [{"code": c, "name": res.framework.name_of(c),
                         "score": float_or_none(res.aggregated.at[home, c]),
                         "rank": float_or_none(res.ranks.at[home, c])} for c in res.framework.children(root)],
        "previous": previous,
        "rank_change": None if previous is None or previous["rank"] is None
        else previous["rank"] - float_or_none(res.ranks.at[home, root]),
        "trend": trend,
        "trend_chart": {"points": trend, "n_units": len(res.units)},
        "rank_change_abs": None if previous is None or previous["rank"] is None
        else abs(previous["rank"] - float_or_none(res.ranks.at[home, root])),
        "pillars": tables.pillars_against_mean(res, home),
        "strengths": _sw_rows(strengths), "weaknesses": _sw_rows(weaknesses),
        "change": _change_rows(snap, year, home),
        "sw_query": urlencode({"tinh": home, "nam": year}),
        "trend_query": urlencode({"tinh": home, "ma": root, "nam": year}),
    }


def _change_rows(snap, year: int, unit: str) -> dict | None:
    """The index, sub-indices and pillars this year against last year, with each one's
    contribution to the change of the index score (analysis.profile)."""
    found = snap.year_change(year, unit)
    if found is None or found[0] is None or found[0].empty:
        return None
    change, summary = found
    rows = [{"code": code, "name": row["name"], "level": int(row["level"]),
             "score_prev": float_or_none(row["score_prev"]), "score": float_or_none(row["score"]),
             "score_change": float_or_none(row["score_change"]), "rank_prev": float_or_none(row["rank_prev"]),
             "rank": float_or_none(row["rank"]), "contribution": float_or_none(row["contribution"])}
            for code, row in change.iterrows() if int(row["level"]) >= 3]
    order = {code: i for i, code in enumerate(tables.tree_order(snap.framework))}
    rows.sort(key=lambda r: (-r["level"] if r["level"] > 3 else -3, order.get(r["code"], 0)))
    return {"rows": rows, "year_prev": summary.get("year_prev"),
            "rank_if_unchanged": float_or_none(summary.get("rank_if_unchanged")),
            "score_change": float_or_none(summary.get("score_change"))}


def _sw_rows(frame) -> list[dict]:
    return [{"code": code, "name": row["name"], "rank": float_or_none(row["rank"]),
             "score": float_or_none(row["score"]), "raw": float_or_none(row["raw"])}
            for code, row in frame.iterrows()]


@access("public")
@_or_unpublished("Xếp hạng")
def ranking(request):
    snap, year, res = _start(request)
    ctx = _common(request, snap, year)
    ctx.update(_memo_context(request, snap, year, _ranking))
    fw = res.framework
    asked = (request.GET.get("ma") or "").strip()
    if asked and asked not in fw.nodes.index:
        ctx["notices"].append(f"Không có mã «{_shown(asked)}» trong khung chỉ số; đang hiển thị "
                              f"{fw.name_of(ctx['code'])}.")
    region = (request.GET.get("vung") or "").strip()
    if region and region not in snap.regions:
        ctx["notices"].append(f"Không có vùng «{_shown(region)}»; đang hiển thị cả nước.")
    return _render(request, "pages/ranking.html", ctx)


def _ranking(request, snap, year, res) -> dict:
    fw = res.framework
    code = request.GET.get("ma") or fw.root
    if code not in fw.nodes.index:
        code = fw.root
    region = request.GET.get("vung", "")
    if region not in snap.regions:
        region = ""
    previous_year = snap.previous_year(year)
    previous = snap.results(previous_year) if previous_year is not None else None
    table = tables.ranking(res, code, region=region, regions=snap.region_of, names=snap.names,
                           previous=previous, sort=request.GET.get("sap", ""),
                           descending=request.GET.get("chieu") == "giam")
    return {"table": table, "options": tables.level_options(fw), "code": code, "region": region,
            "regions": snap.regions, "previous_year": previous_year,
            "change_label": f"Thay đổi so với {previous_year}" if previous_year is not None else "",
            "chart": {"labels": [r["name"] for r in table["rows"]],
                      "scores": [r["values"][code] for r in table["rows"]], "home": snap.home}}


def _unit_asked(asked: str, units, default):
    """The unit a visitor typed or linked (with or without diacritics, a former name's successor), else
    ``default``."""
    from piiplan.reference import ReferenceDataError, match_unit

    if not asked:
        return default
    try:
        return match_unit(asked, units)
    except ReferenceDataError:
        return default


@access("public")
@_or_unpublished("Hồ sơ tỉnh")
def profile(request):
    snap, year, res = _start(request)
    asked = (request.GET.get("tinh") or "").strip()
    unit = _unit_asked(asked, res.units, snap.home)
    if unit not in res.units:
        raise Http404("Không có tỉnh, thành phố này trong dữ liệu.")
    ctx = _common(request, snap, year)
    ctx.update(_memo_context(request, snap, year, _profile, unit))
    if asked and unit == snap.home and _unit_asked(asked, res.units, None) is None:
        ctx["notices"].append(f"Không có tỉnh «{_shown(asked)}»; đang hiển thị {snap.names.get(unit, unit)}.")
    return _render(request, "pages/profile.html", ctx)


def _profile(request, snap, year, res, unit: str) -> dict:
    strengths, weaknesses = snap.strengths_weaknesses(year, unit)
    root = res.framework.root
    rows = tables.profile(res, unit, tables.marks(res, unit, strengths, weaknesses))
    regional = explore.regional_mean(res, unit, snap.region_of)
    for r in rows:
        r["regional_mean"] = float_or_none(regional[r["code"]]) if regional is not None else None
    pillars = tables.pillars_against_mean(res, unit)
    if regional is not None:
        pillars["regional"] = [float_or_none(regional[c]) for c in pillars["codes"]]
        pillars["region"] = snap.region_of.get(unit, "")
    return {
        "unit": unit, "unit_name": snap.names.get(unit, unit), "region": snap.region_of.get(unit, ""),
        "units": sorted(((u, snap.names.get(u, u)) for u in res.units), key=lambda kv: tables.vi_sort_key(kv[1])),
        "rows": rows,
        "score": float_or_none(res.aggregated.at[unit, root]), "rank": float_or_none(res.ranks.at[unit, root]),
        "n_units": len(res.units), "efficiency": float_or_none(res.efficiency.get(unit)),
        "pillars": pillars, "peers": _peers(snap, year, res, unit),
        "export_query": urlencode({"tinh": unit, "nam": year}),
        "strengths": _sw_rows(strengths), "weaknesses": _sw_rows(weaknesses),
    }


def _peers(snap, year, res, unit: str) -> dict:
    """Provinces like ``unit``: closest by the Input score and by GRDP per head (pages.explore)."""
    grdp = explore.grdp_per_head(snap.dataset, year)
    return {"by_input": explore.peers(res, unit, snap.names, by="dau-vao", measure=explore.input_scores(res)),
            "by_grdp": explore.peers(res, unit, snap.names, by="grdp", measure=grdp),
            "own_input": explore.input_scores(res).get(unit), "own_grdp": grdp.get(unit)}


@access("public")
@_or_unpublished("Sổ tay chỉ số")
def indicators(request):
    snap, year, _ = _start(request)
    ctx = _common(request, snap, year)
    ctx.update(_memo_context(request, snap, year, _indicators))
    leads = lead_agencies(request.user) if ctx["is_member"] else {}
    own = getattr(request.user, "agency_id", None)
    ctx["leads"] = {code: {"names": "; ".join(name for _, name in entries),
                           "own": own is not None and any(pk == own for pk, _ in entries)}
                    for code, entries in leads.items()}
    ctx["show_leads"] = ctx["is_member"] and "piiplan.web.plan" in settings.INSTALLED_APPS
    return _render(request, "pages/indicators.html", ctx, sorted(ctx["leads"].items()), ctx["show_leads"])


def _indicators(request, snap, year, res) -> dict:
    home = snap.home if snap.home in res.units else None
    fw = res.framework
    rows = tables.indicator_list(fw, res, home)
    pillars = [{"code": p, "name": fw.name_of(p), "rows": [r for r in rows if r["pillar"] == p]}
               for p in (fw.codes_at(3) if fw.levels >= 3 else [])]
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["confidence"]] = counts.get(r["confidence"], 0) + 1
    return {"pillars": pillars, "rows": rows, "n_indicators": len(rows),
            "confidence_counts": [{"label": label, "meaning": meaning, "key": key, "count": counts.get(key, 0)}
                                  for key, (label, meaning) in tables.CONFIDENCE_VI.items()]}


@access("public")
@_or_unpublished("Chỉ số")
def indicator(request, code: str):
    snap, year, res = _start(request)
    if code not in res.framework.indicators:
        raise Http404("Không có chỉ số này trong bộ chỉ số.")
    ctx = _common(request, snap, year)
    ctx.update(_memo_context(request, snap, year, _indicator, code))
    ctx["agencies"] = indicator_agencies(request.user, code) if ctx["is_member"] else None
    return _render(request, "pages/indicator.html", ctx, ctx["agencies"])


def _indicator(request, snap, year, res, code: str) -> dict:
    fw = res.framework
    home = snap.home
    dist = tables.distribution(res, code, snap.names)
    sheet = tables.indicator_sheet(fw, code)
    position = fw.indicators.index(code)
    return {
        "sheet": sheet, "distribution": dist, "export_query": urlencode({"ma": code, "nam": year}),
        "home_row": next((r for r in dist if r["unit"] == home), None),
        "explain": tables.explain_trail(res, home, code) if home in res.units else None,
        "mean_raw": _mean([r["value"] for r in dist]),
        "previous_code": fw.indicators[position - 1] if position > 0 else None,
        "next_code": fw.indicators[position + 1] if position + 1 < len(fw.indicators) else None,
        "chart": {"labels": [r["name"] for r in dist], "values": [r["value"] for r in dist],
                  "home": snap.names.get(home, home), "unit_of_measure": sheet["unit_of_measure"]},
    }


def _mean(values) -> float | None:
    present = [v for v in values if v is not None and not math.isnan(v)]
    return sum(present) / len(present) if present else None


@access("public")
@_or_unpublished("Độ tin cậy của xếp hạng")
def uncertainty(request):
    snap, year, res = _start(request)
    ctx = _common(request, snap, year)
    target = rank_target(res, snap.home, request.user) if snap.home in res.units else None
    k = target["target"] if target else max(1, len(res.units) // 2)
    ctx.update(_memo_context(request, snap, year, _uncertainty, k))
    ctx["target"] = target
    return _render(request, "pages/uncertainty.html", ctx, target)


def _uncertainty(request, snap, year, res, k: int) -> dict:
    home = snap.home
    mc = snap.uncertainty(year, k)
    stats = mc.rank_stats
    names = snap.names
    column = f"p_rank_le_{k}"
    rows = [{"unit": u, "name": names.get(u, u), "nominal": float_or_none(s["nominal"]),
             "median": float_or_none(s["median"]), "q5": float_or_none(s["q5"]), "q95": float_or_none(s["q95"]),
             "p": None if float_or_none(s[column]) is None else 100.0 * s[column]}
            for u, s in stats.sort_values(["nominal", "median"]).iterrows()]
    return {"rows": rows, "k": k, "replications": int(mc.ranks.shape[0]), "seed": data.UNCERTAINTY_SEED,
            "home_row": next((r for r in rows if r["unit"] == home), None),
            "chart": {"labels": [r["name"] for r in rows], "intervals": [[r["q5"], r["q95"]] for r in rows],
                      "nominal": [r["nominal"] for r in rows], "home": names.get(home, home), "k": k}}

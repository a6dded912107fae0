"""The explorer pages: Bản đồ (tile map), So sánh, Xu hướng, and the public Phương pháp page.

Same rules as ``pages.views``: public, the dataset version the user may see (``data.snapshot``),
results from the one content-keyed cache (``indexdata.service``), contexts built per request. Unknown provinces,
codes or years in the query give a Vietnamese notice and a default, never an error.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render

from piiplan.web.accounts.access import access
from piiplan.web.pages import data, explore, tables
from piiplan.web.pages.templatetags.pagetools import terms
from piiplan.web.pages.views import (_change_rows, _common, _memo_context, _or_unpublished, _render, _shown,
                                     _start)

BY_VI = {"diem": "Điểm", "hang": "Hạng"}


def resolve_unit(snap, res, asked: str) -> tuple[str | None, str]:
    return explore.resolve_unit(snap.names, res.units, asked)


def pick_unit(snap, res, asked: str, notices: list[str]) -> str:
    """``asked`` if known, else the home province (or the first one) with a notice."""
    unit, reason = resolve_unit(snap, res, asked)
    default = snap.home if snap.home in res.units else res.units[0]
    if unit is None:
        if (asked or "").strip():
            notices.append(_unknown_unit(asked, reason, f"đang hiển thị {snap.names.get(default, default)}"))
        return default
    return unit


def _unknown_unit(asked: str, reason: str, then: str) -> str:
    if "tỉnh cũ" in reason:
        return f"{reason} ({then}.)"
    return f"Không có tỉnh «{_shown(asked)}»; {then}."


def pick_code(fw, asked: str, notices: list[str], *, default: str | None = None) -> str:
    asked = (asked or "").strip()
    default = default or fw.root
    if asked and asked in fw.nodes.index:
        return asked
    if asked:
        notices.append(f"Không có mã «{_shown(asked)}» trong khung chỉ số; đang hiển thị {tables.label_of(fw, default)}.")
    return default


def all_results(snap) -> dict:
    return {y: snap.results(y) for y in snap.years}


# ---- Bản đồ ---------------------------------------------------------------------------------------
@access("public")
@_or_unpublished("Bản đồ")
def tile_map(request):
    snap, year, res = _start(request)
    ctx = _common(request, snap, year)
    pick_code(res.framework, request.GET.get("ma"), ctx["notices"])
    by = (request.GET.get("kieu") or "diem").strip()
    if by not in BY_VI:
        ctx["notices"].append(f"Không có cách tô màu «{_shown(by)}»; đang tô theo điểm.")
    ctx.update(_memo_context(request, snap, year, _tile_map))
    return _render(request, "pages/map.html", ctx)


def _tile_map(request, snap, year, res) -> dict:
    fw = res.framework
    code = pick_code(fw, request.GET.get("ma"), [])
    by = request.GET.get("kieu") if request.GET.get("kieu") in BY_VI else "diem"
    data = {**explore.tile_map(res, code, by, snap.names), "home": snap.home}
    return {"map": data, "code": code, "by": by, "by_options": BY_VI, "options": explore.measure_options(fw),
            "export_query": urlencode({"ma": code, "kieu": by, "nam": year})}


# ---- So sánh --------------------------------------------------------------------------------------
def selection(request, snap, res, notices: list[str]) -> list[str]:
    """The provinces asked for (``?tinh=…`` repeated), known ones only, 2–6 of them; the default
    selection when fewer than two are known."""
    asked = [a for a in request.GET.getlist("tinh") if a.strip()]
    chosen: list[str] = []
    for a in asked:
        unit, reason = resolve_unit(snap, res, a)
        if unit is None:
            notices.append(_unknown_unit(a, reason, "đã bỏ qua"))
        elif unit not in chosen:
            chosen.append(unit)
    if len(chosen) > explore.MAX_COMPARE:
        notices.append(f"Chỉ so sánh được tối đa {explore.MAX_COMPARE} tỉnh; đang hiển thị {explore.MAX_COMPARE} tỉnh đầu tiên.")
        chosen = chosen[:explore.MAX_COMPARE]
    if len(chosen) < explore.MIN_COMPARE:
        if asked:
            notices.append("Cần chọn ít nhất 2 tỉnh để so sánh; đang hiển thị nhóm tỉnh gợi ý.")
        chosen = explore.default_selection(res, snap.home, snap.region_of)
    return chosen


@access("public")
@_or_unpublished("So sánh các tỉnh")
def compare(request):
    snap, year, res = _start(request)
    ctx = _common(request, snap, year)
    selection(request, snap, res, ctx["notices"])
    ctx.update(_memo_context(request, snap, year, _compare))
    return _render(request, "pages/compare.html", ctx)


def _compare(request, snap, year, res) -> dict:
    units = selection(request, snap, res, [])
    results = all_results(snap)
    root = res.framework.root
    comp = explore.comparison(res, units, snap.names)
    ranks = explore.ranks_over_years(results, units, root)
    query = urlencode([("tinh", u) for u in units] + [("nam", year)])
    return {
        "selected": units, "comparison": comp, "differing": explore.differing_indicators(res, units),
        "ranks_years": ranks, "n_units": len(res.units),
        "slots": [units[i] if i < len(units) else "" for i in range(explore.MAX_COMPARE)],
        "all_units": sorted(((u, snap.names.get(u, u)) for u in res.units), key=lambda kv: tables.vi_sort_key(kv[1])),
        "radar": comp["radar"],
        "ranks_chart": {"labels": [str(r["year"]) for r in ranks], "n_units": len(res.units),
                        "series": [{"label": u["name"], "values": [r["cells"][i]["rank"] for r in ranks]}
                                   for i, u in enumerate(comp["units"])]},
        "export_query": query,
    }


# ---- Xu hướng -------------------------------------------------------------------------------------
@access("public")
@_or_unpublished("Xu hướng")
def trends(request):
    snap, year, res = _start(request)
    ctx = _common(request, snap, year)
    pick_unit(snap, res, request.GET.get("tinh"), ctx["notices"])
    pick_code(res.framework, request.GET.get("ma"), ctx["notices"])
    ctx.update(_memo_context(request, snap, year, _trends))
    return _render(request, "pages/trends.html", ctx)


def _trends(request, snap, year, res) -> dict:
    unit = pick_unit(snap, res, request.GET.get("tinh"), [])
    fw = res.framework
    code = pick_code(fw, request.GET.get("ma"), [])
    results = all_results(snap)
    rows = explore.trend(results, unit, code, snap.region_of, snap.names)
    region = snap.region_of.get(unit, "")
    name = snap.names.get(unit, unit)
    return {
        "unit": unit, "unit_name": name, "region": region, "code": code, "code_label": tables.label_of(fw, code),
        "indicator": int(fw.nodes.at[code, "level"]) == 1,
        "unit_of_measure": str(fw.nodes.at[code, "unit"] or ""),
        "rows": rows, "chart": explore.trend_chart(rows, name, region),
        "levels": explore.levels_over_years(results, unit),
        "options": explore.measure_options(fw),
        "units": sorted(((u, snap.names.get(u, u)) for u in res.units), key=lambda kv: tables.vi_sort_key(kv[1])),
        "change": _change_rows(snap, year, unit),
        "export_query": urlencode({"tinh": unit, "ma": code, "nam": year}),
    }


# ---- Phương pháp ----------------------------------------------------------------------------------
@access("public")
def method(request):
    """How the PII is built, for the public: framework, treatment, normalisation, aggregation,
    Input/Output, the confidence of each indicator of the shipped list, what is synthetic, how to
    read ranks and the uncertainty page. Static text plus the framework's own lists."""
    from piiplan.demo import SYNTHETIC_LABEL

    snap = data.snapshot(request.user)
    fw = snap.framework if snap is not None else data._demo_inputs()[0]
    ctx = snap._cached("method", (), lambda: _method_context(fw)) if snap is not None else _method_context(fw)
    return render(request, "pages/method.html", {
        **ctx, "synthetic": snap.synthetic if snap is not None else True, "synthetic_label": SYNTHETIC_LABEL,
        "data_label": snap.label if snap is not None else "",
        "replications": data.UNCERTAINTY_REPLICATIONS, "seed": data.UNCERTAINTY_SEED,
    })


def _method_context(fw) -> dict:
    rows = tables.indicator_list(fw)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["confidence"]] = counts.get(r["confidence"], 0) + 1
    pillars = [{"code": p, "name": fw.name_of(p), "sub_index": fw.name_of(fw.parent(p)),
                "rows": [r for r in rows if r["pillar"] == p]} for p in (fw.codes_at(3) if fw.levels >= 3 else [])]
    return {"pillars": pillars, "n_indicators": len(rows),
            "confidence": [{"key": k, "label": label, "meaning": meaning, "count": counts.get(k, 0)}
                           for k, (label, meaning) in tables.CONFIDENCE_VI.items()],
            "terms": sorted(terms().items())}


"""The JSON API's time series and comparison endpoints (described in ``openapi.yaml``).

``/series``: one province's score and rank at any code in every year, with the national and regional
means and the best province. ``/compare``: 2–6 provinces side by side at one level, and their ranks
over the years. Same visibility as the rest of the API (``api.source_for``). An unknown province,
code or year is not an error here: the answer uses the default and says so in ``notices``
(Vietnamese), as the explorer pages do.
"""

from __future__ import annotations

from piiplan.numbers import float_or_none as _num
from piiplan.web.accounts.access import access
from piiplan.web.indexdata import service
from piiplan.web.indexdata.api import (ApiError, _level, _meta, _rank, _unit_info, api_view, level_names,
                                      source_for)
from piiplan.web.pages import explore


def _shown(value: str) -> str:
    value = value.strip()
    return value if len(value) <= 40 else value[:40] + "…"


def _year(request, dataset, notices: list[str]) -> int:
    raw = (request.GET.get("year") or "").strip()
    latest = int(dataset.years[-1])
    if not raw:
        return latest
    if raw.isdigit() and int(raw) in dataset.years:
        return int(raw)
    notices.append(f"Không có số liệu năm «{_shown(raw)}»; dùng năm {latest}.")
    return latest


def _resolve(dataset, asked: str) -> str | None:
    from piiplan.reference import ReferenceDataError, match_unit

    try:
        return match_unit(asked, dataset.units.index)
    except ReferenceDataError:
        return None


def _regions(dataset) -> dict[str, str]:
    if "region" not in dataset.units.columns:
        return {}
    return {str(u): str(r) for u, r in dataset.units["region"].items()}


def _names(dataset) -> dict[str, str]:
    if "name" not in dataset.units.columns:
        return {str(u): str(u) for u in dataset.units.index}
    return {str(u): str(n or u) for u, n in dataset.units["name"].items()}


def _all_results(framework, dataset) -> dict:
    return {int(y): service.results(int(y), dataset=dataset, framework=framework) for y in dataset.years}


def _home(dataset) -> str:
    home = str(service.home_unit())
    return home if home in dataset.units.index else str(dataset.units.index[0])


@access("public")
@api_view
def api_series(request):
    framework, dataset, version = source_for(request)
    notices: list[str] = []
    asked = request.GET.get("unit") or ""
    unit = _resolve(dataset, asked)
    if unit is None:
        unit = _home(dataset)
        if asked.strip():
            notices.append(f"Không có tỉnh «{_shown(asked)}»; dùng {unit}.")
    code = (request.GET.get("code") or "").strip() or framework.root
    if code not in framework.nodes.index:
        notices.append(f"Không có mã «{_shown(code)}» trong khung chỉ số; dùng {framework.root}.")
        code = framework.root
    key = ("api_series", *service.content_key(framework, dataset, service.current_recipe()), unit, code)
    rows = service.cached(key, lambda: explore.trend(_all_results(framework, dataset), unit, code,
                                                       _regions(dataset), _names(dataset)))
    level = int(framework.nodes.at[code, "level"])
    series = [{"year": r["year"], "score": r["score"], "rank": _rank(r["rank"]), "value": r["value"],
               "national_mean": r["national_mean"], "regional_mean": r["regional_mean"],
               "best": {"unit": str(r["best_unit"]), "name": r["best_name"], "score": r["best_score"]},
               "n_units": r["n_units"]} for r in rows]
    return {**_meta(dataset, version, int(dataset.years[-1])), **_unit_info(dataset, unit),
            "code": code, "code_name": framework.name_of(code),
            "level": level_names(framework).get(level, str(level)), "series": series, "notices": notices}


@access("public")
@api_view
def api_compare(request):
    framework, dataset, version = source_for(request)
    notices: list[str] = []
    year = _year(request, dataset, notices)
    level = 3 if framework.levels >= 3 else framework.levels
    if request.GET.get("level"):
        try:
            level = _level(request, framework)
        except ApiError as exc:
            notices.append(f"{exc} Đang dùng level={level_names(framework).get(level, level)}.")
    res = service.results(year, dataset=dataset, framework=framework)
    chosen: list[str] = []
    for asked in request.GET.getlist("unit"):
        unit = _resolve(dataset, asked)
        if unit is None or unit not in res.units:
            notices.append(f"Không có tỉnh «{_shown(asked)}»; đã bỏ qua.")
        elif unit not in chosen:
            chosen.append(unit)
    if len(chosen) > explore.MAX_COMPARE:
        notices.append(f"Chỉ so sánh được tối đa {explore.MAX_COMPARE} tỉnh; dùng {explore.MAX_COMPARE} tỉnh đầu tiên.")
        chosen = chosen[:explore.MAX_COMPARE]
    if len(chosen) < explore.MIN_COMPARE:
        if request.GET.getlist("unit"):
            notices.append("Cần ít nhất 2 tỉnh để so sánh; dùng nhóm tỉnh gợi ý.")
        chosen = explore.default_selection(res, _home(dataset), _regions(dataset))
    key = ("api_compare", *service.content_key(framework, dataset, service.current_recipe()), year, level, tuple(chosen))
    body = service.cached(key, lambda: _comparison(framework, dataset, res, year, level, chosen))
    return {**_meta(dataset, version, year), **body, "notices": notices}


def _comparison(framework, dataset, res, year: int, level: int, chosen: list[str]) -> dict:
    codes = framework.codes_at(level)
    mean = res.mean()
    ranks = explore.ranks_over_years(_all_results(framework, dataset), chosen, framework.root)
    units = [{**_unit_info(dataset, u),
              "scores": {c: _num(res.aggregated.at[u, c]) for c in codes},
              "ranks": {c: _rank(res.ranks.at[u, c]) for c in codes},
              "rank_history": [{"year": r["year"], "rank": _rank(r["cells"][i]["rank"])} for r in ranks]}
             for i, u in enumerate(chosen)]
    return {"level": level_names(framework).get(level, str(level)),
            "codes": [{"code": c, "name": framework.name_of(c)} for c in codes],
            "national_mean": {c: _num(mean[c]) for c in codes},
            "differing": [{"code": d["code"], "name": d["name"], "spread": d["spread"]}
                          for d in explore.differing_indicators(res, chosen)],
            "units": units}



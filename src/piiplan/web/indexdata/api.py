"""The read-only JSON API: rankings, unit profiles, indicators (described in ``openapi.yaml``).

Everyone may call it; what they see is decided by the access helper: the dataset version shown is
the active one if the caller may see it (DoST staff and leaders always; visitors and agencies only
when it is published), otherwise the most recent version the caller may see. With no versions in
the database the shipped demo panel is shown (it is labelled synthetic in every answer).
"""

from __future__ import annotations

import functools
import math
from importlib import resources

import yaml
from django.http import Http404, JsonResponse

from piiplan.numbers import float_or_none
from piiplan.web.accounts.access import access
from piiplan.web.indexdata import service

PII_LEVEL_NAMES = {1: "indicator", 2: "sub_pillar", 3: "pillar", 4: "sub_index", 5: "index"}


class ApiError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def api_view(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            body = view(request, *args, **kwargs)
        except ApiError as exc:
            return JsonResponse({"error": str(exc)}, status=exc.status)
        except Http404 as exc:
            return JsonResponse({"error": str(exc) or "Không tìm thấy."}, status=404)
        response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "allow_nan": False})
        response["Cache-Control"] = "private, max-age=60"
        return response

    return wrapper



def _rank(value):
    value = float_or_none(value)
    return None if value is None else int(value)


def source_for(request):
    """(framework, dataset, version or None) the caller may see (``service.visible_inputs``)."""
    chosen = service.visible_inputs(request.user)
    if chosen is None:
        raise Http404("Chưa có kết quả nào được công bố.")
    return chosen


def _year(request, dataset) -> int:
    raw = request.GET.get("year")
    if not raw:
        return dataset.years[-1]
    try:
        year = int(raw)
    except ValueError:
        raise ApiError(f"Năm «{raw[:20]}» không hợp lệ.") from None
    if year not in dataset.years:
        raise ApiError(f"Không có số liệu năm {year}; các năm có: {', '.join(map(str, dataset.years))}.", 404)
    return year


def level_names(framework) -> dict[int, str]:
    if framework.levels == 5:
        return dict(PII_LEVEL_NAMES)
    return {1: "indicator", framework.levels: "index"}


def _level(request, framework) -> int:
    raw = (request.GET.get("level") or "index").strip()
    names = level_names(framework)
    by_name = {name: level for level, name in names.items()}
    if raw in by_name:
        return by_name[raw]
    if raw.isdigit() and 1 <= int(raw) <= framework.levels:
        return int(raw)
    raise ApiError(f"Cấp «{raw[:20]}» không hợp lệ; dùng {', '.join(by_name)} hoặc số 1–{framework.levels}.")


def _meta(dataset, version, year) -> dict:
    synthetic = service.is_synthetic() if version is None else bool(version.synthetic)
    return {
        "year": year,
        "years": dataset.years,
        "dataset": {"version": version.pk if version else None,
                    "name": version.name if version else "Dữ liệu mô phỏng đi kèm phần mềm",
                    "imported_at": version.at.isoformat() if version else None},
        "synthetic": synthetic,
        "label": service.synthetic_label() if synthetic else "",
    }


def _unit_info(dataset, unit) -> dict:
    row = dataset.units.loc[unit] if unit in dataset.units.index else {}
    return {"unit": str(unit), "name": str(row.get("name", unit) or unit),
            "region": str(row.get("region", "")) or None}


@access("public")
@api_view
def api_rankings(request):
    framework, dataset, version = source_for(request)
    year = _year(request, dataset)
    level = _level(request, framework)
    res = service.results(year, dataset=dataset, framework=framework)
    codes = framework.codes_at(level)
    first = codes[0]
    order = res.ranks[first].sort_values(na_position="last").index
    rows = []
    for unit in order:
        rows.append({**_unit_info(dataset, unit),
                     "scores": {c: float_or_none(res.aggregated.at[unit, c]) for c in codes},
                     "ranks": {c: _rank(res.ranks.at[unit, c]) for c in codes}})
    return {**_meta(dataset, version, year), "level": level_names(framework).get(level, str(level)),
            "codes": [{"code": c, "name": framework.name_of(c)} for c in codes], "units": rows}


@access("public")
@api_view
def api_unit(request, unit):
    framework, dataset, version = source_for(request)
    year = _year(request, dataset)
    if unit not in dataset.units.index:
        raise ApiError(f"Không có đơn vị «{unit[:60]}».", 404)
    res = service.results(year, dataset=dataset, framework=framework)
    raw = res.stage("raw")
    means = res.mean()
    names = level_names(framework)
    nodes = []
    for code in framework.codes:
        level = int(framework.nodes.at[code, "level"])
        nodes.append({
            "code": code, "name": framework.name_of(code), "level": names.get(level, str(level)),
            "parent": framework.parent(code),
            "value": float_or_none(raw.at[unit, code]) if level == 1 and code in raw.columns else None,
            "score": float_or_none(res.aggregated.at[unit, code]), "rank": _rank(res.ranks.at[unit, code]),
            "mean": float_or_none(means.get(code)),
        })
    return {**_meta(dataset, version, year), **_unit_info(dataset, unit), "n_units": len(res.units),
            "nodes": nodes}


def _indicator_meta(framework, code) -> dict:
    row = framework.nodes.loc[code]
    ancestors = framework.ancestors(code)

    def text(column):
        value = row.get(column)
        return None if value is None or (isinstance(value, float) and math.isnan(value)) or value == "" \
            else str(value)

    # ``source`` is the reference list's original (English); ``source_vi`` is what users read
    # (frameworks uploaded without a ``source_vi`` column fall back to ``source``).
    return {"code": code, "name_vi": framework.name_of(code), "name_en": text("name_en"), "unit": text("unit"),
            "direction": int(row["direction"]), "weight": float_or_none(row["weight"]), "source": text("source"),
            "source_vi": text("source_vi") or text("source"), "confidence": text("confidence"),
            "parent": framework.parent(code),
            "pillar": next((a for a in ancestors if int(framework.nodes.at[a, "level"]) == 3), None)
            if framework.levels == 5 else None}


@access("public")
@api_view
def api_indicators(request):
    framework, dataset, version = source_for(request)
    return {"framework": framework.name, "fingerprint": framework.fingerprint,
            "indicators": [_indicator_meta(framework, c) for c in framework.indicators]}


@access("public")
@api_view
def api_indicator(request, code):
    framework, dataset, version = source_for(request)
    if code not in framework.indicators:
        raise ApiError(f"Không có chỉ số «{code[:40]}» trong khung chỉ số.", 404)
    year = _year(request, dataset)
    res = service.results(year, dataset=dataset, framework=framework)
    raw = res.stage("raw")
    units = []
    for unit in res.ranks[code].sort_values(na_position="last").index:
        units.append({**_unit_info(dataset, unit), "value": float_or_none(raw.at[unit, code]),
                      "score": float_or_none(res.aggregated.at[unit, code]), "rank": _rank(res.ranks.at[unit, code])})
    return {**_meta(dataset, version, year), "indicator": _indicator_meta(framework, code),
            "mean": float_or_none(res.mean().get(code)), "units": units}


@functools.lru_cache(maxsize=1)
def openapi_document() -> dict:
    path = resources.files("piiplan.web.indexdata").joinpath("static", "indexdata", "openapi.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@access("public")
def api_openapi(request):
    return JsonResponse(openapi_document(), json_dumps_params={"ensure_ascii": False})

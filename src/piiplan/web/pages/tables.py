"""What the read-only pages show, as plain rows: rankings, profiles, indicator sheets, explain trails.

Pure functions of engine results and the framework (no requests, no templates), so each table can
be tested on its own and reused by the JSON API or the reports.
"""

from __future__ import annotations

import math

import pandas as pd

from piiplan.engine import Framework, Results
from piiplan.numbers import MISSING, float_or_none

# Vietnamese names of the framework's levels, counted from the top (the index) down.
LEVEL_FROM_TOP_VI = ["Chỉ số tổng hợp", "Chỉ số thành phần", "Trụ cột", "Nhóm chỉ số", "Chỉ số"]

CONFIDENCE_VI = {
    "confirmed": ("đã xác nhận", "Tên, vị trí và nguồn của chỉ số đã được đối chiếu với tài liệu công bố."),
    "name-confirmed": ("xác nhận tên", "Tên chỉ số có trong tài liệu công bố; vị trí hoặc cách tính là suy luận."),
    "inferred": ("suy luận", "Chỉ số được suy ra từ các nguồn gián tiếp, chưa thấy trong tài liệu chính thức."),
    "placeholder": ("tạm thời", "Chỉ số giữ chỗ: chưa có thông tin công bố, cần thay khi có số liệu chính thức."),
}

STAGE_VI = {
    "raw": "Số liệu thô",
    "denominated": "Chia theo mẫu số",
    "screened": "Sau sàng lọc",
    "imputed": "Sau ước tính giá trị thiếu",
    "treated": "Sau xử lý ngoại lai",
    "normalised": "Điểm chuẩn hoá (0–100)",
}



def vi_sort_key(text: str) -> tuple[str, str]:
    """Vietnamese alphabetical order, near enough for names: letters without their marks first
    (Đ with D, Â with A), then the text itself to separate "Hà" and "Hạ"."""
    from piiplan.reference import fold

    return fold(text).casefold(), str(text)


def level_label(fw: Framework, code: str) -> str:
    depth = fw.levels - int(fw.nodes.at[code, "level"])
    if int(fw.nodes.at[code, "level"]) == 1:
        return LEVEL_FROM_TOP_VI[-1]
    return LEVEL_FROM_TOP_VI[min(depth, len(LEVEL_FROM_TOP_VI) - 2)]


def tree_order(fw: Framework) -> list[str]:
    """Every code, depth first from the index: PII, INPUT, 1, 1.1, 1.1.1, …"""
    out: list[str] = []

    def walk(code: str) -> None:
        out.append(code)
        for child in fw.children(code):
            walk(child)

    walk(fw.root)
    return out


def level_options(fw: Framework) -> list[dict]:
    """The codes a ranking can be shown at: the index, sub-indices, pillars and sub-pillars."""
    return [{"code": c, "label": label_of(fw, c), "level": int(fw.nodes.at[c, "level"])}
            for c in tree_order(fw) if int(fw.nodes.at[c, "level"]) > 1]


def label_of(fw: Framework, code: str) -> str:
    if code == fw.root:
        return f"Chỉ số {code}"
    return f"{code}. {fw.name_of(code)}" if code[:1].isdigit() else fw.name_of(code)


def short_label(fw: Framework, code: str) -> str:
    """Column header: the code for numbered nodes, the name for the sub-indices and the index."""
    if code == fw.root:
        return code
    return code if code[:1].isdigit() else fw.name_of(code).replace("Chỉ số thành phần ", "").capitalize()


# ---- Xếp hạng --------------------------------------------------------------------------------------
def ranking(res: Results, code: str, *, region: str = "", regions: dict[str, str] | None = None,
            names: dict[str, str] | None = None, previous: Results | None = None,
            sort: str = "", descending: bool = False) -> dict:
    """The units ranked at ``code`` with their score, the scores of ``code``'s children and the
    change of rank since ``previous``; filtered to one ``region`` and sorted by any column."""
    fw = res.framework
    children = fw.children(code) if int(fw.nodes.at[code, "level"]) > 1 else []
    columns = [{"key": code, "label": "Điểm", "code": code}] + [
        {"key": c, "label": short_label(fw, c), "code": c, "title": fw.name_of(c)} for c in children]
    scores, ranks = res.aggregated, res.ranks
    rows = []
    for unit in res.units:
        reg = str(regions.get(unit, "")) if regions is not None else ""
        if region and reg != region:
            continue
        prev_rank = None
        if previous is not None and unit in previous.units and code in previous.ranks.columns:
            prev_rank = float_or_none(previous.ranks.at[unit, code])
        rank = float_or_none(ranks.at[unit, code])
        rows.append({
            "unit": unit, "name": (names or {}).get(unit, unit), "region": reg, "rank": rank,
            "values": {c["key"]: float_or_none(scores.at[unit, c["key"]]) for c in columns},
            "child_ranks": {c: float_or_none(ranks.at[unit, c]) for c in children},
            "change": None if prev_rank is None or rank is None else prev_rank - rank,
        })
    key = sort if sort in {"name", "region", "rank", "change"} | {c["key"] for c in columns} else "rank"

    def value_of(row):
        if key in ("name", "region"):
            return vi_sort_key(row[key])
        if key in ("rank", "change"):
            return row[key]
        return row["values"][key]

    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0.0, vi_sort_key(r["name"])))
    default_desc = key not in ("rank", "name", "region")
    desc = descending if sort else default_desc
    # Missing values go last whatever the direction; ties keep the rank order.
    present = sorted((r for r in rows if value_of(r) is not None), key=value_of, reverse=desc)
    rows = present + [r for r in rows if value_of(r) is None]
    mean = res.mean()
    return {"code": code, "label": label_of(fw, code), "columns": columns, "rows": rows, "sort": key,
            "descending": desc,
            "national_mean": {c["key"]: float_or_none(mean[c["key"]]) for c in columns},
            "n_units": len(res.units)}


# ---- Hồ sơ tỉnh ------------------------------------------------------------------------------------
def marks(res: Results, unit: str, strengths: pd.DataFrame, weaknesses: pd.DataFrame,
          n_sub_pillars: int = 3) -> dict[str, str]:
    """code → "strength" | "weakness": the analysis's indicator strengths and weaknesses, and the
    ``n_sub_pillars`` best- and worst-ranked sub-pillars of the unit (ties by score, then code)."""
    out = {c: "strength" for c in strengths.index}
    out.update({c: "weakness" for c in weaknesses.index})
    fw = res.framework
    if fw.levels >= 3:
        subs = [c for c in fw.codes_at(2) if not math.isnan(float(res.ranks.at[unit, c]))]
        best = sorted(subs, key=lambda c: (res.ranks.at[unit, c], -res.aggregated.at[unit, c]))
        worst = sorted(subs, key=lambda c: (-res.ranks.at[unit, c], res.aggregated.at[unit, c]))
        out.update({c: "strength" for c in best[:n_sub_pillars]})
        out.update({c: "weakness" for c in worst[:n_sub_pillars] if c not in best[:n_sub_pillars]})
    return out


def profile(res: Results, unit: str, unit_marks: dict[str, str] | None = None) -> list[dict]:
    """Every level of the framework for ``unit``, depth first: value (raw for indicators), score,
    rank, national mean score and the strength/weakness mark."""
    fw = res.framework
    raw = res.stage("raw")
    mean = res.mean()
    rows = []
    for code in tree_order(fw):
        level = int(fw.nodes.at[code, "level"])
        indicator = level == 1
        rows.append({
            "code": code, "name": fw.name_of(code), "level": level, "level_label": level_label(fw, code),
            "depth": fw.levels - level, "indicator": indicator,
            "value": float_or_none(raw.at[unit, code]) if indicator and code in raw.columns else None,
            "unit_of_measure": fw.nodes.at[code, "unit"] if indicator else "",
            "score": float_or_none(res.aggregated.at[unit, code]), "rank": float_or_none(res.ranks.at[unit, code]),
            "national_mean": float_or_none(mean[code]),
            "mark": (unit_marks or {}).get(code, ""),
        })
    return rows


def pillars_against_mean(res: Results, unit: str) -> dict:
    """Chart data: the unit's pillar scores against the national mean."""
    fw = res.framework
    pillars = fw.codes_at(3) if fw.levels >= 3 else fw.codes_at(max(1, fw.levels - 1))
    mean = res.mean()
    return {"labels": [f"{c}. {fw.name_of(c)}" for c in pillars], "codes": list(pillars),
            "unit": [float_or_none(res.aggregated.at[unit, c]) for c in pillars],
            "national": [float_or_none(mean[c]) for c in pillars],
            "ranks": [float_or_none(res.ranks.at[unit, c]) for c in pillars]}


def indicator_list(fw: Framework, res: Results | None = None, unit: str | None = None) -> list[dict]:
    rows = []
    for code in fw.indicators:
        node = fw.nodes.loc[code]
        conf = str(node.get("confidence") or "")
        rows.append({
            "code": code, "name": fw.name_of(code), "unit_of_measure": node.get("unit") or "",
            "pillar": next((a for a in fw.ancestors(code) if int(fw.nodes.at[a, "level"]) == 3), ""),
            "confidence": conf, "confidence_label": CONFIDENCE_VI.get(conf, (conf or MISSING, ""))[0],
            "score": float_or_none(res.aggregated.at[unit, code]) if res is not None and unit else None,
            "rank": float_or_none(res.ranks.at[unit, code]) if res is not None and unit else None,
        })
    return rows


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()


def source_vi(fw: Framework, code: str) -> str:
    """The data source users read: ``source_vi``, or ``source`` for a framework without a translation."""
    node = fw.nodes.loc[code]
    return _text(node.get("source_vi")) or _text(node.get("source"))


def indicator_sheet(fw: Framework, code: str) -> dict:
    node = fw.nodes.loc[code]
    conf = str(node.get("confidence") or "")
    label, meaning = CONFIDENCE_VI.get(conf, (conf or MISSING, ""))
    direction = int(node.get("direction") or 1)
    source = source_vi(fw, code)
    return {
        "code": code, "name": fw.name_of(code), "name_en": node.get("name_en") or "",
        "unit_of_measure": node.get("unit") or "", "source": source or "",
        "direction": direction, "direction_label": "thuận (cao hơn là tốt hơn)" if direction > 0
        else "nghịch (thấp hơn là tốt hơn)",
        "weight": float_or_none(node.get("weight")), "confidence": conf, "confidence_label": label,
        "confidence_meaning": meaning,
        "path": [{"code": a, "name": fw.name_of(a), "level_label": level_label(fw, a)}
                 for a in reversed(fw.ancestors(code))],
    }


def distribution(res: Results, code: str, names: dict[str, str] | None = None) -> list[dict]:
    """Every unit's raw value, score and rank on one indicator, best first."""
    raw = res.stage("raw")
    rows = [{"unit": u, "name": (names or {}).get(u, u),
             "value": float_or_none(raw.at[u, code]) if code in raw.columns else None,
             "score": float_or_none(res.aggregated.at[u, code]), "rank": float_or_none(res.ranks.at[u, code])}
            for u in res.units]
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, vi_sort_key(r["name"])))
    return rows


def explain_trail(res: Results, unit: str, code: str) -> dict:
    """``Results.explain`` with Vietnamese stage names and the step-to-step changes."""
    info = res.explain(unit, code)
    trail = []
    previous = None
    for step in info.get("trail", []):
        value = float_or_none(step["value"])
        trail.append({"stage": step["stage"], "label": STAGE_VI.get(step["stage"], step["stage"]),
                      "value": value, "changed": previous is not None and value is not None
                      and step["stage"] != "normalised" and abs(value - previous) > 1e-12})
        if step["stage"] != "normalised":
            previous = value
    treatment = info.get("treatment") or {}
    contributions = [{"code": c["code"], "name": c["name"],
                      "share": None if c.get("weight_share") is None else 100.0 * c["weight_share"],
                      "points": float_or_none(c.get("points"))} for c in info.get("contributions", [])]
    return {"trail": trail, "imputed": bool(info.get("imputed")), "denominator": info.get("denominator"),
            "treatment_vi": treatment.get("rule_vi", ""), "treatment_fired": treatment.get("indicator_rule"),
            "contributions": contributions, "score": float_or_none(info.get("score")), "rank": float_or_none(info.get("rank")),
            "mean": float_or_none(info.get("mean"))}

"""What the explorer pages show, as plain rows: the tile map, comparisons, trends and peers.

Pure functions of engine results (one ``Results`` per year), the framework and the dataset's units —
no request, no template — so the pages, the CSV/XLSX exports and the JSON API use the same rows.
The tile map's layout is package data (``data/reference/tile-map-34.csv``: one equal tile per
province, placed by its position; no boundaries, so no licence question).
"""

from __future__ import annotations

import functools
import math
from importlib import resources

import pandas as pd

from piiplan.engine import Framework, Results
from piiplan.numbers import float_or_none as _num
from piiplan.web.pages.tables import label_of, tree_order, vi_sort_key

MAX_COMPARE = 6
MIN_COMPARE = 2
N_CLASSES = 5


@functools.lru_cache(maxsize=1)
def tile_layout() -> dict[str, tuple[int, int]]:
    """Province name → (column, row) of its tile."""
    path = resources.files("piiplan").joinpath("data", "reference", "tile-map-34.csv")
    with path.open(encoding="utf-8") as fh:
        frame = pd.read_csv(fh, dtype={"name": str, "col": int, "row": int}, keep_default_na=False)
    return {str(r["name"]): (int(r["col"]), int(r["row"])) for _, r in frame.iterrows()}


def measure_options(fw: Framework) -> list[dict]:
    """Every code a map can be coloured by: the index, sub-indices, pillars, sub-pillars, indicators."""
    return [{"code": c, "label": label_of(fw, c), "level": int(fw.nodes.at[c, "level"])} for c in tree_order(fw)]


def _abbrev(name: str) -> str:
    """A tile's short label: "Thành phố Hồ Chí Minh" → "TP.HCM", "Lạng Sơn" → "Lạng Sơn"."""
    if name == "Thành phố Hồ Chí Minh":
        return "TP.HCM"
    return name


def tile_map(res: Results, code: str, by: str, names: dict[str, str]) -> dict:
    """The tiles of the map coloured by ``code``'s score (``by="diem"``) or rank (``by="hang"``).

    Each tile has its position, the score, rank (and raw value for an indicator) and a class 1…5
    (5 = best): by rank, fifths of the ranking; by score, five equal bands between the lowest and
    the highest score. The rank (or score) is written in each tile, so the map reads without colour."""
    fw = res.framework
    layout = tile_layout()
    raw = res.stage("raw")
    indicator = int(fw.nodes.at[code, "level"]) == 1
    n = len(res.units)
    tiles = []
    for unit in res.units:
        name = names.get(unit, unit)
        col, row = layout.get(name, layout.get(unit, (None, None)))
        score = _num(res.aggregated.at[unit, code])
        rank = _num(res.ranks.at[unit, code])
        tiles.append({"unit": unit, "name": name, "short": _abbrev(name), "col": col, "row": row,
                      "score": score, "rank": None if rank is None else int(rank),
                      "value": _num(raw.at[unit, code]) if indicator and code in raw.columns else None})
    _classify(tiles, by, n)
    placed = [t for t in tiles if t["col"] is not None]
    classes = []
    for c in range(N_CLASSES, 0, -1):
        members = [t for t in tiles if t["cls"] == c]
        if members:
            ranks = [t["rank"] for t in members]
            scores = [t["score"] for t in members if t["score"] is not None]
            classes.append({"cls": c, "rank_from": min(ranks), "rank_to": max(ranks),
                            "score_from": min(scores) if scores else None, "score_to": max(scores) if scores else None,
                            "count": len(members)})
    tiles.sort(key=lambda t: (t["rank"] is None, t["rank"] or 0, vi_sort_key(t["name"])))
    return {"code": code, "label": label_of(fw, code), "by": by, "indicator": indicator,
            "unit_of_measure": str(fw.nodes.at[code, "unit"] or "") if indicator else "",
            "tiles": tiles, "classes": classes, "n_units": n,
            "cols": 1 + max((t["col"] for t in placed), default=0),
            "rows": 1 + max((t["row"] for t in placed), default=0),
            "unplaced": [t["name"] for t in tiles if t["col"] is None],
            "mean": _num(res.mean()[code])}


def _classify(tiles: list[dict], by: str, n: int) -> None:
    if by == "hang":
        for t in tiles:
            t["cls"] = None if t["rank"] is None else N_CLASSES - min(N_CLASSES - 1, (t["rank"] - 1) * N_CLASSES // n)
        return
    scores = [t["score"] for t in tiles if t["score"] is not None]
    low, high = (min(scores), max(scores)) if scores else (0.0, 0.0)
    for t in tiles:
        if t["score"] is None:
            t["cls"] = None
        elif high <= low:
            t["cls"] = N_CLASSES
        else:
            t["cls"] = 1 + min(N_CLASSES - 1, int((t["score"] - low) / (high - low) * N_CLASSES))


def resolve_unit(names: dict[str, str], units, asked: str) -> tuple[str | None, str]:
    """(the unit ``asked`` names, "") — its code, its name, or any spelling ``reference.match_unit``
    knows ("lang son", "TP.HCM") — or (None, the Vietnamese reason: unknown, or a former province
    and its successor)."""
    from piiplan.reference import ReferenceDataError, match_unit

    asked = (asked or "").strip()
    if not asked:
        return None, ""
    by_name = {name: code for code, name in names.items()}
    if asked in by_name and by_name[asked] in units:
        return by_name[asked], ""
    try:
        return match_unit(asked, units), ""
    except ReferenceDataError as exc:
        return None, str(exc)


# ---- Compare --------------------------------------------------------------------------------------
def default_selection(res: Results, home: str, region_of: dict[str, str], n: int = 5) -> list[str]:
    """The home province, its region's two best-ranked provinces and its nearest neighbours in
    rank (one above, one below): ``n`` provinces at most, the home province first."""
    root = res.framework.root
    order = [u for u in res.ranks[root].sort_values(na_position="last").index]
    if home not in order:
        return order[:3]
    chosen = [home]
    region = region_of.get(home, "")
    leaders = [u for u in order if region and region_of.get(u) == region and u != home][:2]
    chosen += leaders
    i = order.index(home)
    for j in (i - 1, i + 1, i - 2, i + 2):
        if 0 <= j < len(order) and order[j] not in chosen and len(chosen) < n:
            chosen.append(order[j])
    return chosen[:n]


def comparison(res: Results, units: list[str], names: dict[str, str]) -> dict:
    """Scores and ranks of ``units`` side by side at the index, sub-indices, pillars and sub-pillars,
    with the national mean; the radar's data (pillar scores)."""
    fw = res.framework
    mean = res.mean()
    rows = []
    for code in tree_order(fw):
        level = int(fw.nodes.at[code, "level"])
        if level < 2:
            continue
        rows.append({"code": code, "name": fw.name_of(code), "level": level, "depth": fw.levels - level,
                     "cells": [{"score": _num(res.aggregated.at[u, code]), "rank": _num(res.ranks.at[u, code])}
                               for u in units],
                     "national_mean": _num(mean[code])})
    pillars = fw.codes_at(3) if fw.levels >= 3 else fw.codes_at(max(1, fw.levels - 1))
    radar = {"labels": [f"{c}. {fw.name_of(c)}" for c in pillars],
             "series": [{"label": names.get(u, u), "values": [_num(res.aggregated.at[u, c]) for c in pillars]}
                        for u in units]}
    return {"units": [{"unit": u, "name": names.get(u, u)} for u in units], "rows": rows, "radar": radar}


def differing_indicators(res: Results, units: list[str], top: int = 10) -> list[dict]:
    """The indicators on which ``units`` differ most: the widest spread of scores (ties by code)."""
    fw = res.framework
    raw = res.stage("raw")
    out = []
    for code in fw.indicators:
        scores = [_num(res.aggregated.at[u, code]) for u in units]
        present = [s for s in scores if s is not None]
        if len(present) < 2:
            continue
        out.append({"code": code, "name": fw.name_of(code), "unit_of_measure": str(fw.nodes.at[code, "unit"] or ""),
                    "spread": max(present) - min(present),
                    "cells": [{"score": s, "rank": _num(res.ranks.at[u, code]),
                               "value": _num(raw.at[u, code]) if code in raw.columns else None}
                              for u, s in zip(units, scores)]})
    out.sort(key=lambda r: (-r["spread"], [int(p) if p.isdigit() else p for p in r["code"].split(".")]))
    return out[:top]


def ranks_over_years(results: dict[int, Results], units: list[str], code: str) -> list[dict]:
    """One row per year: each unit's rank and score at ``code`` (``None`` where it is missing)."""
    rows = []
    for year, res in sorted(results.items()):
        cells = []
        for u in units:
            present = u in res.units and code in res.ranks.columns
            cells.append({"rank": _num(res.ranks.at[u, code]) if present else None,
                          "score": _num(res.aggregated.at[u, code]) if present else None})
        rows.append({"year": year, "cells": cells})
    return rows


# ---- Trends ---------------------------------------------------------------------------------------
def trend(results: dict[int, Results], unit: str, code: str, region_of: dict[str, str],
          names: dict[str, str]) -> list[dict]:
    """One row per year: the unit's score and rank at ``code``, the national and regional mean
    scores and the best province (its name and score); the raw value too for an indicator."""
    region = region_of.get(unit, "")
    rows = []
    for year, res in sorted(results.items()):
        if code not in res.aggregated.columns:
            continue
        column = res.aggregated[code]
        peers = [u for u in res.units if region and region_of.get(u) == region]
        best = res.ranks[code].sort_values(na_position="last").index[0] if len(res.units) else None
        raw = res.stage("raw")
        present = unit in res.units
        rows.append({
            "year": year,
            "score": _num(column.get(unit)) if present else None,
            "rank": _num(res.ranks.at[unit, code]) if present else None,
            "value": _num(raw.at[unit, code]) if present and code in raw.columns else None,
            "national_mean": _num(column.mean()),
            "regional_mean": _num(column[peers].mean()) if peers else None,
            "best_unit": best, "best_name": names.get(best, best) if best else "",
            "best_score": _num(column.get(best)) if best else None,
            "n_units": len(res.units),
        })
    return rows


def trend_chart(rows: list[dict], unit_name: str, region: str) -> dict:
    return {"labels": [str(r["year"]) for r in rows],
            "series": [{"label": unit_name, "values": [r["score"] for r in rows], "main": True},
                       {"label": "Trung bình cả nước", "values": [r["national_mean"] for r in rows]},
                       {"label": f"Trung bình vùng {region}" if region else "Trung bình vùng",
                        "values": [r["regional_mean"] for r in rows]},
                       {"label": "Tỉnh dẫn đầu", "values": [r["best_score"] for r in rows],
                        "names": [r["best_name"] for r in rows]}]}


def levels_over_years(results: dict[int, Results], unit: str) -> dict:
    """The unit's score and rank at the index, sub-indices and pillars in every year."""
    years = sorted(results)
    fw = next(iter(results.values())).framework if results else None
    rows = []
    if fw is None:
        return {"years": years, "rows": rows}
    for code in tree_order(fw):
        level = int(fw.nodes.at[code, "level"])
        if level < 3:
            continue
        cells = []
        for y in years:
            res = results[y]
            present = unit in res.units
            cells.append({"score": _num(res.aggregated.at[unit, code]) if present else None,
                          "rank": _num(res.ranks.at[unit, code]) if present else None})
        rows.append({"code": code, "name": fw.name_of(code), "level": level, "cells": cells})
    return {"years": years, "rows": rows}


# ---- Peers ----------------------------------------------------------------------------------------
def regional_mean(res: Results, unit: str, region_of: dict[str, str]) -> pd.Series | None:
    """Mean score of every code over the unit's region (``None`` without regions)."""
    region = region_of.get(unit, "")
    peers = [u for u in res.units if region and region_of.get(u) == region]
    if not peers:
        return None
    return res.aggregated.loc[peers].mean()


def grdp_per_head(dataset, year: int) -> dict[str, float]:
    """GRDP per head (million VND) of every unit in ``year`` from the dataset's denominators
    (``grdp`` in trillion VND, ``population`` in thousand people, as in the demo panel and the
    import template); empty when the dataset has no such denominators."""
    den = getattr(dataset, "denominators", None)
    if den is None or not len(den) or "name" not in den.columns:
        return {}
    sub = den[den["year"].astype(int) == int(year)]
    table = sub.pivot_table(index="unit", columns="name", values="value", aggfunc="first")
    if "grdp" not in table.columns or "population" not in table.columns:
        return {}
    out = {}
    for unit, row in table.iterrows():
        g, p = _num(row["grdp"]), _num(row["population"])
        if g is not None and p:
            out[str(unit)] = 1000.0 * g / p
    return out


def peers(res: Results, unit: str, names: dict[str, str], *, by: str, measure: dict[str, float],
          n: int = 5) -> list[dict]:
    """The ``n`` provinces closest to ``unit`` on ``measure`` (unit → number), with their PII
    result. ``by`` names the measure ("dau-vao": the Input sub-index score; "grdp": GRDP per head)."""
    if unit not in measure:
        return []
    root = res.framework.root
    mine = measure[unit]
    others = [(abs(v - mine), vi_sort_key(names.get(u, u)), u) for u, v in measure.items()
              if u != unit and u in res.units and v is not None and not math.isnan(v)]
    others.sort()
    return [{"unit": u, "name": names.get(u, u), "measure": measure[u], "distance": d,
             "score": _num(res.aggregated.at[u, root]), "rank": _num(res.ranks.at[u, root])}
            for d, _, u in others[:n]]


def input_scores(res: Results) -> dict[str, float]:
    """Every unit's Input sub-index score (the framework's first sub-index; the index itself when
    the framework has no sub-indices)."""
    fw = res.framework
    code = "INPUT" if "INPUT" in fw.nodes.index else (fw.children(fw.root) or [fw.root])[0]
    return {u: v for u, v in ((u, _num(res.aggregated.at[u, code])) for u in res.units) if v is not None}

"""Carry raw indicator values of the 63 former provinces onto the 34 provinces formed in 2025.

The official PII editions 2023 and 2024 covered 63 provinces; from 2025 there are 34. To compare
years, the earlier raw values are rebuilt on the 34-province map, indicator by indicator, with the
rule named in the framework's ``merge`` column:

``sum``
    The indicator is a total (or a share of a national total): the parts are added.
``popmean``
    An index or survey score (PCI, PAPI, PAR INDEX, DTI, HDI…): the population-weighted mean of the
    parts. The score of a merged province was never measured, so this is an approximation.
``wmean:<denominator>``
    A rate or a per-capita value: the mean of the parts weighted by the indicator's denominator
    (``population``, ``grdp``, ``enterprises``, ``labour``…), which is exact when the denominator
    is the true one.

Missing values (see ``docs/data.md``): a ``sum`` with a missing part is NA (or, with
``sum_missing="scale:<weight>"``, the available sum scaled up by the share of that weight it
covers); a weighted mean uses the available parts with their weights renormalised. Both cases are
flagged in the log. A successor formed from one former province keeps its value exactly.

Pure pandas; the function never reads package data itself (weights and mapping are arguments).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["MergeError", "carry_over", "derive_weight", "parse_rule", "rules_from_framework"]

VALUE_COLUMNS = ("unit", "indicator", "year", "value")
LOG_COLUMNS = [
    "unit", "indicator", "year", "rule", "status", "approximate", "n_parts", "n_used",
    "missing_parts", "message",
]


class MergeError(ValueError):
    """The carry-over cannot be done; ``str(error)`` is a Vietnamese message for the user."""


def parse_rule(rule: str) -> tuple[str, str | None]:
    """``"sum"`` → ``("sum", None)``; ``"popmean"`` → ``("wmean", "population")``;
    ``"wmean:grdp"`` → ``("wmean", "grdp")``. Raises `MergeError` for anything else."""
    text = str(rule).strip()
    if text == "sum":
        return "sum", None
    if text == "popmean":
        return "wmean", "population"
    if text.startswith("wmean:") and text[len("wmean:"):].strip():
        return "wmean", text[len("wmean:"):].strip()
    raise MergeError(
        f"Quy tắc gộp “{rule}” không hợp lệ. Dùng “sum”, “popmean” hoặc “wmean:<mẫu số>” "
        "(ví dụ “wmean:population”)."
    )


def rules_from_framework(nodes: pd.DataFrame) -> dict[str, str]:
    """Indicator code → merge rule, from a framework table with ``merge`` and ``level`` columns
    (``Framework.nodes``, or the framework CSV read with ``index_col="code"``)."""
    if "merge" not in nodes.columns:
        raise MergeError("Bộ chỉ số không có cột “merge” (quy tắc gộp khi sáp nhập tỉnh).")
    table = nodes
    if "level" in table.columns:
        table = table[pd.to_numeric(table["level"]) == 1]
    merge = table["merge"].astype("string").fillna("").str.strip()
    return {str(code): str(rule) for code, rule in merge.items() if rule}


def _as_mapping(mapping) -> dict[str, str]:
    if isinstance(mapping, pd.DataFrame):
        if "successor" not in mapping.columns:
            raise MergeError("Bảng sáp nhập phải có cột “successor” (tỉnh mới).")
        mapping = mapping["successor"]
    if isinstance(mapping, pd.Series):
        if mapping.index.has_duplicates:
            dup = ", ".join(sorted(map(str, mapping.index[mapping.index.duplicated()].unique())))
            raise MergeError(f"Bảng sáp nhập có tỉnh cũ lặp lại: {dup}.")
        mapping = mapping.to_dict()
    if not isinstance(mapping, Mapping):
        raise MergeError("Bảng sáp nhập phải là ánh xạ tỉnh cũ → tỉnh mới.")
    return {str(k): str(v) for k, v in mapping.items()}


def _weights_long(weights: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Weights as a frame indexed by (unit, year). Accepts a frame indexed by unit (the same
    weights every year) or a long frame with ``unit`` and ``year`` columns."""
    if {"unit", "year"} <= set(weights.columns):
        out = weights.copy()
        out["unit"] = out["unit"].astype(str)
        out["year"] = out["year"].astype(int)
        if out.duplicated(["unit", "year"]).any():
            raise MergeError("Bảng trọng số có dòng (tỉnh, năm) lặp lại.")
        return out.set_index(["unit", "year"])
    static = weights.copy()
    static.index = static.index.astype(str)
    static.index.name = "unit"
    frames = [static.assign(year=int(y)).reset_index() for y in years]
    return pd.concat(frames, ignore_index=True).set_index(["unit", "year"])


def derive_weight(values: pd.DataFrame, weights: pd.DataFrame, name: str, indicator: str,
                  base: str = "population", scale: float = 1.0,
                  fill: str = "median") -> pd.DataFrame:
    """Add a denominator derived from an indicator: ``name = value(indicator) × base × scale``.

    For example the number of enterprises from enterprise density per 1,000 people with the
    population in thousands: ``derive_weight(values, w, "enterprises", "4.2.2")``. Returns the
    weights in long form (``unit``, ``year``, weight columns) for the years of ``values``.

    Where the indicator is missing for a unit and year, ``fill="median"`` (default) uses that
    year's median of the indicator over all units (an approximation, like any derived weight);
    ``fill="none"`` leaves NaN, so `carry_over` refuses a part that needs it.
    """
    if fill not in {"median", "none"}:
        raise MergeError(f"Tuỳ chọn fill “{fill}” không hợp lệ: dùng “median” hoặc “none”.")
    years = sorted(int(y) for y in pd.unique(values["year"]))
    long = _weights_long(weights, years)
    if base not in long.columns:
        raise MergeError(f"Thiếu cột trọng số “{base}” để tính “{name}”.")
    src = values[values["indicator"].astype(str) == str(indicator)].copy()
    src["unit"] = src["unit"].astype(str)
    src["year"] = src["year"].astype(int)
    src["value"] = pd.to_numeric(src["value"], errors="coerce").astype(float)
    ratio = src.set_index(["unit", "year"])["value"].reindex(long.index)
    if fill == "median":
        medians = src.groupby("year")["value"].median()
        year_of = long.index.get_level_values("year")
        ratio = ratio.fillna(pd.Series(year_of.map(medians), index=long.index, dtype=float))
    long[name] = ratio * long[base].astype(float) * scale
    return long.reset_index()


def _check_values(values: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in VALUE_COLUMNS if c not in values.columns]
    if missing:
        raise MergeError("Bảng số liệu thiếu cột: " + ", ".join(missing) + ".")
    out = values.loc[:, list(VALUE_COLUMNS)].copy()
    out["unit"] = out["unit"].astype(str)
    out["indicator"] = out["indicator"].astype(str)
    out["year"] = out["year"].astype(int)
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype(float)
    dup = out.duplicated(["unit", "indicator", "year"])
    if dup.any():
        first = out[dup].iloc[0]
        raise MergeError(
            f"Số liệu lặp lại: tỉnh {first['unit']}, chỉ số {first['indicator']}, "
            f"năm {first['year']}."
        )
    return out


def carry_over(values: pd.DataFrame, mapping, rules, weights: pd.DataFrame, *,
               sum_missing: str = "na") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rebuild former-province raw values on the successor map.

    Parameters
    ----------
    values : DataFrame
        Long table ``unit, indicator, year, value`` of former provinces (NaN = missing).
    mapping : dict, Series or DataFrame
        Former province → successor (a DataFrame needs a ``successor`` column, e.g.
        `piiplan.reference.former_provinces`).
    rules : dict or DataFrame
        Indicator code → rule (``sum``, ``popmean``, ``wmean:<weight>``), or a framework table
        with a ``merge`` column.
    weights : DataFrame
        Former provinces' weights: indexed by unit (same every year) or long with ``unit`` and
        ``year``; one column per weight name (``population``, ``grdp``…). Only relative sizes
        within a successor matter.
    sum_missing : str
        ``"na"`` (default): a sum with a missing part is NA. ``"scale:<weight>"``: the available
        parts' sum × (total weight / weight of the available parts).

    Returns
    -------
    (values34, log) : the long table on the successors, and one log row per (successor,
    indicator, year) with ``status`` "kept" (one former province, value copied), "merged",
    "partial" (some parts missing, weights renormalised or sum scaled) or "missing" (NA).
    """
    vals = _check_values(values)
    succ = _as_mapping(mapping)
    if isinstance(rules, pd.DataFrame):
        rules = rules_from_framework(rules)
    rules = {str(k): str(v) for k, v in dict(rules).items()}

    unknown = sorted(set(vals["unit"]) - set(succ))
    if unknown:
        raise MergeError(
            "Tỉnh cũ không có trong bảng sáp nhập (63 → 34): " + ", ".join(unknown) + "."
        )
    indicators = list(dict.fromkeys(vals["indicator"]))
    no_rule = [code for code in indicators if code not in rules]
    if no_rule:
        raise MergeError("Chỉ số chưa có quy tắc gộp (cột “merge”): " + ", ".join(no_rule) + ".")
    parsed = {code: parse_rule(rules[code]) for code in indicators}
    scale_weight = None
    if sum_missing != "na":
        scale_weight = sum_missing[len("scale:"):].strip() if sum_missing.startswith("scale:") else ""
        if not scale_weight:
            raise MergeError(
                f"Tuỳ chọn sum_missing “{sum_missing}” không hợp lệ: dùng “na” hoặc "
                "“scale:<trọng số>” (ví dụ “scale:population”)."
            )

    years = sorted(pd.unique(vals["year"]).tolist())
    w = _weights_long(weights, years)
    needed = {wn for _, wn in parsed.values() if wn} | ({scale_weight} if scale_weight else set())
    absent = sorted(needed - set(w.columns))
    if absent:
        raise MergeError("Thiếu cột trọng số: " + ", ".join(absent) + ".")

    # The grid: every part of every successor that appears in the data, for every
    # (indicator, year) present in the data. Parts without a row count as missing.
    present = set(vals["unit"])
    successors = list(dict.fromkeys(s for f, s in succ.items() if f in present))
    parts = pd.DataFrame(
        [(s, f) for f, s in succ.items() if s in set(successors)], columns=["successor", "unit"]
    )
    n_parts = parts.groupby("successor")["unit"].size()
    pairs = vals[["indicator", "year"]].drop_duplicates()
    grid = parts.merge(pairs, how="cross").merge(vals, on=["unit", "indicator", "year"], how="left")
    grid["method"] = grid["indicator"].map(lambda c: parsed[c][0])
    grid["wname"] = grid["indicator"].map(lambda c: parsed[c][1])
    grid["rule"] = grid["indicator"].map(rules)
    grid["has"] = grid["value"].notna()

    # Look up each row's weight (by rule) in the long weight table.
    grid["w"] = np.nan
    key = pd.MultiIndex.from_arrays([grid["unit"], grid["year"]])
    for wname in needed:
        col = w[wname].astype(float).reindex(key).to_numpy()
        sel = (grid["wname"] == wname).to_numpy()
        grid.loc[sel, "w"] = col[sel]
        if scale_weight == wname:
            grid["w_scale"] = col
    multi = grid["successor"].map(n_parts) > 1
    bad = grid[multi & grid["has"] & (grid["method"] == "wmean")
               & ~(grid["w"].notna() & (grid["w"] >= 0))]
    if not bad.empty:
        row = bad.iloc[0]
        raise MergeError(
            f"Thiếu hoặc sai trọng số “{row['wname']}” của {row['unit']} năm {row['year']} "
            f"(cần cho chỉ số {row['indicator']})."
        )

    grid["wv"] = np.where(grid["has"], grid["w"] * grid["value"], 0.0)
    grid["w_used"] = np.where(grid["has"], grid["w"], 0.0)
    grid["v0"] = grid["value"].fillna(0.0)
    keys = ["successor", "indicator", "year"]
    agg = grid.groupby(keys, sort=False).agg(
        rule=("rule", "first"), method=("method", "first"), wname=("wname", "first"),
        n_used=("has", "sum"), sum_v=("v0", "sum"), sum_wv=("wv", "sum"), sum_w=("w_used", "sum"),
        first_v=("value", "first"),
    )
    missing_names = (grid[~grid["has"]].groupby(keys, sort=False)["unit"]
                     .agg(lambda s: "; ".join(s)))
    agg["missing_parts"] = missing_names.reindex(agg.index).fillna("")
    agg["n_parts"] = agg.index.get_level_values("successor").map(n_parts).to_numpy()
    if scale_weight:
        grid["ws_all"] = grid["w_scale"]
        grid["ws_used"] = np.where(grid["has"], grid["w_scale"], 0.0)
        sc = grid.groupby(keys, sort=False)[["ws_all", "ws_used"]].sum(min_count=1)
        agg = agg.join(sc)

    value = np.full(len(agg), np.nan)
    status = np.empty(len(agg), dtype=object)
    message = np.empty(len(agg), dtype=object)
    for i, r in enumerate(agg.itertuples()):
        value[i], status[i], message[i] = _combine(r, scale_weight)

    idx = agg.index.to_frame(index=False)
    out = pd.DataFrame({
        "unit": idx["successor"], "indicator": idx["indicator"], "year": idx["year"],
        "value": value,
    })
    log = pd.DataFrame({
        "unit": idx["successor"], "indicator": idx["indicator"], "year": idx["year"],
        "rule": agg["rule"].to_numpy(), "status": status,
        "approximate": (agg["rule"] == "popmean").to_numpy(),
        "n_parts": agg["n_parts"].to_numpy(), "n_used": agg["n_used"].to_numpy().astype(int),
        "missing_parts": agg["missing_parts"].to_numpy(), "message": message,
    })
    order = {s: i for i, s in enumerate(successors)}
    ind_order = {c: i for i, c in enumerate(indicators)}
    sort_key = pd.DataFrame({
        "u": out["unit"].map(order), "i": out["indicator"].map(ind_order), "y": out["year"]
    })
    perm = sort_key.sort_values(["u", "i", "y"], kind="stable").index
    out = out.loc[perm].reset_index(drop=True)
    log = log.loc[perm].reset_index(drop=True)[LOG_COLUMNS]
    return out, log


def _combine(r, scale_weight: str | None) -> tuple[float, str, str]:
    """Value, status and Vietnamese message of one (successor, indicator, year)."""
    if r.n_parts == 1:
        if r.n_used == 1:
            return float(r.first_v), "kept", ""
        return np.nan, "missing", "Không có số liệu."
    if r.n_used == 0:
        return np.nan, "missing", f"Không có số liệu của tỉnh cũ nào ({r.missing_parts})."
    complete = r.n_used == r.n_parts
    if r.method == "sum":
        if complete:
            return float(r.sum_v), "merged", ""
        if scale_weight is None:
            return (np.nan, "missing",
                    f"Thiếu số liệu của {r.missing_parts}: không cộng dồn được nên để trống.")
        if not (r.ws_used > 0 and np.isfinite(r.ws_all)):
            return (np.nan, "missing",
                    f"Thiếu số liệu của {r.missing_parts} và không đủ trọng số “{scale_weight}” "
                    "để ước tính phần thiếu.")
        return (float(r.sum_v * r.ws_all / r.ws_used), "partial",
                f"Thiếu số liệu của {r.missing_parts}: tổng được ước tính theo tỷ trọng "
                f"“{scale_weight}” của các tỉnh cũ có số liệu.")
    if r.sum_w <= 0:
        return (np.nan, "missing",
                f"Tổng trọng số “{r.wname}” của các tỉnh cũ có số liệu bằng 0.")
    mean = float(r.sum_wv / r.sum_w)
    if complete:
        note = "Chỉ số dạng điểm: bình quân theo dân số (xấp xỉ)." if r.rule == "popmean" else ""
        return mean, "merged", note
    return (mean, "partial",
            f"Thiếu số liệu của {r.missing_parts}: bình quân gia quyền theo “{r.wname}” của các "
            "tỉnh cũ còn lại (trọng số chuẩn hoá lại).")

"""``build(framework, data, recipe) → Results``: the whole pipeline as one pure function.

Internally everything is numpy on a units × indicators array; DataFrames appear only at the edges
(input and the lazily-built tables of :class:`Results`). A 34 × 52 build takes well under a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from piiplan.engine import aggregate as agg
from piiplan.engine import normalise as norm
from piiplan.engine.denominate import denominate
from piiplan.engine.errors import Problem, RecipeError
from piiplan.engine.framework import Framework
from piiplan.engine.impute import impute
from piiplan.engine.rank import rank_min
from piiplan.engine.recipe import Recipe, preset
from piiplan.engine.screen import screen
from piiplan.engine.treat import treat


@dataclass
class Structure:
    """The framework compiled for computation: codes per level and one weight matrix per level."""

    indicators: list[str]
    direction: np.ndarray
    level_codes: list[list[str]]          # level_codes[0] = indicators, [1] = level 2, …
    matrices: list[np.ndarray]            # matrices[k]: (len(level_codes[k]), len(level_codes[k+1]))

    @property
    def codes(self) -> list[str]:
        return [c for level in self.level_codes for c in level]


def _skeleton(fw: Framework) -> dict:
    """Weight-independent layout of the framework, computed once per framework object."""
    sk = fw.__dict__.get("_skeleton")
    if sk is None:
        level_codes = [fw.codes_at(lv) for lv in range(1, fw.levels + 1)]
        parents = fw.nodes["parent"].to_dict()
        links = []
        for lower, upper in zip(level_codes[:-1], level_codes[1:]):
            pos = {c: j for j, c in enumerate(upper)}
            links.append(np.array([pos[parents[c]] for c in lower], dtype=int))
        base = fw.weights().to_dict()
        sk = {"level_codes": level_codes, "links": links, "base": base, "direction": fw.direction()}
        fw.__dict__["_skeleton"] = sk
    return sk


def compile_framework(fw: Framework, weights: dict | None = None) -> Structure:
    """The framework as per-level weight matrices, with ``weights`` overriding node weights by code."""
    key = tuple(sorted((str(k), float(v)) for k, v in (weights or {}).items()))
    cache = fw.__dict__.setdefault("_compiled", {})
    if key in cache:
        return cache[key]
    sk = _skeleton(fw)
    w = dict(sk["base"])
    for code, val in (weights or {}).items():
        code = str(code)
        if code not in w:
            raise RecipeError(Problem(f"Trọng số cho mã «{code}» nhưng mã này không có trong khung chỉ số."))
        w[code] = float(val)
    mats = []
    for lower, upper, link in zip(sk["level_codes"][:-1], sk["level_codes"][1:], sk["links"]):
        M = np.zeros((len(lower), len(upper)))
        M[np.arange(len(lower)), link] = [w[c] for c in lower]
        mats.append(M)
    st = Structure(list(sk["level_codes"][0]), sk["direction"], sk["level_codes"], mats)
    if len(cache) > 256:   # Monte Carlo draws many weight sets: keep the cache bounded
        cache.clear()
    cache[key] = st
    return st


def _normalise_params(fw: Framework, st: Structure, step: dict) -> dict:
    params = {k: v for k, v in step.items() if k not in ("step", "method", "_absent")}
    method = step["method"]
    d = st.direction
    if method == "goalposts":
        lo = pd.to_numeric(fw.meta("goalpost_lo"), errors="coerce").to_numpy(dtype=float) * d
        hi = pd.to_numeric(fw.meta("goalpost_hi"), errors="coerce").to_numpy(dtype=float) * d
        params.update(lo=np.minimum(lo, hi), hi=np.maximum(lo, hi))
    elif method == "dist2target":
        params["target"] = pd.to_numeric(fw.meta("target"), errors="coerce").to_numpy(dtype=float) * d
    return params


def build(framework: Framework, data: pd.DataFrame, recipe: Recipe | str | None = None, *,
          groups: pd.DataFrame | None = None, denominators: pd.DataFrame | None = None,
          history: dict[int, pd.DataFrame] | None = None, year: int | None = None, reuse=None):
    """Compute the index. ``data``: units × indicator codes of raw values (extra columns are ignored).

    ``reuse``: an earlier :class:`Results` on the same data; the steps before normalisation are taken
    from it when the recipe's steps up to there are identical (what-if on weights or normalisation, and
    Monte Carlo replications, then cost only normalise + aggregate + rank).
    """
    from piiplan.engine.results import Results

    if recipe is None:
        recipe = preset("pii")
    elif isinstance(recipe, str):
        recipe = preset(recipe)
    agg_step = recipe.step("aggregate")
    st = compile_framework(framework, agg_step.get("weights") or None)
    units = data.index.astype(str).tolist()
    X = data.reindex(columns=st.indicators).to_numpy(dtype=float, copy=True)
    stages: dict[str, tuple[list[str], np.ndarray]] = {"raw": (units, X)}
    extras: dict = {"imputed_cells": None, "denominated_by": {}, "availability": None, "treatment": None}
    steps = recipe.steps
    if reuse is not None and _same_prefix(reuse, recipe, units, X, groups, denominators, history, year):
        last = [s for s in ("raw", "denominated", "imputed", "screened", "treated") if s in reuse.stages][-1]
        stages = {k: v for k, v in reuse.stages.items() if k not in ("normalised", "aggregated")}
        extras = dict(reuse.extras)
        units, X = stages[last]
        steps = [s for s in recipe.steps if s["step"] in ("normalise", "aggregate")]

    for step in steps:
        name = step["step"]
        try:
            if name == "denominate":
                by = step["by"]
                if by == "metadata":
                    meta = framework.meta("denominator")
                    by = {c: v for c, v in meta.items() if isinstance(v, str) and v.strip()}
                den = denominators.reindex(units) if denominators is not None else None
                X, extras["denominated_by"] = denominate(X, st.indicators, den, by, step["scale"])
            elif name == "impute":
                g = None
                if step.get("group"):
                    if groups is None or step["group"] not in groups.columns:
                        raise ValueError(f"Không có cột nhóm «{step['group']}» để gán giá trị thiếu.")
                    g = groups.reindex(units)[step["group"]].to_numpy(dtype=object)
                hist = None
                if history:
                    hist = [(y, h.reindex(index=units, columns=st.indicators).to_numpy(dtype=float))
                            for y, h in sorted(history.items())]
                before = np.isnan(X)
                X = impute(X, step["method"], groups=g, history=hist, year=year)
                extras["imputed_cells"] = before & ~np.isnan(X)
            elif name == "screen":
                keep, avail = screen(X, units, step["threshold"], step["include"], step["exclude"])
                extras["availability"] = dict(zip(units, avail))
                units = [u for u, k in zip(units, keep) if k]
                X = X[keep]
                if extras["imputed_cells"] is not None:
                    extras["imputed_cells"] = extras["imputed_cells"][keep]
                if not units:
                    raise ValueError("Sau bước sàng lọc không còn đơn vị nào; hãy hạ ngưỡng dữ liệu tối thiểu.")
            elif name == "treat":
                X, logs = treat(X, st.indicators, step["method"], step["skew"], step["kurt"], step["winmax"],
                                step["log"], step["overrides"])
                extras["treatment"] = logs
            elif name == "normalise":
                X = norm.normalise(X, st.direction, step["method"], **_normalise_params(framework, st, step))
            elif name == "aggregate":
                levels = [X]
                for M in st.matrices:
                    levels.append(agg.aggregate_level(levels[-1], M, step["method"], step["p"],
                                                      step["min_coverage"]))
                X = np.concatenate(levels, axis=1)
        except (ValueError, TypeError, KeyError) as exc:
            if isinstance(exc, RecipeError):
                raise
            raise RecipeError(Problem(f"Bước «{name}»: {exc}")) from None
        stages[_STAGE_NAME[name]] = (units, X)
    ranks = rank_min(stages["aggregated"][1])
    extras["_inputs"] = (id(groups), id(denominators), id(history))
    return Results(framework=framework, recipe=recipe, structure=st, stages=stages, ranks_array=ranks,
                   extras=extras, groups=groups, year=year)


def _pre_steps(recipe: Recipe) -> list[dict]:
    return [s for s in recipe.steps if s["step"] not in ("normalise", "aggregate")]


def _same_prefix(prev, recipe, units, X, groups, denominators, history, year) -> bool:
    p_units, p_X = prev.stages["raw"]
    return (_pre_steps(prev.recipe) == _pre_steps(recipe) and p_units == units and prev.year == year
            and prev.extras.get("_inputs") == (id(groups), id(denominators), id(history))
            and p_X.shape == X.shape and np.array_equal(p_X, X, equal_nan=True))


_STAGE_NAME = {"denominate": "denominated", "impute": "imputed", "screen": "screened", "treat": "treated",
               "normalise": "normalised", "aggregate": "aggregated"}


def build_dataset(framework: Framework, dataset, year: int | None = None, recipe: Recipe | str | None = None):
    """Convenience: build from a :class:`~piiplan.engine.data.Dataset` for one year."""
    year = dataset.years[-1] if year is None else int(year)
    wide = dataset.wide(year, framework.indicators)
    groups = dataset.units.drop(columns=["name"], errors="ignore")
    den = dataset.denominator_table(year)
    return build(framework, wide, recipe, groups=groups, denominators=den, history=dataset.history(year),
                 year=year)

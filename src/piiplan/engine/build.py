"""``build(framework, data, recipe) → Results``: the whole pipeline as one pure function.

Internally everything is numpy on a units × indicators array; DataFrames appear only at the edges
(input and the lazily-built tables of :class:`Results`). A 34 × 52 build takes well under a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from piiplan.engine.errors import Problem, RecipeError
from piiplan.engine.framework import Framework
from piiplan.engine.pipeline import STAGE_NAME, Pipeline
from piiplan.engine.rank import rank_min
from piiplan.engine.recipe import Recipe, preset


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
        # plain lists of the node columns (pandas lookups cost more than the whole compile on a cold process)
        codes = fw.nodes.index.tolist()
        levels = dict(zip(codes, fw.nodes["level"].tolist()))
        parents = dict(zip(codes, fw.nodes["parent"].tolist()))
        top = max(levels.values())
        level_codes = [[c for c in codes if levels[c] == lv] for lv in range(1, top + 1)]
        links = []
        for lower, upper in zip(level_codes[:-1], level_codes[1:]):
            pos = {c: j for j, c in enumerate(upper)}
            links.append(np.array([pos[parents[c]] for c in lower], dtype=int))
        base = {c: float(w) for c, w in zip(codes, fw.nodes["weight"].tolist())}
        direction = dict(zip(codes, fw.nodes["direction"].tolist()))
        sk = {"level_codes": level_codes, "links": links, "base": base,
              "direction": np.array([direction[c] for c in level_codes[0]], dtype=float)}
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


# Above this many units the build runs with one BLAS thread: OpenBLAS starts threads for the larger matrix
# products, and on a busy 2-core server their hand-offs cost more than they save (3,321 units: 70 ms with
# the default threads, 27 ms with one). Below it, the limit's own cost (tens of µs) is not worth paying.
SINGLE_THREAD_FROM_UNITS = 500
_threadpools = None


def _one_blas_thread():
    """A context in which BLAS uses one thread (threadpoolctl; the controller is made once per process)."""
    global _threadpools
    if _threadpools is None:
        from threadpoolctl import ThreadpoolController

        _threadpools = ThreadpoolController()
    return _threadpools.limit(limits=1, user_api="blas")


def build(framework: Framework, data: pd.DataFrame, recipe: Recipe | str | None = None, *,
          groups: pd.DataFrame | None = None, denominators: pd.DataFrame | None = None,
          history: dict[int, pd.DataFrame] | None = None, year: int | None = None):
    """Compute the index. ``data``: units × indicator codes of raw values (extra columns are ignored).

    Runs the recipe's steps one by one through :class:`piiplan.engine.pipeline.Pipeline` (the same per-step
    API the analysis layer uses to recompute one indicator). From ``SINGLE_THREAD_FROM_UNITS`` units on, BLAS
    runs single-threaded, which keeps the cost linear in the number of units.
    """
    if len(data) >= SINGLE_THREAD_FROM_UNITS:
        with _one_blas_thread():
            return _build(framework, data, recipe, groups=groups, denominators=denominators, history=history,
                          year=year)
    return _build(framework, data, recipe, groups=groups, denominators=denominators, history=history, year=year)


def _build(framework, data, recipe, *, groups, denominators, history, year):
    from piiplan.engine.results import Results

    if recipe is None:
        recipe = preset("pii")
    elif isinstance(recipe, str):
        recipe = preset(recipe)
    st = compile_framework(framework, recipe.step("aggregate").get("weights") or None)
    units = data.index.astype(str).tolist()
    if data.columns.tolist() != st.indicators:
        data = data.reindex(columns=st.indicators)
    X = data.to_numpy(dtype=float, copy=True)
    pipe = Pipeline(framework, st, units=units, groups=groups, denominators=denominators, history=history,
                    year=year)
    state = pipe.start(X)
    stages: dict[str, tuple[list[str], np.ndarray]] = {"raw": (units, X)}
    for step in recipe.steps:
        name = step["step"]
        try:
            state = pipe.run(step, state)
        except (ValueError, TypeError, KeyError) as exc:
            if isinstance(exc, RecipeError):
                raise
            raise RecipeError(Problem(f"Bước «{name}»: {exc}")) from None
        stages[STAGE_NAME[name]] = (state.units, state.X)
    ranks = rank_min(stages["aggregated"][1])
    return Results(framework=framework, recipe=recipe, structure=st, stages=stages, ranks_array=ranks,
                   extras=dict(state.extras), groups=groups, year=year)


def build_dataset(framework: Framework, dataset, year: int | None = None, recipe: Recipe | str | None = None):
    """Convenience: build from a :class:`~piiplan.engine.data.Dataset` for one year."""
    year = dataset.years[-1] if year is None else int(year)
    wide = dataset.wide(year, framework.indicators)
    groups = dataset.units.drop(columns=["name"], errors="ignore")
    den = dataset.denominator_table(year)
    return build(framework, wide, recipe, groups=groups, denominators=den, history=dataset.history(year),
                 year=year)

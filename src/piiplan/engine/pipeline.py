"""The index pipeline one step at a time: the public API that :func:`piiplan.engine.build` and the analysis
layer (``piiplan.analysis.context.ColumnModel``) both run, so the two cannot drift apart.

A :class:`Pipeline` binds a framework (compiled to a :class:`~piiplan.engine.build.Structure`) and the inputs
beside the raw values — unit groups, denominators, earlier years, the year — to the units they describe.
``pipeline.run(step, state)`` applies one recipe step to a :class:`State` (the units, the column codes and
the units × columns array) and returns the new state; the same call works on all indicator columns (a
build) or on one (the analysis recomputing a single indicator for many candidate values), because every
step before aggregation works column by column.

Steps (``STEPS``, in recipe order): ``denominate``, ``impute``, ``screen``, ``treat``, ``normalise``,
``aggregate``. ``COLUMN_STEPS`` are those that may run on a subset of the indicator columns. A new step is
added here, in one place: both the build and the analysis then run it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from piiplan.engine import aggregate as agg
from piiplan.engine import normalise as norm
from piiplan.engine.denominate import denominate
from piiplan.engine.framework import Framework
from piiplan.engine.impute import impute
from piiplan.engine.screen import screen
from piiplan.engine.treat import treat

STEPS = ("denominate", "impute", "screen", "treat", "normalise", "aggregate")
COLUMN_STEPS = ("denominate", "impute", "treat", "normalise")
STAGE_NAME = {"denominate": "denominated", "impute": "imputed", "screen": "screened", "treat": "treated",
              "normalise": "normalised", "aggregate": "aggregated"}

__all__ = ["COLUMN_STEPS", "STAGE_NAME", "STEPS", "Pipeline", "State", "normalise_params"]


@dataclass
class State:
    """What flows between steps: ``X`` (units × columns) for ``units`` and the indicator ``codes`` of its
    columns; ``extras`` collects what the steps report (imputed cells, denominators used, availability,
    treatment log)."""

    units: list[str]
    codes: list[str]
    X: np.ndarray
    extras: dict = field(default_factory=lambda: {"imputed_cells": None, "denominated_by": {},
                                                   "availability": None, "treatment": None})


def normalise_params(framework: Framework, direction: np.ndarray, step: dict, codes: list[str] | None = None
                     ) -> dict:
    """The keyword arguments of :func:`piiplan.engine.normalise.normalise` for a ``normalise`` step:
    the step's own parameters plus, for ``goalposts`` and ``dist2target``, the framework's goalposts or
    targets (oriented by ``direction``), for the columns ``codes`` (default: every indicator)."""
    params = {k: v for k, v in step.items() if k not in ("step", "method", "_absent")}
    method = step["method"]
    if method not in ("goalposts", "dist2target"):
        return params

    def meta(name: str) -> np.ndarray:
        values = pd.to_numeric(framework.meta(name), errors="coerce")
        if codes is not None:
            values = values.reindex(codes)
        return values.to_numpy(dtype=float) * direction

    if method == "goalposts":
        lo, hi = meta("goalpost_lo"), meta("goalpost_hi")
        params.update(lo=np.minimum(lo, hi), hi=np.maximum(lo, hi))
    else:
        params["target"] = meta("target")
    return params


def _aligned(table: pd.DataFrame, units: list[str], codes: list[str]) -> np.ndarray:
    """``table`` as a units × codes array (a reindex only when its labels differ)."""
    if table.index.tolist() != units or table.columns.tolist() != codes:
        table = table.reindex(index=units, columns=codes)
    return table.to_numpy(dtype=float, copy=True)


class Pipeline:
    """One framework and the inputs beside the raw values, ready to run recipe steps (module docstring)."""

    def __init__(self, framework: Framework, structure, *, units: list[str], groups: pd.DataFrame | None = None,
                 denominators: pd.DataFrame | None = None, history: dict[int, pd.DataFrame] | None = None,
                 year: int | None = None):
        self.framework = framework
        self.structure = structure
        self.units = [str(u) for u in units]
        self.groups = groups
        if denominators is not None and denominators.index.tolist() != self.units:
            denominators = denominators.reindex(self.units)
        self.denominators = denominators
        self.year = year
        self._history = None
        if history:
            self._history = [(y, _aligned(h, self.units, structure.indicators)) for y, h in sorted(history.items())]
        self._column = {c: j for j, c in enumerate(structure.indicators)}

    def start(self, X: np.ndarray, codes: list[str] | None = None) -> State:
        """The raw state: ``X`` (all units × ``codes``, default every indicator)."""
        return State(list(self.units), list(codes or self.structure.indicators), X)

    def run(self, step: dict, state: State, *, keep: np.ndarray | None = None) -> State:
        """Apply one recipe ``step`` to ``state``. ``keep``: the units a ``screen`` step keeps, when they are
        already known (the analysis recomputing one column keeps the units of its base build)."""
        name = step["step"]
        if name not in STEPS:
            raise ValueError(f"bước «{name}» không được hỗ trợ")
        if name not in COLUMN_STEPS and name != "screen" and state.codes != list(self.structure.indicators):
            raise ValueError(f"bước «{name}» cần mọi chỉ số")
        return getattr(self, "_" + name)(step, state, keep)

    # ---- the steps -------------------------------------------------------------------------------
    def _rows(self, state: State) -> np.ndarray | None:
        if state.units == self.units:
            return None
        pos = {u: i for i, u in enumerate(self.units)}
        return np.array([pos[u] for u in state.units], dtype=int)

    def _denominate(self, step, state, keep):
        by = step["by"]
        if by == "metadata":
            meta = self.framework.meta("denominator")
            by = {c: v for c, v in meta.items() if isinstance(v, str) and v.strip()}
        den = self.denominators
        rows = self._rows(state)
        if den is not None and rows is not None:
            den = den.iloc[rows]
        X, used = denominate(state.X, state.codes, den, by, step["scale"])
        extras = {**state.extras, "denominated_by": used}
        return replace(state, X=X, extras=extras)

    def _impute(self, step, state, keep):
        rows = self._rows(state)
        g = None
        if step.get("group"):
            if self.groups is None or step["group"] not in self.groups.columns:
                raise ValueError(f"Không có cột nhóm «{step['group']}» để gán giá trị thiếu.")
            g = self.groups.reindex(state.units)[step["group"]].to_numpy(dtype=object)
        hist = None
        if self._history:
            cols = [self._column[c] for c in state.codes]
            hist = [(y, h[:, cols] if rows is None else h[np.ix_(rows, cols)]) for y, h in self._history]
        before = np.isnan(state.X)
        X = impute(state.X, step["method"], groups=g, history=hist, year=self.year)
        return replace(state, X=X, extras={**state.extras, "imputed_cells": before & ~np.isnan(X)})

    def _screen(self, step, state, keep):
        extras = dict(state.extras)
        if keep is None:
            keep, avail = screen(state.X, state.units, step["threshold"], step["include"], step["exclude"])
            extras["availability"] = dict(zip(state.units, avail))
        keep = np.asarray(keep, dtype=bool)
        units = [u for u, k in zip(state.units, keep) if k]
        if extras.get("imputed_cells") is not None:
            extras["imputed_cells"] = extras["imputed_cells"][keep]
        if not units:
            raise ValueError("Sau bước sàng lọc không còn đơn vị nào; hãy hạ ngưỡng dữ liệu tối thiểu.")
        return replace(state, units=units, X=state.X[keep], extras=extras)

    def _treat(self, step, state, keep):
        X, logs = treat(state.X, state.codes, step["method"], step["skew"], step["kurt"], step["winmax"],
                        step["log"], step["overrides"])
        return replace(state, X=X, extras={**state.extras, "treatment": logs})

    def _normalise(self, step, state, keep):
        cols = [self._column[c] for c in state.codes]
        direction = self.structure.direction[cols]
        codes = None if state.codes == list(self.structure.indicators) else state.codes
        params = normalise_params(self.framework, direction, step, codes)
        return replace(state, X=norm.normalise(state.X, direction, step["method"], **params))

    def _aggregate(self, step, state, keep):
        levels = [state.X]
        for M in self.structure.matrices:
            levels.append(agg.aggregate_level(levels[-1], M, step["method"], step["p"], step["min_coverage"]))
        return replace(state, X=np.concatenate(levels, axis=1))

"""The inputs of one index computation, and fast partial recomputation on top of the engine.

:class:`IndexInputs` bundles what :func:`piiplan.engine.build` needs for one year (framework, raw values,
recipe, groups, denominators, history) so every analysis can rebuild the index on edited data with one
call. :class:`ColumnModel` recomputes *one indicator column* through the recipe's per-column steps
(denominate, impute, treat, normalise) for a whole stack of candidate columns at once, and
:func:`effective_weights` gives, for arithmetic aggregation, the weight of every indicator in the index
score of every unit. Because every pipeline step before aggregation works column by column, the change
of the index caused by editing one column is ``effective_weight × change of the normalised column`` —
exactly, for arithmetic means (this is what makes the marginal gains and the optimiser fast; every
answer they give is still confirmed by a full :func:`~piiplan.engine.build`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from piiplan.engine import aggregate as agg
from piiplan.engine.build import build
from piiplan.engine.framework import Framework
from piiplan.engine.pipeline import COLUMN_STEPS, Pipeline, State
from piiplan.engine.recipe import Recipe, preset
from piiplan.engine.results import Results


@dataclass
class IndexInputs:
    """Everything needed to compute the index of one year. ``data``: units × indicator codes (raw)."""

    framework: Framework
    data: pd.DataFrame
    recipe: Recipe = field(default_factory=lambda: preset("pii"))
    groups: pd.DataFrame | None = None
    denominators: pd.DataFrame | None = None
    history: dict[int, pd.DataFrame] | None = None
    year: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.recipe, str):
            self.recipe = preset(self.recipe)
        self.data = self.data.reindex(columns=self.framework.indicators).astype(float)
        self.data.index = self.data.index.map(str)

    @classmethod
    def from_dataset(cls, framework: Framework, dataset, year: int | None = None,
                     recipe: Recipe | str | None = None) -> "IndexInputs":
        year = dataset.years[-1] if year is None else int(year)
        if year not in dataset.years:
            raise ValueError(f"Bộ dữ liệu không có năm {year}; các năm có: {', '.join(map(str, dataset.years))}.")
        groups = dataset.units.drop(columns=["name"], errors="ignore")
        den = dataset.denominator_table(year)
        return cls(framework, dataset.wide(year, framework.indicators), recipe or preset("pii"), groups,
                   den if den.shape[1] else None, dataset.history(year), year)

    @property
    def units(self) -> list[str]:
        return list(self.data.index)

    @property
    def indicators(self) -> list[str]:
        return list(self.framework.indicators)

    def with_data(self, data: pd.DataFrame) -> "IndexInputs":
        return replace(self, data=data)

    def with_recipe(self, recipe: Recipe) -> "IndexInputs":
        return replace(self, recipe=recipe)

    def build(self, data: pd.DataFrame | None = None, recipe: Recipe | None = None) -> Results:
        return build(self.framework, self.data if data is None else data, recipe or self.recipe,
                     groups=self.groups, denominators=self.denominators, history=self.history, year=self.year)


def unit_index(units: list[str], unit: str) -> int:
    try:
        return units.index(str(unit))
    except ValueError:
        raise KeyError(f"Không có đơn vị «{unit}» trong dữ liệu.") from None


class ColumnModel:
    """Recompute one indicator's normalised column for a stack of candidate raw columns.

    Runs the recipe's steps through the engine's own per-step API (:class:`piiplan.engine.pipeline.Pipeline`,
    the one :func:`piiplan.engine.build` runs), restricted to one column: ``denominate`` → ``impute`` →
    (``screen``: the base build's kept units) → ``treat`` → ``normalise``. A step that cannot work on one
    column (``aggregate``) ends the column's run.
    """

    def __init__(self, inputs: IndexInputs, base: Results | None = None):
        self.inputs = inputs
        self.base = base if base is not None else inputs.build()
        self.recipe = inputs.recipe
        self.st = self.base.structure
        self.all_units = inputs.units
        kept = set(self.base.units)
        self.keep = np.array([u in kept for u in self.all_units])
        self.pipeline = Pipeline(inputs.framework, self.st, units=self.all_units, groups=inputs.groups,
                                 denominators=inputs.denominators, history=inputs.history, year=inputs.year)
        self._pre = [s for s in self.recipe.steps if s["step"] in COLUMN_STEPS + ("screen",)
                     and s["step"] != "normalise"]
        self._norm_step = self.recipe.step("normalise")

    def normalised(self, j: int, columns: np.ndarray) -> np.ndarray:
        """``columns``: (K, all units) raw values of indicator ``j`` → (K, kept units) normalised."""
        cols = np.atleast_2d(np.asarray(columns, dtype=float))
        code = self.st.indicators[j]
        treated = np.empty((cols.shape[0], int(self.keep.sum())))
        for k in range(cols.shape[0]):
            treated[k] = self._pre_normalise(j, code, cols[k])
        state = State(list(self.base.units), [code], treated[:, :, None])
        return self.pipeline.run(self._norm_step, state).X[:, :, 0]

    def fired(self, j: int, column: np.ndarray) -> str:
        """The outlier treatment that fires on indicator ``j`` for the raw ``column`` (all units):
        ``"none"``, ``"winsorise"``, ``"log"`` or ``"skip"`` (as ``Results.treatment["fired"]``)."""
        self._pre_normalise(j, self.st.indicators[j], np.asarray(column, dtype=float))
        return self.last_fired

    def _pre_normalise(self, j: int, code: str, x: np.ndarray) -> np.ndarray:
        self.last_fired = "skip"
        state = self.pipeline.start(x.reshape(-1, 1).copy(), [code])
        for step in self._pre:
            state = self.pipeline.run(step, state, keep=self.keep if step["step"] == "screen" else None)
            if step["step"] == "treat":
                self.last_fired = str(state.extras["treatment"].fired[0])
        X = state.X if self.recipe.has("screen") else state.X[self.keep]
        return X[:, 0]


def effective_weights(results: Results) -> np.ndarray:
    """(units, indicators): weight of each indicator's normalised score in each unit's index score.

    Exact for arithmetic aggregation (the product of the renormalised weights along the path, missing
    children skipped); for other means it is the linearisation at the current scores' missingness only.
    """
    st = results.structure
    X = results.stages["aggregated"][1]
    n_units = X.shape[0]
    E = np.broadcast_to(np.eye(len(st.indicators)), (n_units, len(st.indicators), len(st.indicators)))
    offset = 0
    for k, M in enumerate(st.matrices):
        width = len(st.level_codes[k])
        S = X[:, offset:offset + width]
        E = E @ agg.contribution_shares(S, M)
        offset += width
    return E[:, :, 0] if E.shape[2] == 1 else E.sum(axis=2)


def level_weights(results: Results) -> np.ndarray:
    """(units, indicators, all codes): effective weight of each indicator in every code's score."""
    st = results.structure
    X = results.stages["aggregated"][1]
    n_units, m = X.shape[0], len(st.indicators)
    E = np.broadcast_to(np.eye(m), (n_units, m, m))
    blocks = [E]
    offset = 0
    for k, M in enumerate(st.matrices):
        width = len(st.level_codes[k])
        E = E @ agg.contribution_shares(X[:, offset:offset + width], M)
        blocks.append(E)
        offset += width
    return np.concatenate(blocks, axis=2)


class UnitLevers:
    """Effects on every unit's index score of changing one unit's raw value of each indicator.

    ``effects(j, values)`` → (K, kept units): change of each unit's index score when the unit's raw value of
    indicator ``j`` is set to each of ``values`` (all else as in the base build). Exact for arithmetic
    aggregation; a first-order model otherwise (the callers confirm answers by a full recompute).
    """

    def __init__(self, inputs: IndexInputs, unit: str, base: Results | None = None):
        self.inputs = inputs
        self.model = ColumnModel(inputs, base)
        self.base = self.model.base
        self.unit = str(unit)
        self.row = unit_index(inputs.units, self.unit)              # row in the raw data
        self.ui = unit_index(self.base.units, self.unit)            # row in the results
        self.A = effective_weights(self.base)
        self.n0 = self.base.stages["normalised"][1]
        self.s0 = self.base.aggregated[inputs.framework.root].to_numpy()
        self.x0 = inputs.data.to_numpy(dtype=float)[self.row]

    def normalised(self, j: int, values) -> np.ndarray:
        values = np.asarray(values, dtype=float).ravel()
        cols = np.repeat(self.inputs.data.iloc[:, j].to_numpy(dtype=float)[None, :], values.size, axis=0)
        cols[:, self.row] = values
        return self.model.normalised(j, cols)

    def fired(self, j: int, value: float) -> str:
        """The treatment that fires on indicator ``j`` when the unit's raw value is ``value``."""
        col = self.inputs.data.iloc[:, j].to_numpy(dtype=float).copy()
        col[self.row] = value
        return self.model.fired(j, col)

    def effects(self, j: int, values, normalised: np.ndarray | None = None) -> np.ndarray:
        n = self.normalised(j, values) if normalised is None else normalised
        with np.errstate(invalid="ignore"):
            d = self.A[None, :, j] * (n - self.n0[None, :, j])
        return np.where(np.isnan(d), 0.0, d)


def ranks_of(scores: np.ndarray) -> np.ndarray:
    """Ranks (1 = best, ties share the lowest rank) along the last axis, NaN stays NaN."""
    from piiplan.engine.rank import rank_min

    return rank_min(np.asarray(scores, dtype=float)[..., None])[..., 0]

"""Uncertainty analysis: how much the ranks depend on the methodological choices, by Monte Carlo.

Assumptions that may vary (COINr's ``get_sensitivity`` design, vectorised):

* **weights** — every weight of the nodes at a level is multiplied by an independent uniform factor in
  ``[1 − f, 1 + f]`` (``weight_noise={level: f}``; level 1 = indicator weights, 2 = the level above…),
  as COINr's ``get_noisy_weights``;
* **normalisation** — one of several alternatives, e.g. ``{"method": "minmax"}`` or
  ``{"method": "zscore", "mean": 10, "sd": 2}`` (applied after the direction, as in the engine);
* **treatment** — one of several outlier-treatment methods (e.g. ``"coinr"`` on, ``"none"`` off);
* **imputation** — one of several imputation methods (``"none"``, ``"mean"``, ``"group_mean"``…).

Every combination of the discrete choices is computed once by the engine up to the treated stage and
normalised; each replication then picks its combination and aggregates with its own weights. The
aggregation of all replications is a stack of matrix products (:func:`piiplan.engine.aggregate.aggregate_level`
on arrays shaped (replications, units, children)), and ranks come from the engine's ``rank_min`` on the same
stack — no rebuild loop. Randomness comes from a ``numpy.random.Generator`` (or a seed); there is no global
random state.

Rank statistics per unit: nominal rank, mean, median, 5th and 95th percentiles (numpy ``"linear"`` = R's
default quantile type 7, as COINr) and P(rank ≤ k).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from piiplan.analysis.context import IndexInputs
from piiplan.engine import aggregate as agg
from piiplan.engine import normalise as norm
from piiplan.engine.build import compile_framework
from piiplan.engine.pipeline import normalise_params
from piiplan.engine.rank import rank_min

Progress = Callable[[int, int], None]


@dataclass
class Assumptions:
    """What varies. Empty/one-element lists mean "as in the recipe" (fixed)."""

    weight_noise: dict[int, float] = field(default_factory=dict)
    normalisation: list[dict] = field(default_factory=list)
    treatment: list[str] = field(default_factory=list)
    imputation: list[str] = field(default_factory=list)

    @classmethod
    def default(cls) -> "Assumptions":
        """The piiplan default: ±25 % on the weights of every aggregation level, min-max or z-score,
        treatment on or off, no imputation or mean imputation."""
        return cls(weight_noise={2: 0.25, 3: 0.25, 4: 0.25},
                   normalisation=[{"method": "minmax"}, {"method": "zscore", "mean": 10.0, "sd": 2.0}],
                   treatment=["coinr", "none"], imputation=["none", "mean"])

    def __post_init__(self) -> None:
        bad = {lv: f for lv, f in self.weight_noise.items() if not 0 <= f < 1}
        if bad:
            # a factor 1 ± f with f ≥ 1 can make a weight zero or negative
            raise ValueError(f"Biên độ nhiễu trọng số phải trong [0; 1); nhận được {bad}.")

    def groups(self) -> list[str]:
        """The assumptions that actually vary (the inputs of a sensitivity analysis)."""
        out = []
        if any(f > 0 for f in self.weight_noise.values()):
            out.append("weights")
        for name in ("normalisation", "treatment", "imputation"):
            if len(getattr(self, name)) > 1:
                out.append(name)
        return out


GROUP_VI = {"weights": "Trọng số", "normalisation": "Phương pháp chuẩn hoá", "treatment": "Xử lý ngoại lai",
            "imputation": "Gán giá trị thiếu"}


class Evaluator:
    """Precomputed alternatives and the aggregation structure: evaluates stacks of replications."""

    def __init__(self, inputs: IndexInputs, assumptions: Assumptions):
        self.inputs = inputs
        self.assumptions = assumptions
        recipe = inputs.recipe
        fw = inputs.framework
        self.base = inputs.build()
        self.units = self.base.units
        self.root = fw.root
        agg_step = recipe.step("aggregate")
        self.agg_method, self.agg_p, self.min_cov = agg_step["method"], agg_step["p"], agg_step["min_coverage"]
        self.st = compile_framework(fw, agg_step.get("weights") or None)
        nstep = recipe.step("normalise")
        base_norm = {k: v for k, v in nstep.items() if k not in ("step", "_absent")}
        self.norm_alts = assumptions.normalisation or [base_norm]
        self.treat_alts = assumptions.treatment or [recipe.step("treat")["method"] if recipe.has("treat") else "none"]
        self.imp_alts = assumptions.imputation or [recipe.step("impute")["method"]]
        stack = []
        for imp, trt in itertools.product(self.imp_alts, self.treat_alts):
            r = recipe.set("impute.method", imp).set("treat.method", trt)
            res = inputs.build(recipe=r)
            if res.units != self.units:
                raise ValueError("Các phương án phải giữ cùng tập đơn vị (bước sàng lọc không được thay đổi).")
            treated = res.stage("treated").to_numpy()
            for spec in self.norm_alts:
                stack.append(self._normalise(treated, spec))
        self.stack = np.stack(stack)                      # (combos, units, indicators)
        self.shape = (len(self.imp_alts), len(self.treat_alts), len(self.norm_alts))
        # nominal weights of every level's nodes (rows of the aggregation matrices)
        self.nominal = [M.sum(axis=1) for M in self.st.matrices]
        self.parents = [M.argmax(axis=1) for M in self.st.matrices]

    def _normalise(self, treated: np.ndarray, spec: dict) -> np.ndarray:
        spec = dict(spec)
        method = spec.pop("method")
        step = {"step": "normalise", "method": method, **spec}
        params = normalise_params(self.inputs.framework, self.st.direction, step)
        return norm.normalise(treated, self.st.direction, method, **params)

    def combo_index(self, imp: np.ndarray, trt: np.ndarray, nrm: np.ndarray) -> np.ndarray:
        _, nt, nn = self.shape
        return (np.asarray(imp) * nt + np.asarray(trt)) * nn + np.asarray(nrm)

    def weights_from_factors(self, factors: dict[int, np.ndarray], n: int) -> list[np.ndarray]:
        """Per level k (matrices[k], rows = nodes of level k + 1): (n, nodes) weights."""
        out = []
        for k, w in enumerate(self.nominal):
            f = factors.get(k + 1)
            out.append(np.broadcast_to(w, (n, w.size)) * f if f is not None else np.broadcast_to(w, (n, w.size)))
        return out

    def scores(self, combo: np.ndarray, weights: list[np.ndarray], chunk: int = 1000,
               progress: Progress | None = None) -> np.ndarray:
        """Index scores (replications, units) for each replication's combination and level weights."""
        combo = np.asarray(combo, dtype=int)
        R = combo.size
        out = np.empty((R, len(self.units)))
        for a in range(0, R, chunk):
            b = min(R, a + chunk)
            S = self.stack[combo[a:b]]
            for k, M in enumerate(self.st.matrices):
                W = np.zeros((b - a,) + M.shape)
                rows = np.arange(M.shape[0])
                W[:, rows, self.parents[k]] = weights[k][a:b]
                S = agg.aggregate_level(S, W, self.agg_method, self.agg_p, self.min_cov)
            out[a:b] = S[:, :, 0]
            if progress is not None:
                progress(b, R)
        return out

    def sample(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, list[np.ndarray], dict]:
        """``n`` random replications: (combination index, level weights, the sampled choices)."""
        a = self.assumptions
        imp = rng.integers(len(self.imp_alts), size=n)
        trt = rng.integers(len(self.treat_alts), size=n)
        nrm = rng.integers(len(self.norm_alts), size=n)
        factors = {}
        for level, f in sorted(a.weight_noise.items()):
            if level - 1 < len(self.nominal) and f > 0:
                factors[level] = 1.0 + f * (2.0 * rng.random((n, self.nominal[level - 1].size)) - 1.0)
        weights = self.weights_from_factors(factors, n)
        return self.combo_index(imp, trt, nrm), weights, {"imputation": imp, "treatment": trt,
                                                           "normalisation": nrm}


@dataclass
class UncertaintyResult:
    units: list[str]
    nominal_scores: np.ndarray
    nominal_ranks: np.ndarray
    scores: np.ndarray                  # (replications, units)
    ranks: np.ndarray                   # (replications, units)
    k: int | None = None
    choices: dict = field(default_factory=dict)

    @property
    def rank_stats(self) -> pd.DataFrame:
        r = self.ranks
        df = pd.DataFrame({"nominal": self.nominal_ranks, "mean": np.nanmean(r, axis=0),
                           "median": np.nanmedian(r, axis=0),
                           "q5": np.nanquantile(r, 0.05, axis=0, method="linear"),
                           "q95": np.nanquantile(r, 0.95, axis=0, method="linear")},
                          index=pd.Index(self.units, name="unit"))
        if self.k is not None:
            df[f"p_rank_le_{self.k}"] = self.prob_rank_at_most(self.k)
        return df

    def prob_rank_at_most(self, k: int) -> np.ndarray:
        return (self.ranks <= k).mean(axis=0)

    def to_dict(self, units: list[str] | None = None) -> dict:
        stats = self.rank_stats
        if units:
            stats = stats.loc[units]
        return {"replications": int(self.ranks.shape[0]), "k": self.k,
                "units": [{"unit": u, **{c: (None if np.isnan(v) else float(v)) for c, v in row.items()}}
                          for u, row in stats.iterrows()]}


def _rng(seed) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def monte_carlo(inputs: IndexInputs, assumptions: Assumptions | None = None, n: int = 1000, seed=None,
                k: int | None = None, progress: Progress | None = None, chunk: int = 1000
                ) -> UncertaintyResult:
    """Run ``n`` random replications (see the module docstring); ``k`` adds P(rank ≤ k) to the stats."""
    assumptions = assumptions or Assumptions.default()
    if int(n) < 1:
        raise ValueError("Số lần lặp phải ≥ 1.")
    ev = Evaluator(inputs, assumptions)
    combo, weights, choices = ev.sample(int(n), _rng(seed))
    scores = ev.scores(combo, weights, chunk, progress)
    return _result(ev, scores, k, choices)


def _result(ev: Evaluator, scores: np.ndarray, k, choices) -> UncertaintyResult:
    ranks = rank_min(scores[:, :, None])[:, :, 0]
    nominal = ev.base.aggregated[ev.root].to_numpy()
    return UncertaintyResult(ev.units, nominal, ev.base.ranks[ev.root].to_numpy(), scores, ranks, k, choices)


def replay(inputs: IndexInputs, weights: pd.DataFrame, normalisation: list[dict], k: int | None = None
           ) -> UncertaintyResult:
    """Replay given replications exactly (e.g. COINr's exported ``para_weights`` / ``para_norm``).

    ``weights``: long table with columns ``rep``, ``code``, ``weight`` (absolute weights of the nodes,
    every level); ``normalisation``: one normalisation spec per replication, in ``rep`` order.
    """
    alts: list[dict] = []
    for spec in normalisation:
        if spec not in alts:
            alts.append(spec)
    ev = Evaluator(inputs, Assumptions(normalisation=alts))
    reps = sorted(weights["rep"].unique())
    if len(reps) != len(normalisation):
        raise ValueError("Số lần lặp của bảng trọng số và của danh sách phương pháp chuẩn hoá khác nhau.")
    wide = weights.pivot(index="rep", columns="code", values="weight").loc[reps]
    level_w = []
    for codes in ev.st.level_codes[:-1]:
        level_w.append(wide.reindex(columns=codes).to_numpy(dtype=float))
    nrm = np.array([alts.index(s) for s in normalisation])
    combo = ev.combo_index(np.zeros_like(nrm), np.zeros_like(nrm), nrm)
    return _result(ev, ev.scores(combo, level_w), k, {"normalisation": nrm})

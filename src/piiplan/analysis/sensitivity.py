"""Variance-based (Sobol) sensitivity of a rank to each methodological assumption.

Mirrors COINr's ``get_sensitivity(SA_type = "SA")``: a Saltelli design of ``N·(d + 2)`` replications over
the ``d`` assumptions that vary (:meth:`Assumptions.groups`): matrices ``A`` and ``B`` of ``N`` independent
uniform samples, and for every assumption ``i`` the matrix ``AB_i`` = ``A`` with assumption ``i``'s
columns taken from ``B``. An assumption is a *group* of uniform inputs: one per noisy weight (the factor
``1 + f·(2u − 1)``), one per discrete choice (alternative ``⌊u·n⌋``). The output ``y`` is either one unit's
rank (``output="rank"``) or, as in COINr, the mean absolute rank change against the nominal ranks over all
units (``output="mean_abs_rank_change"``).

Estimators (COINr's ``SA_estimate``): ``V = var(y_A ∪ y_B)`` (sample variance);
first order ``S_i = mean((y_B − ȳ)·(y_ABi − y_A)) / V`` (Saltelli 2010, on outputs centred by the mean
``ȳ`` of ``y_A ∪ y_B``: the uncentred form COINr uses has a variance that grows with ``ȳ²`` and is noise
for a rank near 29 with a variance below 1); total ``ST_i = Σ (y_A − y_ABi)² / (2N·V)`` (Jansen). Confidence intervals: ``n_boot`` bootstrap resamples of the summands of each estimator, 5th and
95th percentiles (R type 7), as COINr. Rank statistics come from the ``2N`` random replications
``A`` and ``B``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from piiplan.analysis.context import IndexInputs
from piiplan.analysis.uncertainty import GROUP_VI, Assumptions, Evaluator, Progress, UncertaintyResult, _result, _rng


@dataclass
class SensitivityResult:
    indices: pd.DataFrame              # per assumption: Si, STi, Si_q5, Si_q95, STi_q5, STi_q95
    variance: float
    n: int
    output: str
    unit: str | None
    uncertainty: UncertaintyResult      # rank statistics of the 2N random replications

    def to_dict(self) -> dict:
        rows = []
        for name, r in self.indices.iterrows():
            rows.append({"assumption": name, "name_vi": GROUP_VI.get(name, name),
                         **{k: (None if np.isnan(v) else float(v)) for k, v in r.items()}})
        return {"n": self.n, "output": self.output, "unit": self.unit, "variance": self.variance,
                "indices": rows}


def saltelli_design(n: int, dims: list[int], rng: np.random.Generator) -> np.ndarray:
    """Rows ``A``, ``B``, ``AB_1`` … ``AB_d`` (each ``n`` rows) for groups of ``dims`` uniform columns."""
    D = int(sum(dims))
    base = rng.random((n, 2 * D))
    A, B = base[:, :D], base[:, D:]
    blocks = [A, B]
    start = 0
    for size in dims:
        AB = A.copy()
        AB[:, start:start + size] = B[:, start:start + size]
        blocks.append(AB)
        start += size
    return np.vstack(blocks)


def sobol_indices(y: np.ndarray, n: int, d: int, n_boot: int | None = 100, rng=None) -> tuple[pd.DataFrame, float]:
    """COINr's ``SA_estimate`` on outputs ordered as :func:`saltelli_design`."""
    y = np.asarray(y, dtype=float)
    yA, yB = y[:n], y[n:2 * n]
    yAB = y[2 * n:].reshape(d, n)
    both = np.concatenate([yA, yB])
    var = float(np.var(both, ddof=1))
    # Centre the outputs before the first-order estimator: mean(y_B·(y_ABi − y_A)) is unbiased either way,
    # but on uncentred outputs (e.g. a rank around 29 with variance 0.3) its variance grows with mean(y)²
    # and the estimate is noise. Differences (and so the total-effect estimator) do not change.
    yBc = yB - both.mean()
    si_terms = yBc[None, :] * (yAB - yA[None, :])           # (d, n)
    st_terms = yA[None, :] - yAB
    with np.errstate(invalid="ignore", divide="ignore"):
        Si = si_terms.mean(axis=1) / var
        STi = (st_terms ** 2).sum(axis=1) / (2 * n * var)
    out = pd.DataFrame({"Si": Si, "STi": STi})
    if n_boot:
        rng = _rng(rng)
        idx = rng.integers(n, size=(n_boot, d, n))
        rows = np.arange(d)[None, :, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            si_b = si_terms[rows, idx].mean(axis=2) / var                 # (n_boot, d)
            st_b = (st_terms[rows, idx] ** 2).sum(axis=2) / (2 * n * var)
        q = lambda a, p: np.quantile(a, p, axis=0, method="linear")   # noqa: E731
        out["Si_q5"], out["Si_q95"] = q(si_b, 0.05), q(si_b, 0.95)
        out["STi_q5"], out["STi_q95"] = q(st_b, 0.05), q(st_b, 0.95)
    return out, var


def sensitivity(inputs: IndexInputs, assumptions: Assumptions | None = None, n: int = 500, seed=None, *,
                output: str = "rank", unit: str | None = None, n_boot: int = 100, k: int | None = None,
                progress: Progress | None = None) -> SensitivityResult:
    """Sobol first-order and total indices of ``output`` w.r.t. each varying assumption."""
    assumptions = assumptions or Assumptions.default()
    groups = assumptions.groups()
    if len(groups) < 2:
        raise ValueError("Cần ít nhất hai giả định thay đổi để phân tích độ nhạy (chỉ có: "
                         f"{', '.join(groups) or 'không có'}).")
    if output not in ("rank", "mean_abs_rank_change"):
        raise ValueError("Đầu ra phải là «rank» (hạng của một tỉnh) hoặc «mean_abs_rank_change».")
    rng = _rng(seed)
    ev = Evaluator(inputs, assumptions)
    if output == "rank":
        if unit is None or str(unit) not in ev.units:
            raise KeyError(f"Không có đơn vị «{unit}» trong kết quả.")
    noisy = [(lv, f) for lv, f in sorted(assumptions.weight_noise.items())
             if f > 0 and lv - 1 < len(ev.nominal)]
    dims = []
    for g in groups:
        dims.append(sum(ev.nominal[lv - 1].size for lv, _ in noisy) if g == "weights" else 1)
    X = saltelli_design(int(n), dims, rng)
    R = X.shape[0]
    cols = dict(zip(groups, np.split(np.arange(X.shape[1]), np.cumsum(dims)[:-1])))

    def choice(name, alts):
        if name not in cols:
            return np.zeros(R, dtype=int)
        return np.minimum((X[:, cols[name][0]] * len(alts)).astype(int), len(alts) - 1)

    factors = {}
    if "weights" in cols:
        c = cols["weights"]
        start = 0
        for lv, f in noisy:
            size = ev.nominal[lv - 1].size
            factors[lv] = 1.0 + f * (2.0 * X[:, c[start:start + size]] - 1.0)
            start += size
    combo = ev.combo_index(choice("imputation", ev.imp_alts), choice("treatment", ev.treat_alts),
                           choice("normalisation", ev.norm_alts))
    scores = ev.scores(combo, ev.weights_from_factors(factors, R), progress=progress)
    ua = _result(ev, scores, k, {})
    if output == "rank":
        y = ua.ranks[:, ev.units.index(str(unit))]
    else:
        y = np.nanmean(np.abs(ua.ranks - ua.nominal_ranks[None, :]), axis=1)
    indices, var = sobol_indices(y, int(n), len(groups), n_boot, rng)
    indices.index = pd.Index(groups, name="assumption")
    two_n = UncertaintyResult(ua.units, ua.nominal_scores, ua.nominal_ranks, ua.scores[:2 * n],
                              ua.ranks[:2 * n], k)
    return SensitivityResult(indices, var, int(n), output, None if unit is None else str(unit), two_n)

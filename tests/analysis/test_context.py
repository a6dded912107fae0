import numpy as np
import pytest

from piiplan.analysis.context import ColumnModel, UnitLevers, effective_weights, level_weights

from conftest import small_inputs


def test_effective_weights_reproduce_index(asem):
    res = asem.build()
    A = effective_weights(res)
    n = res.stages["normalised"][1]
    assert np.allclose(np.nansum(A * n, axis=1), res.aggregated[asem.framework.root], atol=1e-10)
    L = level_weights(res)
    pillar = res.structure.codes.index(res.structure.level_codes[1][0])
    assert np.allclose(np.nansum(L[:, :, pillar] * n, axis=1), res.aggregated.iloc[:, pillar], atol=1e-10,
                       equal_nan=True)


@pytest.mark.parametrize("seed", range(8))
def test_column_model_equals_full_build(asem, seed):
    rng = np.random.default_rng(seed)
    model = ColumnModel(asem)
    j = int(rng.integers(len(asem.indicators)))
    col = asem.data.iloc[:, j].to_numpy()
    cands = np.stack([col, col * rng.uniform(0.5, 3.0, col.size)])
    cands[1, int(rng.integers(col.size))] = np.nanmax(col) * 5          # a new outlier
    out = model.normalised(j, cands)
    data = asem.data.copy()
    data.iloc[:, j] = cands[1]
    full = asem.build(data).stages["normalised"][1][:, j]
    np.testing.assert_allclose(out[1], full, rtol=0, atol=1e-12)
    np.testing.assert_allclose(out[0], model.base.stages["normalised"][1][:, j], atol=1e-12)


@pytest.mark.parametrize("seed", range(10))
def test_lever_effects_are_additive_and_exact(seed):
    rng = np.random.default_rng(100 + seed)
    inp = small_inputs(rng, n_units=9, n_ind=4, integer=False)
    unit = inp.units[int(rng.integers(9))]
    lev = UnitLevers(inp, unit)
    new = lev.x0 + rng.normal(0, 5, size=lev.x0.size)
    total = sum(lev.effects(j, [new[j]])[0] for j in range(new.size))
    data = inp.data.copy()
    data.loc[unit] = new
    after = inp.build(data).aggregated[inp.framework.root].to_numpy()
    np.testing.assert_allclose(lev.s0 + total, after, atol=1e-10)

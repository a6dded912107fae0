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


RECIPES = {
    "pii": None, "coinr": None, "gii": None,
    "every_step": {"steps": [
        {"step": "denominate", "by": {}}, {"step": "impute", "method": "panel_linear"},
        {"step": "screen", "threshold": 0.5}, {"step": "treat", "method": "coinr", "winmax": 3},
        {"step": "normalise", "method": "zscore"}, {"step": "aggregate", "method": "amean"}]},
    "rank": {"steps": [{"step": "treat", "method": "none"}, {"step": "normalise", "method": "rank"},
                            {"step": "aggregate", "method": "amean"}]},
}


@pytest.mark.parametrize("name", RECIPES)
def test_column_model_runs_the_engine_pipeline_for_every_recipe(name):
    """The analysis recomputes a column through the engine's own per-step API: equal to a full build for
    every preset and for a recipe that uses every column step."""
    from piiplan.analysis.context import IndexInputs
    from piiplan.demo import load_demo
    from piiplan.engine import Recipe, load_framework, preset

    recipe = preset(name) if RECIPES[name] is None else Recipe.from_dict(RECIPES[name])
    inputs = IndexInputs.from_dataset(load_framework("pii-2025"), load_demo(), recipe=recipe)
    model = ColumnModel(inputs)
    rng = np.random.default_rng(7)
    for j in rng.choice(len(inputs.indicators), 4, replace=False):
        col = inputs.data.iloc[:, j].to_numpy()
        cand = col * rng.uniform(0.7, 2.0, col.size)
        data = inputs.data.copy()
        data.iloc[:, j] = cand
        full = inputs.build(data).stages["normalised"][1][:, j]
        np.testing.assert_allclose(model.normalised(j, cand[None, :])[0], full, rtol=0, atol=1e-12)


def test_an_unknown_step_is_refused_by_build_and_analysis_alike():
    from piiplan.engine.pipeline import STEPS, Pipeline

    assert STEPS == ("denominate", "impute", "screen", "treat", "normalise", "aggregate")
    with pytest.raises(ValueError, match="không được hỗ trợ"):
        Pipeline.run(object.__new__(Pipeline), {"step": "smooth"}, None)

"""Every recipe default is stored resolved: a saved recipe says exactly what was computed."""

import json

import numpy as np
import pytest

from piiplan.engine import Recipe, RecipeError, build_dataset, load_framework, preset


@pytest.mark.parametrize("name, skew, winmax", [("pii", 2.0, 5), ("coinr", 2.0, 5), ("gii", 2.25, 5)])
def test_saved_recipe_has_no_default_markers(tmp_path, name, skew, winmax):
    path = tmp_path / "recipe.json"
    preset(name).save(path)
    treat = next(s for s in json.loads(path.read_text(encoding="utf-8"))["steps"] if s["step"] == "treat")
    assert (treat["skew"], treat["kurt"], treat["winmax"], treat["log"]) == (skew, 3.5, winmax, "log_ct")
    assert Recipe.load(path).fingerprint == preset(name).fingerprint


def test_resolved_recipe_computes_the_same_index(tmp_path):
    from piiplan.demo import load_demo

    fw, ds = load_framework("pii-2025"), load_demo()
    path = tmp_path / "r.yaml"
    preset("pii").set("treat.winmax", None).save(path)            # None: no limit, kept as such
    loaded = Recipe.load(path)
    assert loaded.step("treat")["winmax"] is None
    a = build_dataset(fw, ds, 2025, preset("pii").set("treat.winmax", None))
    b = build_dataset(fw, ds, 2025, loaded)
    assert np.array_equal(a.aggregated.to_numpy(), b.aggregated.to_numpy(), equal_nan=True)
    c = build_dataset(fw, ds, 2025, Recipe.from_dict(preset("pii").to_dict()))
    assert np.array_equal(c.aggregated.to_numpy(), build_dataset(fw, ds, 2025, "pii").aggregated.to_numpy(),
                          equal_nan=True)


def test_invalid_recipe_message_is_vietnamese_only():
    with pytest.raises(RecipeError) as err:
        Recipe.from_json("{ not json")
    text = str(err.value)
    assert "JSON hợp lệ" in text and "dòng 1" in text and "Expecting" not in text

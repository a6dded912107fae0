import numpy as np
import pytest

from piiplan.analysis.whatif import what_if


@pytest.mark.parametrize("treatment", ["none", "coinr"])
def test_new_maximum_rescales_everyone(asem, treatment):
    inputs = asem.with_recipe(asem.recipe.set("treat.method", treatment))
    base = inputs.build()
    code = "CPI"                        # not winsorised: the new maximum must stretch the scale
    unit = base.aggregated[code].idxmin()
    new_value = asem.data[code].max() * 1.5
    w = what_if(inputs, [(unit, code, new_value)], base=base)
    after = w.after
    assert after.aggregated.at[unit, code] == 100.0
    others = [u for u in base.units if u != unit and base.aggregated.at[u, code] > 0]
    assert (after.aggregated.loc[others, code] < base.aggregated.loc[others, code]).all()
    assert any("giá trị tốt nhất" in n for n in w.notes)
    # the diff table equals an independent rebuild
    data = inputs.data.copy()
    data.at[unit, code] = new_value
    ref = inputs.build(data)
    root = asem.framework.root
    np.testing.assert_allclose(w.table.loc[base.units, "score_after"], ref.aggregated[root], atol=1e-12)
    np.testing.assert_allclose(w.table["score_change"], w.table["score_after"] - w.table["score_before"])
    assert (w.table["rank_change"] == w.table["rank_before"] - w.table["rank_after"]).all()


def test_winsorised_new_maximum_is_reported_as_capped(asem):
    base = asem.build()
    unit = base.aggregated["Goods"].idxmin()
    w = what_if(asem, [(unit, "Goods", asem.data["Goods"].max() * 2)], base=base)
    assert w.after.treated_points.at[unit, "Goods"] == "winhi"
    assert any("bị cắt" in n for n in w.notes)
    assert w.after.aggregated.at[unit, "Goods"] == 100.0


def test_several_units_and_dict_form(asem):
    units = asem.units[:3]
    edits = {u: {"CPI": 90.0, "Flights": 100.0} for u in units}
    w = what_if(asem, edits)
    assert len(w.edits) == 6
    for u in units:
        assert w.after.stage("raw").at[u, "CPI"] == 90.0
    d = w.to_dict()
    assert d["edits"][0]["to"] == 90.0 and len(d["ranking"]) == len(asem.units)


def test_unknown_unit_is_an_error(asem):
    with pytest.raises(KeyError, match="Không có đơn vị"):
        what_if(asem, [("XXX", "CPI", 1.0)])


def test_nan_infinite_and_missing_base_edits_are_refused():
    from piiplan.engine import InputError

    from conftest import small_inputs

    inp = small_inputs(np.random.default_rng(9), n_units=6, n_ind=3)
    u, c = inp.units[0], inp.indicators[0]
    for bad in (float("nan"), float("inf"), 1e308):
        with pytest.raises(InputError):
            what_if(inp, [(u, c, bad)])
    data = inp.data.copy()
    data.at[u, c] = np.nan
    with pytest.raises(InputError, match="chưa có số liệu"):
        what_if(inp.with_data(data), [(u, c, 5.0, "add")])
    w = what_if(inp, [(u, c, 50.0, "pct")])
    assert w.edits[0].new == pytest.approx(1.5 * inp.data.at[u, c])

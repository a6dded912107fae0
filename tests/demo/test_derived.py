"""Derived indicators: hand-made economies, the focus province's rank placement, the engine's scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piiplan.demo.derived import Economy, engine_scores, load_derived, place_in_rank, raw_column

ECO = Economy(grdp=np.array([10.0, 20.0, 40.0, 80.0, 1000.0]), population=np.array([500.0, 800.0, 1000.0, 2000.0, 9000.0]),
              city=np.array([False, False, False, True, True]))


def row(basis, scale, elasticity=0.0, sd=0.0, premium=1.0):
    return pd.Series({"basis": basis, "scale": scale, "elasticity": elasticity, "sd": sd, "city_premium": premium})


def test_share_without_noise_is_the_grdp_share():
    x = raw_column(row("share", 100), ECO, np.zeros(5))
    np.testing.assert_allclose(x, ECO.grdp / ECO.grdp.sum() * 100)


def test_amount_total_is_scale_times_gdp():
    x = raw_column(row("amount", 5.0, 0.25, 0.3), ECO, np.random.default_rng(0).normal(size=5))
    assert x.sum() == pytest.approx(5.0 * ECO.grdp.sum() * 1000)
    # without noise, capital per unit of GRDP grows with the economy (elasticity > 0)
    y = raw_column(row("amount", 5.0, 0.25), ECO, np.zeros(5))
    assert np.all(np.diff(y / ECO.grdp) > 0)


def test_income_mean_and_city_premium():
    x = raw_column(row("income", 5700, 0.5, 0.0, 1.3), ECO, np.zeros(5))
    assert float((x * ECO.population).sum() / ECO.population.sum()) == pytest.approx(5700)
    plain = raw_column(row("income", 5700, 0.5, 0.0, 1.0), ECO, np.zeros(5))
    assert x[3] / x[2] == pytest.approx(1.3 * plain[3] / plain[2])


def rank_of(x, r):
    return int((x > x[r]).sum()) + 1


def test_place_in_rank_moves_only_when_needed():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    assert np.array_equal(place_in_rank(x, 2, (2, 5)), x)           # rank 4 already
    y = place_in_rank(x, 0, (2, 5))                                 # rank 6 → just above 2.0
    assert rank_of(y, 0) == 5 and 2.0 < y[0] < 3.0
    assert np.array_equal(np.delete(y, 0), np.delete(x, 0))
    z = place_in_rank(x, 5, (3, 3))                                 # rank 1 → exactly 3rd
    assert rank_of(z, 5) == 3 and 3.0 < z[5] < 4.0


def test_place_in_rank_with_neighbours_one_float_apart():
    # no float lies strictly between 0.1 and the next one: the value ties the lower neighbour, which still
    # gives the asked rank (ties rank by the minimum)
    x = np.array([1.0, 2.0, 3.0, 0.5, 0.1, np.nextafter(0.1, 1.0)])
    y = place_in_rank(x, 0, (5, 5))
    assert rank_of(y, 0) == 5 and y[0] == 0.1


# values as the demo has them (rounded): two of them are never adjacent floats, so a gap always exists
@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.1, 1000.0).map(lambda v: round(v, 6)), min_size=8, max_size=34, unique=True),
       st.data())
def test_place_in_rank_reaches_every_interval(values, data):
    x = np.array(values)
    n = x.size
    r = data.draw(st.integers(0, n - 1))
    a = data.draw(st.integers(1, n))
    b = data.draw(st.integers(a, n))
    y = place_in_rank(x, r, (a, b))
    assert a <= rank_of(y, r) <= b
    assert y[r] not in np.delete(y, r)


def test_engine_scores_are_the_engines():
    from piiplan.engine import Dataset, build_dataset
    from piiplan.engine import load_framework

    fw = load_framework("pii-2025")
    rng = np.random.default_rng(3)
    units = [f"u{i}" for i in range(20)]
    X = np.column_stack([np.exp(rng.normal(0, 1.2, 20)) * 100, rng.uniform(1, 2, 20)])
    X[0, 0] = X[:, 0].max() * 8      # a strong outlier: COINr treatment fires
    scores, fired = engine_scores(X, ["4.2.1", "4.1.1"])
    assert fired[0] != "none" and fired[1] == "none"
    full = rng.uniform(0, 1, (20, len(fw.indicators)))
    full[:, fw.indicators.index("4.2.1")] = X[:, 0]
    full[:, fw.indicators.index("4.1.1")] = X[:, 1]
    vals = pd.DataFrame(full, index=units, columns=fw.indicators).rename_axis(index="unit", columns="indicator")
    long = vals.stack().rename("value").reset_index()
    long["year"] = 2025
    ds = Dataset(pd.DataFrame({"name": units}, index=pd.Index(units, name="unit")), long)
    res = build_dataset(fw, ds, 2025, "pii")
    np.testing.assert_allclose(res.normalised.loc[units, "4.2.1"], scores[:, 0], atol=1e-9)
    np.testing.assert_allclose(res.normalised.loc[units, "4.1.1"], scores[:, 1], atol=1e-9)


def test_shipped_spec_is_consistent():
    d = load_derived()
    assert set(d["basis"]) <= {"share", "amount", "income"}
    assert list(d.index) == ["4.1.2", "4.1.4", "4.2.1", "7.2.3"]

"""One trend fit (engine.impute.linear_trend) behind panel imputation and projections."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piiplan.engine.impute import impute, linear_trend


@settings(max_examples=40)
@given(st.lists(st.one_of(st.none(), st.floats(-1e3, 1e3)), min_size=4, max_size=4))
def test_linear_trend_is_least_squares(cells):
    years = np.array([2021, 2022, 2023, 2024], dtype=float)
    y = np.array([np.nan if c is None else c for c in cells])
    got = linear_trend(years, y[:, None], 2025)[0]
    ok = ~np.isnan(y)
    if ok.sum() == 0:
        assert np.isnan(got)
    elif ok.sum() == 1:
        assert got == pytest.approx(y[ok][0])
    else:
        slope, intercept = np.polyfit(years[ok], y[ok], 1)
        assert got == pytest.approx(slope * 2025 + intercept, abs=1e-6 * (1 + np.abs(y[ok]).max()))


def test_panel_imputation_and_projection_use_the_same_fit():
    from piiplan.analysis.projection import project_data
    from piiplan.demo import load_demo
    from piiplan.engine import load_framework

    fw, ds = load_framework("pii-2025"), load_demo()
    years = ds.years[:-1]
    stack = np.stack([ds.wide(y, fw.indicators).to_numpy(dtype=float) for y in years])
    projected = project_data(fw, ds, years[-1]).to_numpy()
    assert np.array_equal(projected, linear_trend(np.array(years), stack, years[-1] + 1), equal_nan=True)
    blank = np.full_like(stack[0], np.nan)
    filled = impute(blank, "panel_linear", history=list(zip(years, stack)), year=years[-1] + 1)
    assert np.array_equal(filled, projected, equal_nan=True)

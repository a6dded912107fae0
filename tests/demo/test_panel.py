"""The shipped panel: ranges, missing values, structure, year-on-year change, denominators, units."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from piiplan import reference
from piiplan.demo import SYNTHETIC_LABEL, demo_framework, demo_metadata, load_demo
from piiplan.demo.derived import load_derived
from piiplan.demo.spec import load_spec

MOUNTAINS = "Trung du và miền núi phía Bắc"
RED_RIVER = "Đồng bằng sông Hồng"


@pytest.fixture(scope="module")
def fw():
    return demo_framework()


@pytest.fixture(scope="module")
def ds():
    return load_demo()


@pytest.fixture(scope="module")
def spec(fw):
    return load_spec(fw).indicators


def test_units_are_the_34_provinces_with_their_region(ds):
    ref = reference.provinces()
    assert list(ds.units.index) == list(ref.index)
    assert (ds.units["region"] == ref["region"]).all()
    assert {"name", "kind", "region"} <= set(ds.units.columns)
    assert ds.years == [2023, 2024, 2025]


def test_every_cell_is_present_once(ds, fw):
    v = ds.values
    assert len(v) == 34 * 52 * 3
    assert not v.duplicated(["unit", "indicator", "year"]).any()
    assert set(v["indicator"]) == set(fw.indicators)


def test_values_stay_within_physical_bounds(ds, spec, fw):
    for year in ds.years:
        w = ds.wide(year, fw.indicators)
        for code in fw.indicators:
            col = w[code].dropna()
            lo = spec.at[code, "bound_lo"]
            hi = spec.at[code, "bound_hi"]
            assert (col >= lo).all(), (year, code)
            if not np.isnan(hi):
                assert (col <= hi).all(), (year, code)


def test_2025_spans_each_indicator_range(ds, spec, fw):
    """Designed indicators span [lo, hi] exactly; derived ones (amounts, shares, income) have none."""
    derived = load_derived().index
    assert spec.loc[derived, ["lo", "hi"]].isna().all().all()
    designed = [c for c in fw.indicators if c not in derived]
    w = ds.wide(2025, designed)
    assert np.allclose(w.min().to_numpy(), spec.loc[designed, "lo"].to_numpy())
    assert np.allclose(w.max().to_numpy(), spec.loc[designed, "hi"].to_numpy())


def test_familiar_ranges(ds):
    for year in ds.years:
        w = ds.wide(year)
        assert w["7.2.4"].dropna().between(0.6, 0.85).all()            # HDI
        for code in ("1.2.1", "1.2.2", "1.2.3", "1.2.4"):              # PCI sub-indices
            assert w[code].dropna().between(0, 10).all()
        assert w["3.1.1"].dropna().between(0, 1).all()                 # DTI


def test_missing_values_never_empty_a_sub_pillar(ds, fw):
    for year in ds.years:
        w = ds.wide(year, fw.indicators)
        share = w.isna().to_numpy().mean()
        assert 0.015 <= share <= 0.025
        for sub in fw.codes_at(2):
            kids = fw.children(sub)
            assert not w[kids].isna().all(axis=1).any(), (year, sub)


def test_big_cities_lead_on_r_and_d_and_enterprises(ds):
    w = ds.wide(2025)
    for code in ("2.2.3", "4.2.2", "6.1.1", "4.2.3"):
        top3 = w[code].nlargest(3).index
        assert {"Hà Nội", "Thành phố Hồ Chí Minh"} & set(top3), code


def test_mountain_provinces_lower(ds):
    w = ds.wide(2025)
    region = ds.units["region"]
    for code in ("2.2.3", "4.2.2", "7.2.3", "7.2.4", "3.2.1"):
        means = w[code].groupby(region).mean()
        assert means[MOUNTAINS] < means[RED_RIVER], code


def test_indicators_within_a_pillar_are_correlated(ds, fw):
    w = ds.wide(2025, fw.indicators)
    corr = w.corr()
    pillar = {c: fw.ancestors(c)[1] for c in fw.indicators}
    within, across = [], []
    for i, a in enumerate(fw.indicators):
        for b in fw.indicators[i + 1:]:
            (within if pillar[a] == pillar[b] else across).append(corr.at[a, b])
    assert np.nanmean(within) > np.nanmean(across) + 0.05
    assert np.nanmean(within) > 0.25


def test_year_on_year_change_is_modest(ds, fw):
    for year in (2024, 2025):
        now, before = ds.wide(year, fw.indicators), ds.wide(year - 1, fw.indicators)
        rel = ((now - before) / before.abs()).abs().stack().dropna()
        assert rel.median() < 0.08
        assert rel.quantile(0.95) < 0.25


def test_denominators_agree_with_the_indicators(ds, fw):
    assert set(ds.denominators["name"]) == {"population", "grdp", "area", "enterprises", "labour"}
    for year in ds.years:
        den = ds.denominator_table(year)
        w = ds.wide(year, fw.indicators)
        ok = w["4.2.2"].notna()
        # enterprises = density per 1,000 people × population in thousands
        np.testing.assert_allclose(den.loc[ok, "enterprises"], (w.loc[ok, "4.2.2"] * den.loc[ok, "population"]),
                                   atol=0.6)
        ok = w["7.2.2"].notna()
        np.testing.assert_allclose(den.loc[ok, "labour"], w.loc[ok, "7.2.2"] / 100 * den.loc[ok, "population"],
                                   atol=0.06)
    pop24 = ds.denominator_table(2024)["population"]
    assert pop24.round(0).equals(reference.provinces()["population_2024"].astype(float).round(0))


def test_metadata_and_label(ds):
    meta = demo_metadata()
    assert meta["label"] == SYNTHETIC_LABEL == "Dữ liệu mô phỏng — không phải số liệu chính thức"
    assert meta["years"] == ds.years
    assert ds.source == SYNTHETIC_LABEL


def test_load_demo_returns_independent_copies():
    a = load_demo()
    a.values.loc[0, "value"] = -1.0
    assert load_demo().values.loc[0, "value"] != -1.0

"""Plausibility of the shipped panel's raw values, one check per indicator family, every year.

Every indicator's unit (``pii-2025.csv``) must belong to a family checked here, so an indicator added
to the framework cannot go unchecked. Magnitudes are compared with the panel's own denominators
(GRDP in thousand billion đồng, population in thousand people) and with Vietnam's order of magnitude
(GDP about 11–12 million billion đồng, ~1 million active enterprises).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from piiplan.demo import demo_framework, load_demo

MOUNTAINS = "Trung du và miền núi phía Bắc"
RED_RIVER = "Đồng bằng sông Hồng"
BIG_CITIES = ["Hà Nội", "Thành phố Hồ Chí Minh"]

# unit → family; every unit of the framework must be listed
FAMILY = {
    "điểm (0–100)": "score_0_100", "điểm (thang chưa công bố)": "score_0_100", "điểm (8–80)": "papi",
    "điểm (0–10)": "score_0_10", "chỉ số (0–1)": "index_0_1", "%": "rate", "% GRDP": "pct_grdp",
    "% (so với năm trước)": "yoy_index", "điểm phần trăm": "points", "tỷ đồng": "amount",
    "kWh/người": "per_head", "nghìn đồng/người/tháng": "income",
    "số/10.000 dân": "per_pop", "người/10.000 dân": "per_pop", "số/1.000 dân": "per_pop",
    "số/1.000 doanh nghiệp": "per_firm", "số/1.000 doanh nghiệp chế biến, chế tạo": "per_firm",
}
# plausible national totals (counts a year, or a stock) implied by rates per population / per enterprise
NATIONAL = {
    "2.1.4": (1.0e6, 3.5e6),      # university students
    "2.2.1": (2.0e3, 1.0e4),      # S&T organisations
    "2.2.3": (5.0e4, 3.0e5),      # R&D personnel
    "4.2.2": (6.0e5, 1.5e6),      # active enterprises
    "4.2.3": (1.0e5, 2.5e5),      # new enterprises a year
    "5.4.2": (1.0e2, 1.5e3),      # innovation intermediaries
    "6.1.1": (3.0e2, 3.0e3),      # patent applications (domestic)
    "6.1.2": (2.0e2, 2.0e3),      # utility-solution applications
    "6.2.1": (5.0e1, 1.0e3),      # plant-variety applications
    "6.2.3": (5.0e2, 6.0e3),      # industrial-design applications
    "6.2.4": (1.0e1, 2.0e2),      # geographical-indication applications
    "6.3.2": (3.0e2, 3.0e3),      # S&T enterprises
    "7.1.2": (1.0e3, 5.0e3),      # OCOP products of 4 stars or more
}


@pytest.fixture(scope="module")
def fw():
    return demo_framework()


@pytest.fixture(scope="module")
def ds():
    return load_demo()


@pytest.fixture(scope="module")
def families(fw):
    table = pd.read_csv(fw_path(), dtype=str).set_index("code")
    return {c: FAMILY.get(table.at[c, "unit"]) for c in fw.indicators}


def fw_path():
    from importlib import resources

    return resources.files("piiplan").joinpath("data", "frameworks", "pii-2025.csv")


def years(ds):
    for year in ds.years:
        yield year, ds.wide(year), ds.denominator_table(year)


def test_every_indicator_belongs_to_a_checked_family(families):
    unchecked = [c for c, f in families.items() if f is None]
    assert not unchecked


def test_shares_of_gdp_sum_to_100_and_follow_grdp(ds):
    for year, w, den in years(ds):
        share = w["4.2.1"]
        assert share.notna().all(), year
        assert share.sum() == pytest.approx(100.0, abs=0.01), year
        gshare = den["grdp"] / den["grdp"].sum() * 100
        # each province within 0.3 points (or 15 %) of its GRDP share; Lạng Sơn sits just above the
        # fifth-smallest province, which its plan's list of weaknesses implies (docs/demo-data.md)
        gap = (share - gshare).abs()
        assert ((gap <= 0.3) | (gap <= 0.15 * gshare)).all(), (year, gap.idxmax())
        assert np.corrcoef(share, gshare)[0, 1] > 0.99
        assert share.idxmax() == "Thành phố Hồ Chí Minh" and share.nlargest(2).index[1] == "Hà Nội"


def test_amounts_agree_with_grdp(ds, families):
    amounts = [c for c, f in families.items() if f == "amount"]
    assert amounts == ["4.1.2", "4.1.4"]
    for year, w, den in years(ds):
        gdp = den["grdp"].sum() * 1000                     # billion đồng
        assert 10.0e6 <= den["grdp"].sum() * 1000 * 1.075 ** (2025 - year) <= 12.5e6
        for code in amounts:
            col = w[code]
            assert col.notna().all(), (year, code)
            assert 1.0 <= col.sum() / gdp <= 8.0, (year, code)            # national total vs GDP
            ratio = col / (den["grdp"] * 1000)
            assert ratio.between(0.3, 10.0).all(), (year, code, ratio.idxmin(), ratio.idxmax())
            assert col.corr(den["grdp"], method="spearman") > 0.85, (year, code)
        assert w["4.1.4"].sum() < w["4.1.2"].sum()
        assert w.at["Lạng Sơn", "4.1.2"] < 0.01 * w["4.1.2"].sum()


def test_income_per_head_follows_the_economy(ds):
    for year, w, den in years(ds):
        inc = w["7.2.3"]
        assert inc.between(2000, 12000).all(), year
        mean = float((inc * den["population"]).sum() / den["population"].sum())
        assert 4000 <= mean <= 7000, year
        top3 = set(inc.nlargest(3).index)
        assert set(BIG_CITIES) <= top3, (year, top3)
        assert (inc[BIG_CITIES] > inc["Huế"]).all() and (inc[BIG_CITIES] > mean).all()
        gpc = den["grdp"] / den["population"]
        assert inc.corr(gpc, method="spearman") > 0.7
        region = ds.units["region"]
        means = inc.groupby(region).mean()
        assert means[MOUNTAINS] < means[RED_RIVER]


def test_rates_and_scores_within_their_scales(ds, families):
    bounds = {"score_0_100": (0, 100), "papi": (8, 80), "score_0_10": (0, 10), "index_0_1": (0, 1),
              "rate": (0, 100), "yoy_index": (80, 150), "points": (-5, 20), "pct_grdp": (0, 400),
              "per_head": (100, 20000)}
    for year, w, _ in years(ds):
        for code, fam in families.items():
            if fam in bounds:
                lo, hi = bounds[fam]
                assert w[code].dropna().between(lo, hi).all(), (year, code)
        assert w["7.2.4"].dropna().between(0.6, 0.85).all()                  # HDI
        for code in ("1.2.1", "1.2.2", "1.2.3", "1.2.4", "2.1.1"):           # PCI sub-indices, exam
            assert w[code].dropna().between(0, 10).all()
        assert w["2.2.2"].dropna().between(0, 2).all()                        # S&T spending, % GRDP
        assert w["7.1.4"].dropna().between(-20, 30).all()                     # productivity growth


def test_rates_per_head_imply_plausible_national_totals(ds, families):
    per = {"số/10.000 dân": 10.0, "người/10.000 dân": 10.0, "số/1.000 dân": 1.0}   # population in thousands
    table = pd.read_csv(fw_path(), dtype=str).set_index("code")
    for year, w, den in years(ds):
        for code, (lo, hi) in NATIONAL.items():
            col = w[code].dropna()
            unit = table.at[code, "unit"]
            if unit.startswith("số/1.000 doanh nghiệp"):
                total = float((col * den.loc[col.index, "enterprises"] / 1000).sum())
            else:
                total = float((col * den.loc[col.index, "population"] / per[unit]).sum())
            total *= len(w) / len(col)                       # scale up for missing provinces
            assert lo <= total <= hi, (year, code, total)


def test_rates_per_enterprise_imply_plausible_counts(ds, families):
    firm = [c for c, f in families.items() if f == "per_firm"]
    for year, w, den in years(ds):
        ent = den["enterprises"]
        for code in firm:
            col = w[code].dropna()
            count = col * ent[col.index] / 1000
            assert (count >= 0).all()
            assert count.sum() < ent.sum(), (year, code)         # fewer than the enterprises themselves

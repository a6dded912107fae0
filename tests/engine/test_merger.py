"""63 → 34 carry-over (`piiplan.engine.merger`) on hand-made examples.

Three successors: Alpha (A1 + A2 + A3), Beta (B1 + B2) and Gamma (not merged). Three indicators:
``cnt`` (sum), ``score`` (popmean) and ``rate`` (wmean:grdp). Expected values are worked out by hand
in the comments.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piiplan import reference
from piiplan.engine.merger import MergeError, carry_over, derive_weight, parse_rule

MAPPING = {"A1": "Alpha", "A2": "Alpha", "A3": "Alpha", "B1": "Beta", "B2": "Beta",
           "Gamma": "Gamma"}
RULES = {"cnt": "sum", "score": "popmean", "rate": "wmean:grdp"}
WEIGHTS = pd.DataFrame(
    {"population": [100, 300, 600, 200, 200, 50], "grdp": [50, 25, 25, 10, 30, 7]},
    index=["A1", "A2", "A3", "B1", "B2", "Gamma"],
)
RAW = {
    #          A1    A2    A3    B1   B2   Gamma
    "cnt":   [10.0, 20.0, 30.0, 5.0, 7.0, 0.1 + 0.2],
    "score": [4.0, 6.0, 8.0, 3.0, 5.0, 7.123456789],
    "rate":  [2.0, 4.0, 8.0, 1.0, 3.0, 1 / 3],
}


def make_values(years=(2023,), drop=()):
    rows = []
    for year in years:
        for code, vals in RAW.items():
            for unit, v in zip(WEIGHTS.index, vals):
                if (unit, code, year) in drop:
                    continue
                rows.append((unit, code, year, v))
    return pd.DataFrame(rows, columns=["unit", "indicator", "year", "value"])


def cell(df, unit, code, year=2023, col="value"):
    hit = df[(df["unit"] == unit) & (df["indicator"] == code) & (df["year"] == year)]
    assert len(hit) == 1, (unit, code, year)
    return hit.iloc[0][col]


def test_each_rule_on_complete_data():
    out, log = carry_over(make_values(), MAPPING, RULES, WEIGHTS)
    assert cell(out, "Alpha", "cnt") == 60.0            # 10 + 20 + 30
    assert cell(out, "Beta", "cnt") == 12.0             # 5 + 7
    # popmean: (4·100 + 6·300 + 8·600) / 1000 = 7.0 ; (3·200 + 5·200) / 400 = 4.0
    assert cell(out, "Alpha", "score") == pytest.approx(7.0, abs=1e-12)
    assert cell(out, "Beta", "score") == pytest.approx(4.0, abs=1e-12)
    # wmean:grdp: (2·50 + 4·25 + 8·25) / 100 = 4.0, not the population-weighted 6.2
    assert cell(out, "Alpha", "rate") == pytest.approx(4.0, abs=1e-12)
    assert cell(out, "Beta", "rate") == pytest.approx(2.5, abs=1e-12)   # (10 + 90) / 40
    assert set(out["unit"]) == {"Alpha", "Beta", "Gamma"}
    assert len(out) == 3 * 3
    assert list(out.columns) == ["unit", "indicator", "year", "value"]
    assert cell(log, "Alpha", "cnt", col="status") == "merged"
    assert bool(cell(log, "Alpha", "score", col="approximate")) is True
    assert bool(cell(log, "Alpha", "rate", col="approximate")) is False
    assert "xấp xỉ" in cell(log, "Alpha", "score", col="message")


def test_unmerged_province_keeps_its_value_exactly():
    out, log = carry_over(make_values(), MAPPING, RULES, WEIGHTS)
    for code, vals in RAW.items():
        assert cell(out, "Gamma", code) == vals[-1]     # bit for bit, no arithmetic
        assert cell(log, "Gamma", code, col="status") == "kept"


def test_renamed_single_province_keeps_its_value():
    # Thừa Thiên Huế became Huế without merging: the value is carried under the new name.
    mapping = {"Thừa Thiên Huế": "Huế"}
    values = pd.DataFrame({"unit": ["Thừa Thiên Huế"], "indicator": ["cnt"], "year": [2024],
                           "value": [0.1 + 0.7]})
    out, _ = carry_over(values, mapping, RULES, WEIGHTS.iloc[:0])
    assert out.iloc[0]["unit"] == "Huế" and out.iloc[0]["value"] == 0.1 + 0.7


def test_missing_part_of_a_sum_gives_na_and_is_logged():
    out, log = carry_over(make_values(drop={("A3", "cnt", 2023)}), MAPPING, RULES, WEIGHTS)
    assert math.isnan(cell(out, "Alpha", "cnt"))
    assert cell(log, "Alpha", "cnt", col="status") == "missing"
    assert cell(log, "Alpha", "cnt", col="missing_parts") == "A3"
    assert "A3" in cell(log, "Alpha", "cnt", col="message")
    assert cell(out, "Beta", "cnt") == 12.0             # other successors unaffected


def test_nan_value_counts_as_missing_like_an_absent_row():
    values = make_values()
    values.loc[(values["unit"] == "A3") & (values["indicator"] == "cnt"), "value"] = np.nan
    out, _ = carry_over(values, MAPPING, RULES, WEIGHTS)
    assert math.isnan(cell(out, "Alpha", "cnt"))


def test_missing_part_of_a_sum_scaled_when_allowed():
    out, log = carry_over(make_values(drop={("A3", "cnt", 2023)}), MAPPING, RULES, WEIGHTS,
                          sum_missing="scale:population")
    # (10 + 20) × 1000 / (100 + 300) = 75
    assert cell(out, "Alpha", "cnt") == pytest.approx(75.0, abs=1e-12)
    assert cell(log, "Alpha", "cnt", col="status") == "partial"


def test_missing_part_of_a_weighted_mean_renormalises_weights():
    out, log = carry_over(make_values(drop={("A3", "score", 2023), ("A1", "rate", 2023)}),
                          MAPPING, RULES, WEIGHTS)
    # (4·100 + 6·300) / 400 = 5.5 ; (4·25 + 8·25) / 50 = 6.0
    assert cell(out, "Alpha", "score") == pytest.approx(5.5, abs=1e-12)
    assert cell(out, "Alpha", "rate") == pytest.approx(6.0, abs=1e-12)
    assert cell(log, "Alpha", "score", col="status") == "partial"
    assert cell(log, "Alpha", "score", col="n_used") == 2
    assert cell(log, "Alpha", "score", col="n_parts") == 3
    assert "A3" in cell(log, "Alpha", "score", col="message")


def test_all_parts_missing_gives_na():
    values = make_values()
    values.loc[values["unit"].isin(["B1", "B2"]) & (values["indicator"] == "rate"), "value"] = np.nan
    out, log = carry_over(values, MAPPING, RULES, WEIGHTS)
    assert math.isnan(cell(out, "Beta", "rate"))
    assert cell(log, "Beta", "rate", col="status") == "missing"
    assert cell(log, "Beta", "rate", col="missing_parts") == "B1; B2"


def test_year_specific_weights():
    weights = pd.DataFrame({
        "unit": ["B1", "B2", "B1", "B2"], "year": [2023, 2023, 2024, 2024],
        "population": [100, 300, 300, 100], "grdp": [1, 1, 1, 1],
    })
    values = make_values(years=(2023, 2024))
    values = values[values["unit"].isin(["B1", "B2"])]
    out, _ = carry_over(values, MAPPING, RULES, weights)
    assert cell(out, "Beta", "score", 2023) == pytest.approx(4.5, abs=1e-12)   # (300 + 1500) / 400
    assert cell(out, "Beta", "score", 2024) == pytest.approx(3.5, abs=1e-12)   # (900 + 500) / 400


def test_derive_weight_from_an_indicator():
    values = make_values()
    weights = derive_weight(values, WEIGHTS, "firms", "cnt", base="population", scale=0.5)
    a2 = weights[(weights["unit"] == "A2") & (weights["year"] == 2023)].iloc[0]
    assert a2["firms"] == pytest.approx(20.0 * 300 * 0.5)
    out, _ = carry_over(values, MAPPING, {**RULES, "rate": "wmean:firms"}, weights)
    # firms A1 = 500, A2 = 3000, A3 = 9000 → (2·500 + 4·3000 + 8·9000) / 12500 = 6.8
    assert cell(out, "Alpha", "rate") == pytest.approx(6.8, abs=1e-12)


def test_derived_weight_of_a_missing_value_uses_the_median_or_stays_missing():
    values = make_values(drop={("A3", "cnt", 2023)})
    weights = derive_weight(values, WEIGHTS, "firms", "cnt")
    a3 = weights[(weights["unit"] == "A3")].iloc[0]
    # median of the other five values (10, 20, 5, 7, 0.3) is 7 → 7 × 600
    assert a3["firms"] == pytest.approx(7.0 * 600)
    strict = derive_weight(values, WEIGHTS, "firms", "cnt", fill="none")
    assert math.isnan(strict.loc[strict["unit"] == "A3", "firms"].iloc[0])
    with pytest.raises(MergeError, match="trọng số “firms” của A3"):
        carry_over(values, MAPPING, {**RULES, "rate": "wmean:firms"}, strict)


def test_unknown_former_province_is_a_vietnamese_error():
    values = make_values()
    values.loc[0, "unit"] = "Atlantis"
    with pytest.raises(MergeError, match="Tỉnh cũ không có trong bảng sáp nhập.*Atlantis"):
        carry_over(values, MAPPING, RULES, WEIGHTS)


def test_indicator_without_rule_is_an_error():
    with pytest.raises(MergeError, match="chưa có quy tắc gộp.*rate"):
        carry_over(make_values(), MAPPING, {"cnt": "sum", "score": "popmean"}, WEIGHTS)


@pytest.mark.parametrize("bad", ["mean", "wmean:", "wmean", "", "SUM"])
def test_invalid_rule_is_an_error(bad):
    with pytest.raises(MergeError, match="Quy tắc gộp .* không hợp lệ"):
        carry_over(make_values(), MAPPING, {**RULES, "cnt": bad}, WEIGHTS)


def test_parse_rule():
    assert parse_rule("sum") == ("sum", None)
    assert parse_rule("popmean") == ("wmean", "population")
    assert parse_rule("wmean:enterprises") == ("wmean", "enterprises")


def test_missing_weight_column_is_an_error():
    with pytest.raises(MergeError, match="Thiếu cột trọng số: grdp"):
        carry_over(make_values(), MAPPING, RULES, WEIGHTS[["population"]])


def test_missing_weight_of_a_part_with_a_value_is_an_error():
    weights = WEIGHTS.astype(float)
    weights.loc["A2", "grdp"] = np.nan
    with pytest.raises(MergeError, match="trọng số “grdp” của A2"):
        carry_over(make_values(), MAPPING, RULES, weights)


def test_duplicate_value_rows_are_an_error():
    values = make_values()
    values = pd.concat([values, values.iloc[[0]]])
    with pytest.raises(MergeError, match="lặp lại.*A1.*cnt"):
        carry_over(values, MAPPING, RULES, WEIGHTS)


def test_invalid_sum_missing_option():
    with pytest.raises(MergeError, match="sum_missing"):
        carry_over(make_values(), MAPPING, RULES, WEIGHTS, sum_missing="impute")


@settings(max_examples=60, deadline=None)
@given(
    vals=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=5, max_size=5),
    pops=st.lists(st.floats(0.5, 1e4), min_size=5, max_size=5),
)
def test_weighted_mean_lies_within_parts_and_sum_adds_up(vals, pops):
    weights = pd.DataFrame({"population": pops + [1.0], "grdp": pops[::-1] + [1.0]},
                           index=list(WEIGHTS.index))
    rows = [(u, c, 2023, v) for c in RAW for u, v in zip(WEIGHTS.index, vals + [42.0])]
    values = pd.DataFrame(rows, columns=["unit", "indicator", "year", "value"])
    out, _ = carry_over(values, MAPPING, RULES, weights)
    tol = 1e-9 * (1 + max(abs(v) for v in vals))
    for succ, parts in (("Alpha", vals[:3]), ("Beta", vals[3:5])):
        assert cell(out, succ, "cnt") == pytest.approx(sum(parts), abs=tol)
        for code in ("score", "rate"):
            assert min(parts) - tol <= cell(out, succ, code) <= max(parts) + tol
    assert cell(out, "Gamma", "score") == 42.0


def test_real_map_keeps_unmerged_provinces_and_merges_the_others():
    former = reference.former_provinces()
    weights = reference.former_weights()
    values = pd.DataFrame({"unit": former.index, "indicator": "x", "year": 2024,
                           "value": np.arange(len(former), dtype=float) + 0.1})
    out, log = carry_over(values, former, {"x": "popmean"}, weights)
    assert sorted(out["unit"]) == sorted(reference.provinces().index)
    by_unit = out.set_index("unit")["value"]
    lang_son = values.set_index("unit").loc["Lạng Sơn", "value"]
    assert by_unit["Lạng Sơn"] == lang_son
    assert by_unit["Huế"] == values.set_index("unit").loc["Thừa Thiên Huế", "value"]
    # Tuyên Quang = Tuyên Quang + Hà Giang, population-weighted
    v = values.set_index("unit")["value"]
    p = weights["population"]
    expected = (v["Tuyên Quang"] * p["Tuyên Quang"] + v["Hà Giang"] * p["Hà Giang"]) / (
        p["Tuyên Quang"] + p["Hà Giang"])
    assert by_unit["Tuyên Quang"] == pytest.approx(expected, rel=1e-12)
    assert (log["status"] == "kept").sum() == 11   # provinces the 2025 merger left alone

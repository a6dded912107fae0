"""The plausibility rules of agency data entry (analysis/plausibility.py)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, strategies as st

from piiplan.analysis import plausibility as pl
from piiplan.engine import load_framework


@pytest.mark.parametrize("unit, expected", [
    ("chỉ số (0–1)", (0.0, 1.0)),
    ("điểm (0–100)", (0.0, 100.0)),
    ("điểm (8–80)", (8.0, 80.0)),
    ("%", (0.0, 100.0)),
    ("% GRDP", (0.0, 100.0)),
    ("% (so với năm trước)", (None, None)),
    ("điểm phần trăm", (None, None)),
    ("tỷ đồng", (0.0, None)),
    ("số/10.000 dân", (0.0, None)),
    ("kWh/người", (0.0, None)),
    ("điểm (thang chưa công bố)", (None, None)),
    ("", (None, None)),
])
def test_range_of_each_unit(unit, expected):
    assert pl.value_range(unit) == expected


def test_every_framework_unit_gets_a_rule_or_is_deliberately_open():
    fw = load_framework("pii-2025")
    open_units = {"% (so với năm trước)", "điểm phần trăm", "điểm (thang chưa công bố)"}
    for code in fw.indicators:
        unit = str(fw.nodes.at[code, "unit"])
        low, high = pl.value_range(unit)
        assert (low, high) != (None, None) or unit in open_units, (code, unit)


def test_hdi_above_one_is_an_error_with_a_vietnamese_message():
    findings = pl.check(1.3, unit="chỉ số (0–1)")
    assert [f.level for f in findings] == [pl.ERROR]
    assert "nằm ngoài khoảng 0–1" in findings[0].message


def test_negative_amount_and_share_above_100():
    assert pl.errors(pl.check(-5, unit="tỷ đồng")) == ["Giá trị -5 không được âm (đơn vị «tỷ đồng»)."]
    assert pl.errors(pl.check(140, unit="%"))
    assert not pl.check(-3.5, unit="% (so với năm trước)")


def test_year_on_year_jump_warns_not_errors():
    # The example: 4.2.2 from 7,01 to 25,3.
    findings = pl.check(25.3, unit="số/1.000 dân", previous=7.01)
    assert pl.errors(findings) == []
    (warning,) = pl.warnings(findings)
    assert "tăng 261% so với năm trước (7,01)" in warning and "±50%" in warning
    assert pl.check(9.0, unit="số/1.000 dân", previous=7.01) == []
    assert pl.warnings(pl.check(9.0, unit="số/1.000 dân", previous=7.01, max_change=0.2))


def test_formatter_of_the_caller_is_used():
    findings = pl.check(1234.5, unit="%", fmt=lambda v: f"<{v}>")
    assert "<1234.5>" in findings[0].message


def test_infinite_and_nan_are_errors():
    assert pl.check(math.inf)[0].is_error and pl.check(math.nan)[0].is_error


@given(low=st.integers(-10_000, 10_000), width=st.integers(1, 10_000), value=st.floats(-1e5, 1e5))
def test_stated_range_is_exactly_the_accepted_set(low, width, value):
    high = low + width
    unit = f"điểm ({low}–{high})"
    accepted = not pl.errors(pl.check(value, unit=unit))
    assert accepted == (low <= value <= high)

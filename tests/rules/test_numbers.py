"""The one vi-VN number rule (piiplan.numbers), and every layer printing through it."""

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from piiplan.numbers import MISSING, decimals_for, float_or_none, format_number, parse_number, plain


@pytest.mark.parametrize("value, decimals, expected", [
    (65.678, 2, "65,68"),
    (65.675, 2, "65,68"),        # half up: the CLI once printed 65,67 here
    (1234567.5, 1, "1.234.567,5"),
    (2.675, 2, "2,68"),          # half up on the decimal written, not the binary float
    (-1234.5, 0, "-1.235"),
    (999.995, 2, "1.000,00"),
    (0, 0, "0"),
    (0, 2, "0,00"),
    (0.01823, 2, "0,0182"),      # small values keep three significant digits, not "0,02"
    (0.05, 2, "0,05"),           # ... without trailing zeros beyond the decimals asked for
    (0.09996, 2, "0,10"),
    (-0.001, 2, "-0,001"),
    (0.123, 2, "0,12"),          # two significant digits already: the decimals asked for
    (5.4, 0, "5"),               # whole numbers stay whole
    (np.float64(33.125), 2, "33,13"),
    ("65.675", 2, "65,68"),
    (None, 2, MISSING),
    (float("nan"), 2, MISSING),
    ("", 2, MISSING),
])
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_fixed_decimals_and_strip():
    assert format_number(-0.001, 2, sig=0) == "0,00"          # never "-0,00"
    assert format_number(0.01823, 2, sig=0) == "0,02"
    assert format_number(12.5, 2, strip=True) == "12,5"
    assert format_number(12.0, 2, strip=True) == "12"
    with pytest.raises(ValueError):
        format_number("mười")


def test_every_layer_prints_the_same():
    from piiplan.cli._common import fmt
    from piiplan.reports.formatting import format_number as doc_number
    from piiplan.web.pages.templatetags.vi import so

    for value, decimals in [(65.675, 2), (0.01823, 2), (1234567.891, 1), (None, 2), (float("nan"), 2)]:
        expected = format_number(value, decimals)
        assert fmt(value, decimals) == doc_number(value, decimals) == so(value, decimals) == expected


@pytest.mark.parametrize("text, expected", [
    ("1.234,5", 1234.5), ("65,68", 65.68), ("1.234", 1234.0), ("12.5", 12.5), ("1.2345", 1.2345),
    ("-3", -3.0), (" 1 234,5 ", 1234.5), ("0,0182", 0.0182),
])
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["1,2,3", "12a", "1.23,4", "", "1,", "mười", "nan", "inf", "1.23.4"])
def test_parse_number_rejects(text):
    with pytest.raises(ValueError):
        parse_number(text)


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(min_value=0, max_value=4))
def test_parse_inverts_format(x, decimals):
    shown = decimals_for(x, decimals)
    expected = Decimal(repr(x)).quantize(Decimal(1).scaleb(-shown), rounding=ROUND_HALF_UP)
    assert parse_number(format_number(x, decimals)) == pytest.approx(float(expected), abs=10 ** -(shown + 1))


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(min_value=0, max_value=4))
def test_format_shape(x, decimals):
    text = format_number(x, decimals)
    whole, _, frac = text.lstrip("-").partition(",")
    assert len(frac) == decimals or (decimals and abs(x) < 10.0 ** (1 - decimals) and len(frac) > decimals)
    groups = whole.split(".")
    assert 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


@given(st.floats(min_value=1e-6, max_value=0.0999, allow_nan=False))
def test_small_values_keep_significant_digits(x):
    digits = format_number(x, 2).split(",")[1].lstrip("0")
    assert digits, x                                           # never "0,00" for a non-zero value
    assert float(parse_number(format_number(x, 2))) == pytest.approx(x, rel=0.006)


def test_float_or_none_and_plain():
    assert float_or_none("1.5") == 1.5 and float_or_none(np.int64(3)) == 3.0
    for bad in (None, "", "x", float("nan"), float("inf"), np.nan):
        assert float_or_none(bad) is None
    assert plain(np.float64(np.nan)) is None and plain(np.int64(2)) == 2 and type(plain(np.int64(2))) is int
    assert plain(np.bool_(True)) is True and plain("1.2.1") == "1.2.1" and plain(float("-inf")) is None

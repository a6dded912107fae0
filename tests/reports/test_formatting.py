from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from piiplan.reports.formatting import (format_date, format_date_long, format_number, format_percent,
                                        format_rank, format_share, parse_number, place_date_line, roman)


@pytest.mark.parametrize("value, decimals, expected", [
    (65.678, 2, "65,68"),
    (1234567.5, 1, "1.234.567,5"),
    (2.675, 2, "2,68"),          # half up on the decimal written, not the binary float
    (-1234.5, 0, "-1.235"),
    (-0.001, 2, "0,00"),         # never "-0,00"
    (999.995, 2, "1.000,00"),
    (0, 0, "0"),
    (None, 2, "–"),
    (float("nan"), 2, "–"),
])
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_format_number_strip_trailing_zeros():
    assert format_number(12.5, 2, strip=True) == "12,5"
    assert format_number(12.0, 2, strip=True) == "12"


def test_percent_share_rank():
    assert format_percent(55.737) == "55,7%"
    assert format_share(34, 61) == "34/61 (55,7%)"
    assert format_share(0, 0) == "0/0"
    assert format_rank(29.0, 34) == "29/34"
    assert format_rank(float("nan"), 34) == "–"
    assert roman(4) == "IV"


def test_dates_follow_decree_30():
    assert format_date(date(2026, 6, 25)) == "25/06/2026"
    assert format_date(datetime(2026, 1, 5, 10, 30)) == "05/01/2026"
    assert format_date_long(date(2026, 6, 25)) == "ngày 25 tháng 6 năm 2026"
    # days below 10 and months 1, 2 take a leading zero
    assert format_date_long(date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert format_date_long(date(2026, 12, 1)) == "ngày 01 tháng 12 năm 2026"
    assert place_date_line("Lạng Sơn", date(2026, 6, 20)) == "Lạng Sơn, ngày 20 tháng 6 năm 2026"


@pytest.mark.parametrize("text", ["1,2,3", "12a", "1.23,4", "", "1.2345"])
def test_parse_number_rejects(text):
    with pytest.raises(ValueError):
        parse_number(text)


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(min_value=0, max_value=4))
def test_parse_inverts_format(x, decimals):
    expected = Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    assert parse_number(format_number(x, decimals)) == pytest.approx(float(expected), abs=10 ** -(decimals + 1))


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(min_value=0, max_value=4))
def test_format_shape(x, decimals):
    text = format_number(x, decimals)
    whole, _, frac = text.lstrip("-").partition(",")
    assert len(frac) == decimals
    groups = whole.split(".")
    assert 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])

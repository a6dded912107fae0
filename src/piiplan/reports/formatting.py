"""Vietnamese (vi-VN) formatting of percentages, dates and ranks for documents.

Numbers themselves follow the one rule of :mod:`piiplan.numbers` (re-exported here). Dates in state documents
follow Decree 30/2020/NĐ-CP: days below 10 and the months 1 and 2 take a leading zero in the long date line
("ngày 05 tháng 02 năm 2026"), so that nobody can turn "1" into "11" by hand.
"""

from __future__ import annotations

from datetime import date, datetime

from piiplan.numbers import MISSING, format_number, is_missing, parse_number  # noqa: F401 (the one number rule)

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def format_percent(value, decimals: int = 1, *, missing: str = MISSING) -> str:
    """A percentage already in percent units: ``format_percent(55.74) -> "55,7%"``."""
    if is_missing(value):
        return missing
    return format_number(value, decimals) + "%"


def format_share(part: int, whole: int, decimals: int = 1) -> str:
    """``format_share(34, 61) -> "34/61 (55,7%)"``; a zero total gives ``"0/0"``."""
    if not whole:
        return f"{part}/{whole}"
    return f"{part}/{whole} ({format_percent(100.0 * part / whole, decimals)})"


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date, got {type(value).__name__}")


def format_date(value, *, missing: str = MISSING) -> str:
    """Short vi-VN date: ``25/06/2026``."""
    if value is None:
        return missing
    d = _as_date(value)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def format_date_long(value) -> str:
    """Long date as in a state document: ``ngày 25 tháng 6 năm 2026`` (``ngày 05 tháng 02 năm 2026``)."""
    d = _as_date(value)
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def place_date_line(place: str, value) -> str:
    """``Lạng Sơn, ngày 20 tháng 6 năm 2026``."""
    return f"{place}, {format_date_long(value)}"


def format_rank(rank, total: int | None = None, *, missing: str = MISSING) -> str:
    """``format_rank(29, 34) -> "29/34"``; without a total just ``"29"``."""
    if is_missing(rank):
        return missing
    r = int(round(float(rank)))
    return f"{r}/{total}" if total else str(r)


def roman(n: int) -> str:
    """Roman numeral for section numbers 1–10."""
    return ROMAN[n - 1]

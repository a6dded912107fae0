"""Vietnamese (vi-VN) formatting of numbers, percentages, dates and ranks for documents.

vi-VN writes ``1.234.567,89``: a dot groups thousands and a comma marks decimals. Dates in state documents
follow Decree 30/2020/NĐ-CP: days below 10 and the months 1 and 2 take a leading zero in the long date line
("ngày 05 tháng 02 năm 2026"), so that nobody can turn "1" into "11" by hand.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

MISSING = "–"

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def format_number(value, decimals: int = 2, *, missing: str = MISSING, strip: bool = False) -> str:
    """Format a number the vi-VN way, rounding half away from zero.

    ``format_number(65.678, 2) -> "65,68"``; ``format_number(1234567.5, 1) -> "1.234.567,5"``.
    ``strip=True`` drops trailing zeros of the decimal part (``12,50 -> 12,5``; ``12,00 -> 12``).
    ``None`` and NaN give ``missing``.
    """
    if _is_missing(value):
        return missing
    if isinstance(value, float) and math.isinf(value):
        return "∞" if value > 0 else "-∞"
    quantum = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    d = Decimal(repr(float(value)) if not isinstance(value, (int, Decimal)) else str(value))
    d = d.quantize(quantum, rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)  # no "-0,00"
    sign = "-" if d < 0 else ""
    text = f"{abs(d):f}"
    whole, _, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups)
    if strip:
        frac = frac.rstrip("0")
    if frac:
        out += "," + frac
    return sign + out


def format_percent(value, decimals: int = 1, *, missing: str = MISSING) -> str:
    """A percentage already in percent units: ``format_percent(55.74) -> "55,7%"``."""
    if _is_missing(value):
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
    if _is_missing(rank):
        return missing
    r = int(round(float(rank)))
    return f"{r}/{total}" if total else str(r)


def roman(n: int) -> str:
    """Roman numeral for section numbers 1–10."""
    return ROMAN[n - 1]


def parse_number(text: str) -> float:
    """Read a vi-VN number back: the dot groups thousands, the comma marks decimals.

    ``"1.234,5" -> 1234.5``; ``"65,68" -> 65.68``; ``"1.234" -> 1234.0``. Raises ``ValueError`` otherwise.
    """
    s = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if not s or s.count(",") > 1:
        raise ValueError(f"not a vi-VN number: {text!r}")
    whole, _, frac = s.partition(",")
    sign = ""
    if whole.startswith("-"):
        sign, whole = "-", whole[1:]
    groups = whole.split(".")
    if not all(g.isdigit() for g in groups) or (len(groups) > 1 and (
            not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:]))):
        raise ValueError(f"not a vi-VN number: {text!r}")
    if frac and not frac.isdigit():
        raise ValueError(f"not a vi-VN number: {text!r}")
    return float(f"{sign}{''.join(groups)}.{frac or 0}")

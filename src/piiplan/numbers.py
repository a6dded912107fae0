"""The one vi-VN number rule: formatting, parsing and "a float or nothing", for every layer.

vi-VN writes ``1.234.567,89``: a dot groups thousands and a comma marks decimals. Every layer (CLI, analysis
warnings, documents, web pages) formats through :func:`format_number`, so the same value reads the same
everywhere:

* one rounding mode — half away from zero on the decimal text of the value (``65.675 → 65,68``; ``2.675 →
  2,68``, not the binary float's ``2,67``);
* the precision the value needs — ``decimals`` decimals, but a small value that would keep fewer than two
  significant digits keeps ``sig`` significant digits instead (``0.01823 → 0,0182``, not ``0,02``);
* large values with thousands separators (``1.234.567,5``);
* one missing-value dash (:data:`MISSING`) for ``None``, NaN and blanks.

This module imports nothing from piiplan and nothing heavy, so the engine, the CLI and the web can all use it.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MISSING = "–"
SIG = 3          # significant digits kept for small values
MAX_DECIMALS = 8  # never more decimals than this, however small the value


def float_or_none(value) -> float | None:
    """``value`` as a finite float, else ``None`` (``None``, ``""``, text that is not a number, NaN, ±inf)."""
    if value is None or isinstance(value, bool):
        return None if value is None else float(value)
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def is_missing(value) -> bool:
    """``None``, ``""`` and NaN are missing; any other value (even text) is not."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def plain(value):
    """A JSON-ready scalar: numpy numbers to Python ones, NaN/±inf to ``None``, anything else unchanged."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)) and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value


def _decimal(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        return Decimal(value.strip())
    return Decimal(repr(float(value)))


def decimals_for(value, decimals: int = 2, sig: int = SIG) -> int:
    """How many decimals :func:`format_number` shows for ``value`` (see the module docstring)."""
    if not sig or decimals < 1:
        return decimals
    f = float_or_none(value)
    if not f or abs(f) >= 10.0 ** (1 - decimals):
        return decimals
    needed = sig - 1 - math.floor(math.log10(abs(f)))
    return max(decimals, min(needed, MAX_DECIMALS))


def format_number(value, decimals: int = 2, *, sig: int = SIG, missing: str = MISSING, strip: bool = False) -> str:
    """Format a number the vi-VN way (see the module docstring).

    ``format_number(65.678) -> "65,68"``; ``format_number(1234567.5, 1) -> "1.234.567,5"``;
    ``format_number(0.01823) -> "0,0182"``; ``format_number(None) -> "–"``. ``sig=0`` keeps exactly
    ``decimals`` decimals. ``strip=True`` drops trailing zeros of the decimal part (``12,50 -> 12,5``).
    Raises ``ValueError`` for a value that is not a number.
    """
    if is_missing(value):
        return missing
    try:
        d = _decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"not a number: {value!r}") from None
    if d.is_infinite():
        return "∞" if d > 0 else "-∞"
    asked = int(decimals)
    decimals = decimals_for(d, asked, sig)
    d = d.quantize(Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1), rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)  # no "-0,00"
    sign = "-" if d < 0 else ""
    whole, _, frac = f"{abs(d):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups)
    if strip:
        frac = frac.rstrip("0")
    elif decimals > asked:  # significant digits of a small value: no trailing zeros beyond those asked for
        frac = frac.rstrip("0").ljust(asked, "0")
    if frac:
        out += "," + frac
    return sign + out


def parse_number(text) -> float:
    """Read a number typed the vi-VN way: ``"1.234,5" -> 1234.5``; ``"65,68" -> 65.68``; ``"1.234" -> 1234.0``.

    A dot followed by groups of exactly three digits groups thousands; a lone dot otherwise is a decimal point
    (``"12.5" -> 12.5``), as people type on an English keyboard. Raises ``ValueError`` for anything else
    (also NaN and ±inf).
    """
    s = str(text).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    sign = ""
    if s[:1] in "+-" and s[:1]:
        sign, s = ("-" if s[0] == "-" else ""), s[1:]
    if not s or s.count(",") > 1:
        raise ValueError(f"not a vi-VN number: {text!r}")
    whole, comma, frac = s.partition(",")
    groups = whole.split(".")
    grouped = len(groups) > 1 and 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    if not comma and len(groups) == 2 and not grouped:
        whole, frac = groups  # "12.5": a decimal point
        groups = [whole]
    elif len(groups) > 1 and not grouped:
        raise ValueError(f"not a vi-VN number: {text!r}")
    if not all(g.isdigit() for g in groups) or (frac and not frac.isdigit()) or (comma and not frac):
        raise ValueError(f"not a vi-VN number: {text!r}")
    return float(f"{sign}{''.join(groups)}.{frac or 0}")

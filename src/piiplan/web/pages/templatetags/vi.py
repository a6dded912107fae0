"""vi-VN number and date filters: ``{{ 65.678|so:2 }}`` → 65,68; ``{{ 1234567|so }}`` → 1.234.567.

Dates already print as 25/06/2026 through ``piiplan.web.formats.vi``; ``|ngay`` is a shortcut.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import formats

register = template.Library()

MISSING = "—"


def format_number(value, decimals: int = 0) -> str:
    """65.678 → "65,68" (decimals=2); 1234567 → "1.234.567"; None/NaN → "—"."""
    if value is None or value == "":
        return MISSING
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if number.is_nan() or number.is_infinite():
        return MISSING
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return MISSING
    # Half-up, as people round by hand (65,675 → 65,68), on the exact decimal text of the value.
    number = number.quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)
    text = f"{number:,.{int(decimals)}f}"  # 1,234,567.89
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


@register.filter(name="so")
def so(value, decimals=0):
    try:
        decimals = int(decimals)
    except (TypeError, ValueError):
        decimals = 0
    return format_number(value, decimals)


@register.filter(name="ngay")
def ngay(value):
    if not value:
        return MISSING
    return formats.date_format(value, "SHORT_DATE_FORMAT")

"""vi-VN number and date filters: ``{{ 65.678|so:2 }}`` → 65,68; ``{{ 1234567|so }}`` → 1.234.567.

Numbers follow the one rule of :mod:`piiplan.numbers` (small values keep three significant digits:
``{{ 0.01823|so:2 }}`` → 0,0182). Dates already print as 25/06/2026 through ``piiplan.web.formats.vi``;
``|ngay`` is a shortcut.
"""

from __future__ import annotations

from django import template
from django.utils import formats

from piiplan.numbers import MISSING
from piiplan.numbers import format_number as _format

register = template.Library()


def format_number(value, decimals: int = 0) -> str:
    """The page form of a number: 65.678 → "65,68" (decimals=2); None/NaN/±inf → the dash; text as it is."""
    if value is None or value == "":
        return MISSING
    try:
        text = _format(value, decimals)
    except ValueError:
        return str(value)
    return MISSING if "∞" in text else text


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

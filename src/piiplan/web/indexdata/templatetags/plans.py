"""Template filters of the realistic target plan pages: ``get_item``, ``phan_tram``, ``nhom_don_bay``."""

from __future__ import annotations

from django import template

from piiplan.analysis.levers import CLASSES
from piiplan.numbers import MISSING
from piiplan.web.pages.templatetags.vi import format_number

register = template.Library()


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key) if hasattr(mapping, "get") else mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter
def phan_tram(value, decimals=1):
    """0.812 → "81,2 %" (a probability shown as a percentage)."""
    if value is None:
        return MISSING
    return f"{format_number(100 * float(value), int(decimals))} %"


@register.filter
def nhom_don_bay(code):
    return CLASSES.get(str(code), str(code))

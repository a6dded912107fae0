"""Small template helpers of the read-only pages: dict lookup, absolute value, sort links."""

from __future__ import annotations

import functools
from importlib import resources

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()

# Columns that read best in ascending order first (rank 1 first, names A→Z); scores start high.
ASCENDING_FIRST = {"rank", "name", "region"}


@register.filter(name="get")
def get(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter(name="absolute")
def absolute(value):
    try:
        return abs(value)
    except TypeError:
        return value


@register.simple_tag
def sort_query(request, key: str, table: dict) -> str:
    """The query string that sorts a table by ``key``: toggles the direction when it is already
    the sorted column, otherwise starts with the column's natural direction."""
    query = request.GET.copy()
    if table.get("sort") == key:
        descending = not table.get("descending")
    else:
        descending = key not in ASCENDING_FIRST
    query["sap"] = key
    query["chieu"] = "giam" if descending else "tang"
    return query.urlencode()


@functools.lru_cache(maxsize=1)
def terms() -> dict[str, str]:
    """Term → short Vietnamese definition (package data ``data/reference/terms.yaml``)."""
    import yaml

    path = resources.files("piiplan").joinpath("data", "reference", "terms.yaml")
    return {str(k): str(v) for k, v in yaml.safe_load(path.read_text(encoding="utf-8")).items()}


@register.simple_tag
def term(name: str, shown: str = "", k=None):
    """``{% term "xử lý ngoại lai" %}``: the term with its definition as a tooltip readable on
    hover and on keyboard focus (and by screen readers: the definition is the element's description),
    linking to the method page's glossary. An unknown term is shown as plain text."""
    definition = terms().get(name)
    text = shown or (name.replace("≤ k)", f"≤ {k})") if k is not None else name)
    if not definition:
        return text
    return format_html('<a class="term" href="{}#thuat-ngu" title="{}" aria-label="{}: {}">{}</a>',
                       reverse("pages:method"), definition, text, definition, text)

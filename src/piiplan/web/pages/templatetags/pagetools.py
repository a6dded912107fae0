"""Small template helpers of the read-only pages: dict lookup, absolute value, sort links."""

from __future__ import annotations

from django import template

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

"""Helpers of the read-only page tests: the same numbers straight from the engine, HTML lookups."""

from __future__ import annotations

import functools
import html as html_lib
import json
import re

from piiplan.web.pages.templatetags.vi import format_number

HOME = "Lạng Sơn"


@functools.lru_cache(maxsize=4)
def engine_results(year: int | None = None):
    """The index built by the engine itself from the demo panel (what the pages must show)."""
    from piiplan.demo import load_demo
    from piiplan.engine import build_dataset, load_framework

    return build_dataset(load_framework("pii-2025"), load_demo(), year)


def so(value, decimals: int = 0) -> str:
    return format_number(value, decimals)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def kpi(html: str, name: str) -> str:
    """The text of the element marked ``data-kpi="name"`` (tags stripped)."""
    match = re.search(rf'data-kpi="{name}"[^>]*>(.*?)</(?:div|span|strong)>', html, re.S)
    assert match, f"no data-kpi={name}"
    return html_lib.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def json_script(html: str, element_id: str):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no json_script {element_id}"
    return json.loads(match.group(1))


def table_rows(html: str, table_class: str) -> list[list[str]]:
    """Cell texts of the body rows of the first ``<table class="… table_class …">``."""
    table = re.search(rf'<table class="[^"]*\b{table_class}\b[^"]*".*?</table>', html, re.S).group(0)
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        rows.append([html_lib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows

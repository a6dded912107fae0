"""Xếp hạng: the 34 provinces at any level, sortable, filtered by region, any year."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from piiplan.web.pages.tables import vi_sort_key
from tests.web.pages_helpers import HOME, engine_results, page, so, table_rows

REGION = "Trung du và miền núi phía Bắc"


def ranking(client, **params) -> tuple[str, list[list[str]]]:
    html = page(client, reverse("pages:ranking") + ("?" + urlencode(params) if params else ""))
    return html, table_rows(html, "ranking")


def test_index_ranking_lists_all_34_in_rank_order_with_the_engine_scores(client_for):
    res = engine_results()
    html, rows = ranking(client_for("anonymous"))
    assert len(rows) == 34
    expected = res.ranking("PII")
    assert [r[1] for r in rows] == list(expected.index)
    assert [r[0] for r in rows] == [so(v) for v in expected["rank"]]
    assert [r[3] for r in rows] == [so(v, 2) for v in expected["score"]]
    # Input and output sub-index columns, then the change since 2024.
    assert [r[4] for r in rows] == [so(res.aggregated.at[u, "INPUT"], 2) for u in expected.index]
    assert "Thay đổi so với 2024" in html
    assert f'data-home="1">\n      <td class="num">{int(res.ranks.at[HOME, "PII"])}</td>' in html


def test_any_level_shows_its_ranking_and_its_children(client_for):
    res = engine_results()
    html, rows = ranking(client_for("leader"), ma="3")
    assert "3. Cơ sở hạ tầng" in html
    assert [r[1] for r in rows] == list(res.ranking("3").index)
    assert '<a href="?' in html and ">3.1<" in html and ">3.2<" in html
    _, rows = ranking(client_for("leader"), ma="2.1")       # a sub-pillar shows its indicators
    assert [r[1] for r in rows] == list(res.ranking("2.1").index)


def test_region_filter_keeps_only_that_region(client_for):
    res = engine_results()
    _, rows = ranking(client_for("agency"), vung=REGION)
    units = res.groups.index[res.groups["region"] == REGION]
    assert 0 < len(rows) == len(units) < 34
    assert {r[2] for r in rows} == {REGION}
    assert HOME in [r[1] for r in rows]
    # National ranks are kept (not re-ranked within the region).
    assert [int(r[0]) for r in rows] == sorted(int(res.ranks.at[u, "PII"]) for u in units)


def test_sorting_by_name_score_and_back(client_for):
    client = client_for("dost_staff")
    _, rows = ranking(client, sap="name", chieu="tang")
    names = [r[1] for r in rows]
    assert names == sorted(names, key=vi_sort_key)
    assert names.index("Đà Nẵng") < names.index("Gia Lai")     # Đ sorts with D, not after Z
    _, rows = ranking(client, sap="OUTPUT", chieu="tang")
    outputs = [float(r[5].replace(",", ".")) for r in rows]
    assert outputs == sorted(outputs)
    _, rows = ranking(client, sap="OUTPUT", chieu="giam")
    assert [float(r[5].replace(",", ".")) for r in rows] == sorted(outputs, reverse=True)


def test_sort_links_toggle_the_direction(client_for):
    html, _ = ranking(client_for("dost_staff"), sap="rank", chieu="tang")
    assert 'aria-sort="ascending"' in html
    assert "sap=rank&amp;chieu=giam" in html         # the sorted column reverses
    assert "sap=PII&amp;chieu=giam" in html          # scores start high


def test_year_and_unknown_parameters(client_for):
    res = engine_results(2023)
    html, rows = ranking(client_for("leader"), nam="2023")
    assert [r[1] for r in rows] == list(res.ranking("PII").index)
    assert "Thay đổi so với" not in html             # no year before 2023
    # Unknown level, region and sort column fall back on the index, the whole country, the rank.
    html, rows = ranking(client_for("leader"), ma="khong-co", vung="khong-co", sap="khong-co")
    assert len(rows) == 34 and rows[0][0] == "1"
    # …and say so in Vietnamese.
    assert ('<p class="notice" role="status">Không có mã «khong-co» trong khung chỉ số; đang hiển thị '
            'Chỉ số đổi mới sáng tạo cấp địa phương.</p>') in html
    assert "Không có vùng «khong-co»; đang hiển thị cả nước." in html


def test_unknown_year_is_announced(client_for):
    html, rows = ranking(client_for("anonymous"), nam="1999")
    assert "Không có số liệu năm «1999»; đang hiển thị năm 2025." in html
    html, _ = ranking(client_for("anonymous"), nam="2024", ma="1")
    assert 'class="notice"' not in html                 # nothing to say when the parameters are known

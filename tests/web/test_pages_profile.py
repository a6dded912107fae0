"""Hồ sơ tỉnh: every level of any province with value, score, rank, marks and national mean."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from piiplan.web.pages.templatetags.codes import SHOWN
from piiplan.analysis.profile import strengths_weaknesses
from piiplan.web.pages.tables import tree_order
from tests.web.pages_helpers import HOME, engine_results, kpi, page, so, table_rows


def profile(client, **params):
    html = page(client, reverse("pages:profile") + ("?" + urlencode(params) if params else ""))
    return html, table_rows(html, "profile")


def test_default_is_the_home_province_with_every_level(client_for):
    res = engine_results()
    html, rows = profile(client_for("anonymous"))
    assert "<h1>Hồ sơ tỉnh: Lạng Sơn</h1>" in html
    assert [r[0] for r in rows] == [SHOWN.get(c, c) for c in tree_order(res.framework)]  # INPUT → Đầu vào
    assert len(rows) == len(res.framework.nodes)
    assert kpi(html, "rank") == f"{int(res.ranks.at[HOME, 'PII'])}/34"


def test_rows_hold_value_score_rank_and_national_mean(client_for):
    res = engine_results()
    _, rows = profile(client_for("leader"), tinh="Hà Nội")
    by_code = {r[0]: r for r in rows}
    raw = res.stage("raw")
    for code in ("PII", "INPUT", "3", "3.2", "3.2.1", "7.2.4"):
        row = by_code[SHOWN.get(code, code)]
        assert row[4] == so(res.aggregated.at["Hà Nội", code], 2)
        assert row[5] == so(res.ranks.at["Hà Nội", code])
        assert row[6] == so(res.aggregated[code].mean(), 2)
        if code in res.framework.indicators:
            assert row[2] == so(raw.at["Hà Nội", code], 2)
        else:
            assert row[2] == ""


def test_strength_and_weakness_marks(client_for):
    res = engine_results()
    strengths, weaknesses = strengths_weaknesses(res, "Đà Nẵng")
    _, rows = profile(client_for("agency"), tinh="Đà Nẵng")
    marked = {r[0]: r[-1] for r in rows if r[-1]}  # the last column (after TB cả nước, TB vùng)
    for code in strengths.index:
        assert marked[code] == "●"
    for code in weaknesses.index:
        assert marked[code] == "○"
    subs = [c for c in marked if c.count(".") == 1]
    assert len(subs) == 6                                 # 3 best and 3 worst sub-pillars
    best = min(res.framework.codes_at(2), key=lambda c: (res.ranks.at["Đà Nẵng", c], -res.aggregated.at["Đà Nẵng", c]))
    assert marked[best] == "●"


def test_selector_lists_all_provinces_and_unknown_falls_back_on_home(client_for):
    html, _ = profile(client_for("leader"), tinh="Không Có")
    assert "<h1>Hồ sơ tỉnh: Lạng Sơn</h1>" in html
    assert html.count("<option value=") >= 34 + 3         # provinces and years
    assert "Lạng Sơn (tỉnh nhà)" in html
    assert '<p class="notice" role="status">Không có tỉnh «Không Có»; đang hiển thị Lạng Sơn.</p>' in html
    html, _ = profile(client_for("anonymous"), tinh="<b>XYZ</b>")
    assert "Không có tỉnh «&lt;b&gt;XYZ&lt;/b&gt;»; đang hiển thị Lạng Sơn." in html
    html, _ = profile(client_for("anonymous"), tinh="Huế")
    assert 'class="notice"' not in html


def test_earlier_year(client_for):
    res = engine_results(2023)
    html, _ = profile(client_for("leader"), tinh="Huế", nam="2023")
    assert kpi(html, "score") == f"{so(res.aggregated.at['Huế', 'PII'], 2)} điểm"

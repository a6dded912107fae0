"""The explorer: tile map, comparison, trends, peers on the profile, table downloads, method page.

Every number is compared with the engine's own build of the demo panel (tests/web/pages_helpers.py).
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from piiplan.demo import SYNTHETIC_LABEL, load_demo
from piiplan.web.pages import data, explore
from tests.web import indexdata_fixtures as ix
from tests.web.pages_helpers import HOME, engine_results, json_script, page, so, table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    data.clear_memo()
    yield
    data.clear_memo()


def url(name, **params):
    query = urlencode(params, doseq=True)
    return reverse(f"pages:{name}") + ("?" + query if query else "")


# ---- Bản đồ ---------------------------------------------------------------------------------------
def test_layout_places_each_of_the_34_provinces_on_its_own_tile():
    layout = explore.tile_layout()
    names = set(load_demo().units["name"])
    assert set(layout) == names
    assert len(set(layout.values())) == 34


def test_map_tiles_carry_score_rank_and_class_of_the_chosen_measure(client_for):
    res = engine_results(2024)
    html = page(client_for("anonymous"), url("map", ma="3.2", nam="2024", kieu="hang"))
    body = json_script(html, "map-data")
    assert body["code"] == "3.2" and body["by"] == "hang" and not body["unplaced"]
    tiles = {t["unit"]: t for t in body["tiles"]}
    assert tiles[HOME]["score"] == pytest.approx(res.aggregated.at[HOME, "3.2"])
    assert tiles[HOME]["rank"] == int(res.ranks.at[HOME, "3.2"])
    best = res.ranks["3.2"].idxmin()
    worst = res.ranks["3.2"].idxmax()
    assert tiles[best]["cls"] == 5 and tiles[worst]["cls"] == 1
    # The table beside the map reads without colour: rank, name and score of every province.
    rows = table_rows(html, "map-table")
    assert len(rows) == 34
    assert rows[0][1] == best and rows[0][2] == so(res.aggregated.at[best, "3.2"], 2)


def test_map_coloured_by_score_uses_five_equal_score_bands(client_for):
    res = engine_results()
    body = json_script(page(client_for("anonymous"), url("map", ma="PII")), "map-data")
    scores = res.aggregated["PII"]
    low, high = scores.min(), scores.max()
    for t in body["tiles"]:
        expected = 1 + min(4, int((scores[t["unit"]] - low) / (high - low) * 5))
        assert t["cls"] == expected, t
    assert {c["cls"] for c in body["classes"]} <= {1, 2, 3, 4, 5}


def test_map_of_an_indicator_shows_its_raw_value(client_for):
    res = engine_results()
    body = json_script(page(client_for("leader"), url("map", ma="1.2.1")), "map-data")
    tile = next(t for t in body["tiles"] if t["unit"] == "Hà Nội")
    assert body["indicator"] is True
    assert tile["value"] == pytest.approx(res.stage("raw").at["Hà Nội", "1.2.1"])


@pytest.mark.parametrize("params,notice", [
    ({"ma": "9.9"}, "Không có mã «9.9»"),
    ({"nam": "1999"}, "Không có số liệu năm «1999»"),
    ({"kieu": "mau"}, "Không có cách tô màu «mau»"),
])
def test_map_unknown_parameters_give_a_notice_and_the_default(client_for, params, notice):
    html = page(client_for("anonymous"), url("map", **params))
    assert notice in html
    body = json_script(html, "map-data")
    assert body["code"] in ("PII", "9.9") and body["code"] == "PII"


# ---- So sánh --------------------------------------------------------------------------------------
def test_compare_three_provinces_side_by_side(client_for):
    res = engine_results()
    chosen = ["Lạng Sơn", "Cao Bằng", "Lào Cai"]
    html = page(client_for("anonymous"), url("compare", tinh=chosen))
    radar = json_script(html, "radar-data")
    assert [s["label"] for s in radar["series"]] == chosen
    assert radar["series"][1]["values"][0] == pytest.approx(res.aggregated.at["Cao Bằng", "1"])
    rows = {r[0]: r for r in table_rows(html, "compare")}
    assert rows["PII"][2].startswith(so(res.aggregated.at["Lạng Sơn", "PII"], 2))
    assert rows["2.1"][4].startswith(so(res.aggregated.at["Lào Cai", "2.1"], 2))
    # The indicators where the three differ most: the widest spread of scores first.
    spreads = {c: res.aggregated.loc[chosen, c].max() - res.aggregated.loc[chosen, c].min()
               for c in res.framework.indicators}
    top = max(spreads, key=spreads.get)
    assert table_rows(html, "differing")[0][0] == top
    ranks = table_rows(html, "ranks-years")
    assert [r[0] for r in ranks] == ["2023", "2024", "2025"]
    assert ranks[0][2] == so(engine_results(2023).ranks.at["Cao Bằng", "PII"])


def test_compare_default_is_home_region_leaders_and_rank_neighbours(client_for):
    res = engine_results()
    regions = load_demo().units["region"].to_dict()
    html = page(client_for("anonymous"), url("compare"))
    chosen = [s["label"] for s in json_script(html, "radar-data")["series"]]
    assert chosen[0] == HOME and 2 <= len(chosen) <= 6
    order = list(res.ranks["PII"].sort_values().index)
    leaders = [u for u in order if regions[u] == regions[HOME] and u != HOME][:2]
    assert chosen[1:3] == leaders
    i = order.index(HOME)
    assert order[i - 1] in chosen and order[i + 1] in chosen


def test_compare_unknown_or_too_many_provinces(client_for):
    client = client_for("anonymous")
    html = page(client, url("compare", tinh=["Lạng Sơn", "Atlantis"]))
    assert "Không có tỉnh «Atlantis»; đã bỏ qua." in html
    assert "Cần chọn ít nhất 2 tỉnh" in html
    seven = ["Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Cao Bằng"]
    html = page(client, url("compare", tinh=seven))
    assert "tối đa 6 tỉnh" in html
    assert len(json_script(html, "radar-data")["series"]) == 6
    # Names without diacritics resolve through the province list.
    html = page(client, url("compare", tinh=["lang son", "cao bang"]))
    assert [s["label"] for s in json_script(html, "radar-data")["series"]] == ["Lạng Sơn", "Cao Bằng"]


def test_compare_pages_of_different_selections_are_not_mixed_up(client_for):
    client = client_for("anonymous")
    a = json_script(page(client, url("compare", tinh=["Huế", "Lạng Sơn"])), "radar-data")
    b = json_script(page(client, url("compare", tinh=["Cao Bằng", "Lạng Sơn"])), "radar-data")
    assert a["series"][0]["label"] == "Huế" and b["series"][0]["label"] == "Cao Bằng"


# ---- Xu hướng -------------------------------------------------------------------------------------
def test_trend_against_national_and_regional_mean_and_best(client_for):
    regions = load_demo().units["region"].to_dict()
    html = page(client_for("anonymous"), url("trends", tinh="Cao Bằng", ma="4.1.2"))
    chart = json_script(html, "trend-data")
    assert chart["labels"] == ["2023", "2024", "2025"]
    for i, year in enumerate((2023, 2024, 2025)):
        res = engine_results(year)
        col = res.aggregated["4.1.2"]
        peers = [u for u in res.units if regions[u] == regions["Cao Bằng"]]
        assert chart["series"][0]["values"][i] == pytest.approx(col["Cao Bằng"])
        assert chart["series"][1]["values"][i] == pytest.approx(col.mean())
        assert chart["series"][2]["values"][i] == pytest.approx(col[peers].mean())
        assert chart["series"][3]["values"][i] == pytest.approx(col.max())
    rows = table_rows(html, "trend")
    assert rows[0][2] == f"{so(engine_results(2023).ranks.at['Cao Bằng', '4.1.2'])}/34"
    # The year-on-year change explained by pillar is the home page's table.
    assert "Thay đổi so với năm 2024" in html and "Đóng góp vào điểm PII" in html


def test_trend_unknown_province_and_code(client_for):
    html = page(client_for("anonymous"), url("trends", tinh="Không Có", ma="x"))
    assert "Không có tỉnh «Không Có»; đang hiển thị Lạng Sơn." in html
    assert "Không có mã «x»" in html
    assert "<h1>Xu hướng: Lạng Sơn</h1>" in html


# ---- Hồ sơ: peers ---------------------------------------------------------------------------------
def test_profile_shows_regional_mean_and_peers(client_for):
    res = engine_results()
    regions = load_demo().units["region"].to_dict()
    html = page(client_for("anonymous"), url("profile", tinh="Lạng Sơn"))
    peers = [u for u in res.units if regions[u] == regions[HOME]]
    rows = {r[0]: r for r in table_rows(html, "profile")}
    assert rows["3"][7] == so(res.aggregated.loc[peers, "3"].mean(), 2)
    inputs = res.aggregated["INPUT"]
    closest = (inputs.drop(HOME) - inputs[HOME]).abs().sort_values().index[:5]
    assert [r[0] for r in table_rows(html, "peers-input")] == list(closest)
    den = load_demo().denominator_table(2025)
    per_head = 1000 * den["grdp"] / den["population"]
    by_grdp = (per_head.drop(HOME) - per_head[HOME]).abs().sort_values().index[:5]
    assert [r[0] for r in table_rows(html, "peers-grdp")] == list(by_grdp)


# ---- Downloads ------------------------------------------------------------------------------------
def download(client, name, fmt, **params):
    response = client.get(reverse("pages:table_download", args=[name, fmt]) + "?" + urlencode(params, doseq=True))
    assert response.status_code == 200, response.content[:300]
    return response


def test_compare_table_as_csv_and_xlsx(client_for):
    res = engine_results()
    client = client_for("anonymous")
    chosen = ["Lạng Sơn", "Cao Bằng", "Lào Cai"]
    body = download(client, "so-sanh", "csv", tinh=chosen).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == [SYNTHETIC_LABEL]
    assert rows[1][:3] == ["Mã", "Tên", "Lạng Sơn – điểm"]
    pii = next(r for r in rows if r[0] == "PII")
    assert float(pii[3]) == pytest.approx(res.aggregated.at["Cao Bằng", "PII"])
    book = load_workbook(io.BytesIO(download(client, "so-sanh", "xlsx", tinh=chosen).content))
    sheet = book.active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][0] == SYNTHETIC_LABEL
    pii = next(r for r in values if r[0] == "PII")
    assert pii[2] == pytest.approx(res.aggregated.at["Lạng Sơn", "PII"])


@pytest.mark.parametrize("name,params", [
    ("xep-hang", {"ma": "2"}), ("ho-so", {"tinh": "Hà Nội"}), ("diem-manh-yeu", {"tinh": "Huế"}), ("tinh-tuong-tu", {}), ("so-tay-chi-so", {}),
    ("chi-so", {"ma": "1.2.1"}), ("chi-so-giai-thich", {"ma": "3.1.2"}), ("ban-do", {"ma": "5"}), ("so-sanh-chi-so", {}), ("so-sanh-hang", {}),
    ("xu-huong", {"ma": "1.1.1"}), ("xu-huong-cac-cap", {}), ("thay-doi", {}),
])
def test_every_table_downloads_in_both_formats(client_for, name, params):
    client = client_for("leader")
    rows = list(csv.reader(io.StringIO(download(client, name, "csv", **params).content.decode("utf-8-sig"))))
    assert len(rows) > 2 and all(len(r) == len(rows[1]) for r in rows[2:])
    book = load_workbook(io.BytesIO(download(client, name, "xlsx", **params).content))
    assert book.active.max_row == len(rows) + 1  # + the title line


def test_text_cells_are_inert_in_downloads(client_for, monkeypatch):
    from piiplan.web.pages import exports

    def hostile(request, snap, year, res):
        return exports.Table("=cmd", ["=HYPERLINK(\"x\")"], [["+1+1", 2.5, None]])

    monkeypatch.setitem(exports.TABLES, "ban-do", hostile)
    rows = list(csv.reader(io.StringIO(download(client_for("anonymous"), "ban-do", "csv").content.decode("utf-8-sig"))))
    assert rows[1] == ["'=HYPERLINK(\"x\")"] and rows[2] == ["'+1+1", "2.5", ""]
    sheet = load_workbook(io.BytesIO(download(client_for("anonymous"), "ban-do", "xlsx").content)).active
    assert sheet["A1"].value == "'=cmd" and sheet["A4"].data_type == "s"


def test_unknown_table_is_a_404(client_for):
    response = client_for("anonymous").get(reverse("pages:table_download", args=["khong-co", "csv"]))
    assert response.status_code == 404
    response = client_for("anonymous").get(reverse("pages:table_download", args=["ban-do", "pdf"]))
    assert response.status_code == 404


def test_public_never_downloads_unpublished_numbers(client_for, personas):
    ix.dataset_version(personas, active=True, published=False)
    response = client_for("anonymous").get(reverse("pages:table_download", args=["ban-do", "csv"]))
    assert "Chưa có kết quả" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    for name in ("map", "compare", "trends"):
        assert "Chưa có kết quả" in client_for("anonymous").get(url(name)).content.decode()
    assert client_for("leader").get(reverse("pages:table_download", args=["ban-do", "csv"]))["Content-Type"] \
        .startswith("text/csv")


# ---- Phương pháp ----------------------------------------------------------------------------------
def test_method_page_explains_the_index_and_lists_confidence(client_for):
    html = page(client_for("anonymous"), url("method"))
    for heading in ("Khung chỉ số", "Chuẩn hoá", "Tổng hợp", "Mức độ xác nhận", "Dữ liệu mô phỏng",
                    "Cách đọc thứ hạng", "Thuật ngữ"):
        assert heading in html
    fw = engine_results().framework
    counts = fw.nodes.loc[fw.indicators, "confidence"].value_counts()
    assert f"<strong>{counts['confirmed']}</strong> chỉ số" in html
    assert html.count('class="confidence-table"') == 7 or html.count("confidence-table") >= 7
    # The tooltips: the term with its definition, linking to the glossary.
    assert 'class="term"' in html and "#thuat-ngu" in html


def test_tooltips_on_the_uncertainty_and_indicator_pages(client_for):
    html = page(client_for("anonymous"), url("uncertainty"))
    assert 'class="term"' in html and "P(hạng ≤ " in html
    html = page(client_for("anonymous"), reverse("pages:indicator", args=["1.1.1"]))
    assert 'class="term"' in html and "Xử lý ngoại lai</a>" in html


def test_effort_tooltip_on_the_target_page(client_for):
    html = page(client_for("dost_staff"), reverse("indexdata:target"))
    assert 'class="term"' in html and ">nỗ lực</a>" in html and "năm tiến bộ tốt nhất" in html


# ---- Properties -----------------------------------------------------------------------------------
NAMES = sorted(load_demo().units["name"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(asked=st.lists(st.one_of(st.sampled_from(NAMES), st.text(max_size=30).map(lambda t: "x-" + t)), max_size=9))
def test_any_selection_gives_two_to_six_known_distinct_provinces(rf, asked):
    from django.contrib.auth.models import AnonymousUser

    from piiplan.web.pages.explore_views import selection

    request = rf.get("/so-sanh/", {"tinh": asked})
    request.user = AnonymousUser()
    snap = data.snapshot(request.user)
    res = snap.results()
    notices: list[str] = []
    chosen = selection(request, snap, res, notices)
    assert 2 <= len(chosen) <= 6 and len(set(chosen)) == len(chosen)
    assert set(chosen) <= set(res.units)
    known = [a for a in asked if a in NAMES]
    if len(set(known)) >= 2:
        assert chosen == list(dict.fromkeys(known))[:6]
    assert all(isinstance(n, str) and n for n in notices)


@settings(max_examples=40, deadline=None)
@given(code=st.sampled_from(sorted(engine_results().framework.nodes.index)), by=st.sampled_from(["diem", "hang"]))
def test_map_classes_follow_the_measure(code, by):
    res = engine_results()
    body = explore.tile_map(res, code, by, {})
    tiles = [t for t in body["tiles"] if t["cls"] is not None]
    assert all(1 <= t["cls"] <= 5 for t in tiles)
    key = (lambda t: -t["rank"]) if by == "hang" else (lambda t: t["score"])
    ordered = sorted(tiles, key=key)
    assert [t["cls"] for t in ordered] == sorted(t["cls"] for t in ordered)  # better never in a lower class
    assert sum(c["count"] for c in body["classes"]) == len(tiles)


def test_a_former_province_names_its_successor(client_for):
    html = page(client_for("anonymous"), url("trends", tinh="Bắc Giang"))
    assert "là tỉnh cũ trước sáp nhập năm 2025, nay thuộc Bắc Ninh" in html
    html = page(client_for("anonymous"), url("compare", tinh=["Hà Giang", "Cao Bằng", "Lạng Sơn"]))
    assert "nay thuộc Tuyên Quang" in html and "đã bỏ qua" in html


@pytest.mark.parametrize("path", ["/", "/xep-hang/?ma=3", "/ho-so/?tinh=Hu%E1%BA%BF", "/chi-so/", "/chi-so/1.2.1/",
                                  "/do-tin-cay/", "/ban-do/", "/so-sanh/", "/xu-huong/?ma=2.1"])
def test_every_download_link_on_the_pages_works(client_for, path):
    import html as html_lib
    import re

    client = client_for("dost_staff")
    text = page(client, path)
    links = [html_lib.unescape(h) for h in re.findall(r'<a href="([^"]+)" data-dl="[^"]+"', text)]
    assert links, path
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        kind = "text/csv" if ".csv?" in link else "application/vnd.openxmlformats"
        assert response["Content-Type"].startswith(kind), link


def test_public_sees_the_published_version_staff_the_active_one(client_for, personas):
    ix.dataset_version(personas, active=False, published=True)
    ix.dataset_version(personas, active=True, published=False)
    for name in ("map", "compare", "trends"):
        public = page(client_for("anonymous"), url(name))
        staff = page(client_for("dost_staff"), url(name))
        label = 'class="data-label">Phiên bản dữ liệu: '
        assert label in public and "đã công bố)" in public.split(label)[1].split("</p>")[0], name
        assert label in staff and "đã công bố)" not in staff.split(label)[1].split("</p>")[0], name
    public_csv = download(client_for("anonymous"), "ban-do", "csv").content.decode("utf-8-sig")
    assert public_csv.splitlines()[0].startswith(SYNTHETIC_LABEL)


def test_a_unit_without_a_tile_is_listed_not_lost(monkeypatch):
    res = engine_results()
    layout = {k: v for k, v in explore.tile_layout().items() if k != "Hà Nội"}
    monkeypatch.setattr(explore, "tile_layout", lambda: layout)
    body = explore.tile_map(res, "PII", "diem", {})
    assert body["unplaced"] == ["Hà Nội"]
    assert len(body["tiles"]) == 34 and sum(t["col"] is None for t in body["tiles"]) == 1


HOSTILE = ["\x00", "x" * 5000, "99999999999999999999999", "-1", "1.2.1' OR 1=1 --", "<script>alert(1)</script>",
           "%", "Đ̸", " ", "PII\n"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_query_values_never_break_the_explorer(client_for, value):
    client = client_for("anonymous")
    for name, params in [("map", {"ma": value, "kieu": value, "nam": value}),
                         ("compare", {"tinh": [value, value, "Huế"], "nam": value}),
                         ("trends", {"tinh": value, "ma": value, "nam": value}),
                         ("search", {"q": value})]:
        response = client.get(reverse(f"pages:{name}"), params)
        assert response.status_code in (200, 400), (name, value, response.status_code)
        assert "<script>alert(1)</script>" not in response.content.decode()
    for api in ("api_series", "api_compare"):
        response = client.get(reverse(f"indexdata:{api}"), {"unit": value, "code": value, "year": value, "level": value})
        assert response.status_code in (200, 400), (api, value, response.status_code)
    response = client.get(reverse("pages:table_download", args=["so-sanh", "csv"]), {"tinh": value, "nam": value})
    assert response.status_code in (200, 400)

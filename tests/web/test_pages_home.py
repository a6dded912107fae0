"""Tổng quan: the province's score, rank, trend, pillars, target and strengths/weaknesses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from piiplan.analysis.profile import strengths_weaknesses
from tests.web.pages_helpers import HOME, engine_results, json_script, kpi, page, so

SYNTHETIC = "Dữ liệu mô phỏng — không phải số liệu chính thức"


@pytest.mark.parametrize("role", ["dost_admin", "dost_staff", "agency", "leader", "anonymous"])
def test_home_shows_the_province_score_and_rank_in_vi_format(client_for, role):
    res = engine_results()
    html = page(client_for(role), reverse("pages:home"))
    assert kpi(html, "score") == f"{so(res.aggregated.at[HOME, 'PII'], 2)} điểm"
    assert "," in kpi(html, "score")                         # 33,12 — a decimal comma
    assert kpi(html, "rank") == f"{int(res.ranks.at[HOME, 'PII'])}/34"
    assert SYNTHETIC in html
    assert "<h1>Tổng quan</h1>" in html


def test_trend_covers_every_year_with_the_engine_numbers(client_for):
    html = page(client_for("leader"), reverse("pages:home"))
    trend = json_script(html, "trend-data")["points"]
    assert [p["year"] for p in trend] == [2023, 2024, 2025]
    for point in trend:
        res = engine_results(point["year"])
        assert point["score"] == pytest.approx(res.aggregated.at[HOME, "PII"])
        assert point["rank"] == res.ranks.at[HOME, "PII"]
    # The year before is summarised next to the rank.
    assert f"Năm 2024: hạng {int(engine_results(2024).ranks.at[HOME, 'PII'])}" in html


def test_pillars_against_the_national_mean(client_for):
    res = engine_results()
    pillars = json_script(page(client_for("leader"), reverse("pages:home")), "pillars-data")
    assert len(pillars["labels"]) == 7 and pillars["labels"][0].startswith("1. ")
    assert pillars["unit"] == pytest.approx([res.aggregated.at[HOME, c] for c in "1234567"])
    assert pillars["national"] == pytest.approx([res.aggregated[c].mean() for c in "1234567"])


def test_members_see_the_plan_target_and_distance(client_for):
    res = engine_results()
    rank = int(res.ranks.at[HOME, "PII"])
    html = page(client_for("leader"), reverse("pages:home"))
    assert kpi(html, "target") == str(rank - 4)
    holder = res.ranks.index[res.ranks["PII"] == rank - 4][0]
    gap = res.aggregated.at[holder, "PII"] - res.aggregated.at[HOME, "PII"]
    assert kpi(html, "gap") == f"{so(gap, 2)} điểm"
    assert f"{holder} đang giữ hạng {rank - 4}" in html
    assert f"Tăng <strong>4 bậc</strong>, từ hạng {rank} lên hạng {rank - 4}" in html


def test_public_sees_published_results_without_the_plan(client_for):
    html = page(client_for("anonymous"), reverse("pages:home"))
    assert "Mục tiêu của kế hoạch" not in html
    assert "kết quả công bố" in html


def test_target_gain_comes_from_the_setting(client_for, settings):
    settings.PIIPLAN_TARGET_RANK_GAIN = 10
    rank = int(engine_results().ranks.at[HOME, "PII"])
    html = page(client_for("dost_staff"), reverse("pages:home"))
    assert kpi(html, "target") == str(rank - 10)


def test_a_province_at_the_top_has_reached_its_target(client_for, settings):
    settings.PIIPLAN_PROVINCE = "Hà Nội"
    html = page(client_for("dost_staff"), reverse("pages:home"))
    assert kpi(html, "rank") == "1/34"
    assert "Đã đạt mục tiêu" in html


def test_strengths_and_weaknesses_are_the_analysis_ones(client_for):
    strengths, weaknesses = strengths_weaknesses(engine_results(), HOME)
    html = page(client_for("agency"), reverse("pages:home"))
    strong_part, weak_part = html.split("Điểm yếu</h2>", 1)
    for code in strengths.index:
        assert f'/chi-so/{code}/' in strong_part.split("Điểm mạnh</h2>", 1)[1]
    for code in weaknesses.index:
        assert f'/chi-so/{code}/' in weak_part


def test_year_selector_shows_an_earlier_year(client_for):
    res = engine_results(2024)
    html = page(client_for("leader"), reverse("pages:home") + "?nam=2024")
    assert kpi(html, "score") == f"{so(res.aggregated.at[HOME, 'PII'], 2)} điểm"
    trend = json_script(html, "trend-data")["points"]
    assert [p["year"] for p in trend] == [2023, 2024]
    # An unknown year falls back on the latest one.
    html = page(client_for("leader"), reverse("pages:home") + "?nam=1999")
    assert kpi(html, "score") == f"{so(engine_results().aggregated.at[HOME, 'PII'], 2)} điểm"


def test_missing_home_province_is_explained_not_a_crash(client_for, settings):
    settings.PIIPLAN_PROVINCE = "Tỉnh Không Có"
    html = page(client_for("leader"), reverse("pages:home"))
    assert "Dữ liệu hiện hành không có tỉnh Tỉnh Không Có" in html


def test_the_plan_target_wins_over_the_setting(client_for, personas):
    from piiplan.web.plan.models import Plan

    rank = int(engine_results().ranks.at[HOME, "PII"])
    Plan.objects.create(title="Kế hoạch thử", province=HOME, year=2026, base_year=2025, base_rank=rank, rank_gain=6)
    html = page(client_for("agency"), reverse("pages:home"))
    assert kpi(html, "target") == str(rank - 6)
    assert "Nguồn mục tiêu: kế hoạch — Năm 2026 tăng 06 bậc" in html
    # Another province's plan is not this workspace's target.
    Plan.objects.all().update(province="Hà Nội")
    assert kpi(page(client_for("agency"), reverse("pages:home")), "target") == str(rank - 4)


def test_change_since_last_year_adds_up_to_the_index_change(client_for):
    from tests.web.pages_helpers import table_rows

    now, before = engine_results(2025), engine_results(2024)
    html = page(client_for("leader"), reverse("pages:home"))
    rows = {r[0]: r for r in table_rows(html, "change")}
    # The sub-indices' internal codes read in Vietnamese (pages/templatetags/codes.py).
    assert list(rows) == ["PII", "Đầu vào", "Đầu ra", "1", "2", "3", "4", "5", "6", "7"]
    for code in ("PII", "3"):
        assert rows[code][2] == so(before.aggregated.at[HOME, code], 2)
        assert rows[code][3] == so(now.aggregated.at[HOME, code], 2)
        assert rows[code][6] == so(now.ranks.at[HOME, code])
    pillars = sum(float(rows[c][7].replace(".", "").replace(",", ".")) for c in "1234567")
    change = now.aggregated.at[HOME, "PII"] - before.aggregated.at[HOME, "PII"]
    assert pillars == pytest.approx(change, abs=0.05)       # rounded to two decimals each
    # The first year has nothing to compare with.
    assert "Thay đổi so với năm" not in page(client_for("leader"), reverse("pages:home") + "?nam=2023")

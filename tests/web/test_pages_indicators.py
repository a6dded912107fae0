"""Chỉ số: the indicator handbook and one page per indicator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.pages_helpers import HOME, engine_results, json_script, kpi, page, so, table_rows


def test_handbook_lists_every_indicator_by_pillar(client_for):
    fw = engine_results().framework
    html = page(client_for("anonymous"), reverse("pages:indicators"))
    for code in fw.indicators:
        assert f'href="/chi-so/{code}/?nam=2025">{code}</a>' in html
    assert html.count("<h2>Trụ cột ") == 7
    counts = fw.nodes.loc[fw.indicators, "confidence"].value_counts()
    assert f'<span class="badge confirmed">đã xác nhận</span> <strong>{counts["confirmed"]}</strong>' in html
    assert f'<span class="badge placeholder">tạm thời</span> <strong>{counts["placeholder"]}</strong>' in html


def test_handbook_shows_the_home_score_and_rank(client_for):
    res = engine_results()
    html = page(client_for("leader"), reverse("pages:indicators"))
    rows = {r[0]: r for r in table_rows(html, "table")}  # first pillar's table
    code = "1.1.1"
    assert rows[code][-2] == so(res.aggregated.at[HOME, code], 2)
    assert rows[code][-1] == so(res.ranks.at[HOME, code])


@pytest.mark.parametrize("code, label", [("1.2.1", "đã xác nhận"), ("1.1.1", "xác nhận tên"),
                                         ("1.1.2", "suy luận")])
def test_indicator_sheet(client_for, code, label):
    res = engine_results()
    fw = res.framework
    html = page(client_for("agency"), reverse("pages:indicator", args=[code]))
    assert f"<h1>{code}. {fw.name_of(code)}</h1>" in html
    assert f'data-confidence="{fw.nodes.at[code, "confidence"]}">{label}</span>' in html
    assert fw.nodes.at[code, "unit"] in html
    assert f'<dd>{fw.nodes.at[code, "source_vi"]}</dd>' in html       # the source in Vietnamese…
    assert fw.nodes.at[code, "source"] not in html                      # …not the English original
    assert kpi(html, "rank") == f"{so(res.ranks.at[HOME, code])}/34"
    assert kpi(html, "score") == so(res.aggregated.at[HOME, code], 2)
    assert kpi(html, "value").startswith(so(res.stage("raw").at[HOME, code], 2))


def test_placeholder_indicator_is_flagged(client_for):
    fw = engine_results().framework
    code = next(c for c in fw.indicators if fw.nodes.at[c, "confidence"] == "placeholder")
    html = page(client_for("anonymous"), reverse("pages:indicator", args=[code]))
    assert 'data-confidence="placeholder">tạm thời</span>' in html
    assert "Chỉ số giữ chỗ" in html


def test_distribution_and_explain_trail(client_for):
    res = engine_results()
    code = "3.1.2"
    html = page(client_for("leader"), reverse("pages:indicator", args=[code]))
    chart = json_script(html, "distribution-data")
    assert len(chart["labels"]) == 34 and chart["home"] == HOME
    order = res.ranks[code].sort_values(kind="stable").index
    assert chart["labels"][0] == order[0]
    raw = res.stage("raw")[code]
    assert raw.isna().any()                                   # a province without a value…
    expected = [None if raw.isna()[u] else pytest.approx(raw[u]) for u in chart["labels"]]
    assert chart["values"] == expected                        # …is shown as missing, last
    assert chart["values"][-1] is None
    explain = res.explain(HOME, code)
    trail = table_rows(html, "explain")
    assert [r[0] for r in trail][0] == "Số liệu thô"
    assert trail[-1] == ["Điểm chuẩn hoá (0–100)", so(explain["score"], 4)]
    assert len(trail) == len(explain["trail"])
    for c in explain["contributions"]:
        assert f"{c['code']} · {c['name']}" in html
        assert so(c["points"], 2) in html


@pytest.mark.parametrize("code", ["9.9.9", "1.1", "PII"])
def test_unknown_or_aggregate_code_is_404(client_for, code):
    response = client_for("dost_admin").get(reverse("pages:indicator", args=[code]))
    assert response.status_code == 404


def test_lead_agency_comes_from_the_plan_tasks(client_for, personas):
    from piiplan.web.plan.models import IndicatorTarget, Plan, Task

    plan = Plan.objects.create(title="Kế hoạch thử", province=HOME, year=2026, base_year=2025, base_rank=29,
                               rank_gain=4)
    Task.objects.create(plan=plan, number=1, content="Giảm chi phí gia nhập thị trường", indicators=["1.2.1"],
                        lead_agency=personas.agency_a)
    Task.objects.create(plan=plan, number=2, content="Việc khác", indicators=["1.2.2"],
                        lead_agency=personas.agency_b)
    IndicatorTarget.objects.create(plan=plan, indicator="1.2.1", data_agency=personas.agency_b)
    html = page(client_for("leader"), reverse("pages:indicator", args=["1.2.1"]))
    assert '<dd data-field="lead">Sở Thử nghiệm</dd>' in html
    assert "<dt>Cơ quan cung cấp số liệu</dt><dd>Xã Thử nghiệm</dd>" in html
    html = page(client_for("leader"), reverse("pages:indicator", args=["1.1.1"]))
    assert '<dd data-field="lead">Chưa giao trong kế hoạch</dd>' in html
    # The public sees the handbook without the plan's assignments.
    assert "Cơ quan chủ trì" not in page(client_for("anonymous"), reverse("pages:indicator", args=["1.2.1"]))


def test_handbook_shows_lead_agencies_and_marks_the_users_own(client_for, personas):
    from piiplan.web.plan.models import Plan, Task

    plan = Plan.objects.create(title="Kế hoạch thử", province=HOME, year=2026, base_year=2025, base_rank=29,
                               rank_gain=4)
    Task.objects.create(plan=plan, number=1, content="Việc 1", indicators=["1.2.1", "1.2.2"],
                        lead_agency=personas.agency_a)
    Task.objects.create(plan=plan, number=2, content="Việc 2", indicators=["1.2.2"], lead_agency=personas.agency_b)
    rows = {r[0]: r for r in table_rows(page(client_for("leader"), reverse("pages:indicators")), "table")}
    assert rows["1.2.1"][4] == "Sở Thử nghiệm"
    assert rows["1.2.2"][4] == "Sở Thử nghiệm; Xã Thử nghiệm"
    assert rows["1.1.1"][4] == "–"
    html = page(client_for("agency"), reverse("pages:indicators"))
    assert html.count('class="highlight own"') == 2        # 1.2.1 and 1.2.2: tasks agency A leads
    assert "Các dòng tô màu là chỉ số có nhiệm vụ do Sở Thử nghiệm chủ trì" in html
    # Agency A sees only its own tasks (the access helper's task scope): agency B's lead is hidden.
    rows = {r[0]: r for r in table_rows(html, "table")}
    assert rows["1.2.2"][4] == "Sở Thử nghiệm"
    assert "Cơ quan chủ trì" not in page(client_for("anonymous"), reverse("pages:indicators"))

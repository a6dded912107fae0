"""Độ tin cậy: rank intervals and P(rank ≤ target) from the uncertainty analysis, memoised."""

from __future__ import annotations

from django.urls import reverse

from piiplan.analysis.context import IndexInputs
from piiplan.analysis.uncertainty import monte_carlo
from piiplan.web.pages import data
from tests.web.pages_helpers import HOME, engine_results, kpi, page, so, table_rows


def test_home_interval_and_probability_match_the_analysis(client_for):
    from piiplan.demo import load_demo
    from piiplan.engine import load_framework

    res = engine_results()
    target = int(res.ranks.at[HOME, "PII"]) - 4
    html = page(client_for("leader"), reverse("pages:uncertainty"))
    inputs = IndexInputs.from_dataset(load_framework("pii-2025"), load_demo(), 2025)
    mc = monte_carlo(inputs, n=data.UNCERTAINTY_REPLICATIONS, seed=data.UNCERTAINTY_SEED, k=target)
    stats = mc.rank_stats.loc[HOME]
    assert kpi(html, "interval") == f"{so(stats['q5'])}–{so(stats['q95'])}"
    assert kpi(html, "probability") == f"{so(100 * stats[f'p_rank_le_{target}'], 1)} %"
    assert f"P(hạng ≤ {target})" in html
    assert "Mô phỏng Monte Carlo 2.000 lần" in html
    rows = table_rows(html, "compact")
    assert len(rows) == 34
    assert [r[1] for r in rows][0] == res.ranking("PII").index[0]


def test_the_run_is_memoised(client_for, monkeypatch):
    import piiplan.analysis.uncertainty as unc

    data.clear_memo()
    calls = []
    real = unc.monte_carlo
    monkeypatch.setattr(unc, "monte_carlo", lambda *a, **k: calls.append(1) or real(*a, **k))
    client = client_for("anonymous")
    first = page(client, reverse("pages:uncertainty"))
    second = page(client, reverse("pages:uncertainty"))
    assert len(calls) == 1
    assert kpi(first, "interval") == kpi(second, "interval")
    page(client, reverse("pages:uncertainty") + "?nam=2024")   # another year is another run
    assert len(calls) == 2

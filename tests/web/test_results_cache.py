"""One results cache, keyed by content (indexdata.service.cached); nothing user-dependent shared."""

from __future__ import annotations

import pytest
from django.urls import reverse

from piiplan.web.indexdata import service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    service.clear_memo()
    yield
    service.clear_memo()


def test_indicators_page_shows_each_agency_its_own_tasks_only(client_for, personas):
    """/chi-so/ once leaked agency A's name to DoST staff and to agency B through a fragment cache keyed
    without the user: two agencies, one cache, no leak — whatever the order of the visits."""
    from piiplan.web.plan.models import Plan, Task

    url = reverse("pages:indicators")
    own_a = "Các dòng tô màu là chỉ số có nhiệm vụ do Sở Thử nghiệm chủ trì"
    own_b = "Các dòng tô màu là chỉ số có nhiệm vụ do Xã Thử nghiệm chủ trì"
    # No task yet: every user's page has the same data, and only the user tells them apart.
    assert own_a in client_for("agency").get(url).content.decode()
    assert own_a not in client_for("dost_staff").get(url).content.decode()
    b = client_for(personas.other_agency).get(url).content.decode()
    assert own_b in b and own_a not in b
    plan = Plan.objects.create(title="Kế hoạch thử", province="Lạng Sơn", year=2026, base_year=2025,
                               base_rank=29, rank_gain=4)
    Task.objects.create(plan=plan, number=1, content="Việc 1", indicators=["1.2.1"], lead_agency=personas.agency_a)
    Task.objects.create(plan=plan, number=2, content="Việc 2", indicators=["2.1.1"], lead_agency=personas.agency_b)
    for _ in range(2):                      # a second round is served from warm caches
        a = client_for("agency").get(url).content.decode()
        b = client_for(personas.other_agency).get(url).content.decode()
        staff = client_for("dost_staff").get(url).content.decode()
        assert own_a in a and own_b not in a
        assert own_b in b and own_a not in b
        assert own_a not in staff and own_b not in staff
        assert a.count('class="highlight own"') == 1 and b.count('class="highlight own"') == 1
        assert 'class="highlight own"' not in staff


def test_cache_key_is_the_content():
    from piiplan.demo import demo_framework, load_demo
    from piiplan.engine import preset

    fw, ds = demo_framework(), load_demo()
    first = service.results(2025, preset("pii"), ds, fw)
    assert service.results(2025, preset("pii"), ds, fw) is first                 # same content: one build
    assert service.results(2025, preset("coinr"), ds, fw) is not first            # another recipe
    other = fw.with_weights({"1": 3.0})
    assert service.results(2025, preset("pii"), ds, other) is not first           # another framework
    assert service.content_key(fw, ds, preset("pii")) != service.content_key(other, ds, preset("pii"))
    calls = []
    key = ("probe", *service.content_key(fw, ds, preset("pii")))
    assert service.cached(key, lambda: calls.append(1) or "x") == service.cached(key, lambda: calls.append(1))
    assert calls == [1]


def test_effect_follows_the_active_framework(personas):
    """The plan's effect analysis is cached with the framework in its key: activating another framework
    version changes the numbers on the next call, without a restart."""
    from piiplan.demo import demo_framework
    from piiplan.web.indexdata.versions import find_or_create_framework
    from piiplan.web.plan import effect

    before = effect.analysis("Lạng Sơn", 2025)
    assert not before.error and before.score is not None
    assert effect.analysis("Lạng Sơn", 2025) is before                           # cached
    weights = {code: (5.0 if code == "6" else 1.0) for code in demo_framework().codes_at(3)}
    find_or_create_framework(demo_framework().with_weights(weights), user=personas.admin, activate=True)
    after = effect.analysis("Lạng Sơn", 2025)
    assert after.score != pytest.approx(before.score)

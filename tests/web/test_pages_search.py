"""The header's search: provinces, indicators and pages for everyone; plan tasks and agencies only
for signed-in users, within what the access helper lets them see."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from piiplan.web.pages import data
from piiplan.web.pages.search import fold, search
from tests.plan.world import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    data.clear_memo()
    yield
    data.clear_memo()


def titles(hits, group):
    return [h["title"] for h in hits[group]]


def test_fold_removes_diacritics_and_case():
    assert fold("Lao ĐỘNG  qua đào tạo") == "lao dong qua dao tao"
    assert fold("Đắk Lắk") == "dak lak"


def test_words_without_diacritics_find_indicators_and_provinces():
    hits = search(None, "lao dong")
    names = titles(hits, "indicators")
    assert names and all("lao động" in n.lower() for n in names)
    assert titles(search(None, "dak lak"), "provinces") == ["Đắk Lắk"]
    assert titles(search(None, "HO CHI MINH"), "provinces") == ["Thành phố Hồ Chí Minh"]


def test_codes_find_the_node_and_its_descendants():
    hits = titles(search(None, "1.2"), "indicators")
    assert hits[0].startswith("1.2.") and all(h.startswith("1.2") for h in hits)
    assert titles(search(None, "1.2.1"), "indicators") == [t for t in hits if t.startswith("1.2.1.")]


def test_pages_are_found_by_their_words():
    assert "Phương pháp" in titles(search(None, "chuan hoa"), "pages")
    assert "Bản đồ" in titles(search(None, "ban do"), "pages")


def test_public_sees_no_tasks_and_no_agencies(client_for, personas):
    make_world(personas)
    html = client_for("anonymous").get(reverse("pages:search"), {"q": "nhiem vu"}).content.decode()
    assert 'data-group="tasks"' not in html and "Nhiệm vụ của sở A" not in html
    hits = search(None, "so A")
    assert hits["tasks"] == [] and hits["agencies"] == []


def test_members_find_the_tasks_and_agencies_they_may_see(client_for, personas):
    world = make_world(personas)
    staff = search(personas.by_role["dost_staff"], "nhiem vu")
    assert {"1. Nhiệm vụ của sở A", "3. Nhiệm vụ của xã B"} <= set(titles(staff, "tasks"))
    # An agency focal point of agency A never sees agency B's task.
    agency = search(personas.by_role["agency"], "nhiem vu")
    assert "1. Nhiệm vụ của sở A" in titles(agency, "tasks")
    assert "3. Nhiệm vụ của xã B" not in titles(agency, "tasks")
    assert titles(search(personas.by_role["agency"], "thu nghiem"), "agencies") == ["Sở Thử nghiệm"]
    assert set(titles(search(personas.by_role["leader"], "thu nghiem"), "agencies")) == {"Sở Thử nghiệm", "Xã Thử nghiệm"}
    html = client_for("dost_staff").get(reverse("pages:search"), {"q": fold(personas.agency_b.name)}).content.decode()
    assert personas.agency_b.name in html
    assert reverse("plan:tasks", args=[world.plan.pk]) + f"?agency={personas.agency_b.pk}" in html


def test_search_page_and_header_box(client_for):
    client = client_for("anonymous")
    html = client.get(reverse("pages:home")).content.decode()
    assert re.search(r'<form class="site-search" role="search" method="get" action="/tim-kiem/">', html)
    html = client.get(reverse("pages:search"), {"q": "lang son"}).content.decode()
    assert "/ho-so/?tinh=L" in html and "Lạng Sơn" in html
    html = client.get(reverse("pages:search"), {"q": "zzzz"}).content.decode()
    assert "Không tìm thấy kết quả nào cho «zzzz»" in html
    assert client.get(reverse("pages:search"), {"q": "x" * 5000}).status_code == 200


def test_the_not_found_page_offers_the_search(client_for):
    response = client_for("anonymous").get("/chi-so/9.9.9/")
    assert response.status_code == 404
    assert 'action="/tim-kiem/"' in response.content.decode()

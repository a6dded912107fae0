"""Hostile query strings and form values on the data pages and the JSON API: a 400 (or 404 for an
unknown id) with a Vietnamese message, never a 500, and nothing saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from piiplan.web.indexdata import service
from piiplan.web.indexdata.models import Scenario

pytestmark = pytest.mark.django_db

HOSTILE = ["abc", "99999", "0", "-1", "1e308", "1e309", "nan", "inf", "-inf", "NaN", "١٢", "2025.5", "x" * 5000,
           "2025\x00", "%00", "' OR 1=1 --"]


@pytest.fixture(autouse=True)
def _fresh_memo():
    service.clear_memo()
    yield
    service.clear_memo()


@pytest.mark.parametrize("value", HOSTILE)
def test_api_query_strings(client_for, value):
    client = client_for("dost_staff")
    for name in ("api_rankings", "api_indicators"):
        for key in ("year", "level", "version", "unit", "agency"):
            response = client.get(reverse(f"indexdata:{name}"), {key: value})
            assert response.status_code in (200, 400, 404), (name, key, response.status_code)
            if response.status_code == 400:
                assert "không hợp lệ" in response.json()["error"] or response.json()["error"]


@pytest.mark.parametrize("value", HOSTILE)
def test_data_and_scenario_pages_query_strings(client_for, value):
    client = client_for("dost_staff")
    for url in (reverse("indexdata:datasets"), reverse("indexdata:scenarios"), reverse("indexdata:target")):
        for key in ("year", "unit", "version", "page", "kind"):
            response = client.get(url, {key: value})
            assert response.status_code in (200, 400), (url, key, value, response.status_code)


@pytest.mark.parametrize("value", ["1e308", "1e309", "-1e308", "nan", "inf", "-inf", "1" * 400, "1,5e400"])
def test_what_if_values_are_refused_with_a_message(client_for, value):
    client = client_for("dost_staff")
    response = client.post(reverse("indexdata:scenarios"), {"unit": "Lạng Sơn", "year": "2025", "v_1.1.1": value,
                                                           "action": "save", "name": "Thử"})
    assert response.status_code == 400, response.status_code
    text = response.content.decode()
    assert "1.1.1" in text and ("không phải là số" in text or "quá lớn" in text or "không hợp lệ" in text)
    assert not Scenario.objects.exists()
    response = client.post(reverse("indexdata:scenarios"), {"unit": "Lạng Sơn", "year": "2025", "p_1.1.1": value})
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["1e308", "nan", "inf", "abc", "-5", "99999999999999999999999"])
def test_target_form_values(client_for, value):
    response = client_for("dost_staff").post(reverse("indexdata:target"),
                                             {"unit": "Lạng Sơn", "year": value, "target_rank": value})
    assert response.status_code == 400


@pytest.mark.parametrize("pk", ["99999999999999999999999", "9223372036854775808"])
def test_huge_ids_in_urls_are_404(client_for, pk):
    client = client_for("dost_staff")
    for prefix in ("nhap", "kich-ban", "phien-ban"):
        url = f"/du-lieu/{prefix}/{pk}/" + ("cong-bo/" if prefix == "phien-ban" else "")
        assert client.get(url).status_code == 404, url

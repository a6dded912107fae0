"""JSON API: every response validates against the OpenAPI description; published-only for visitors."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
from django.urls import reverse
from openapi_spec_validator import validate as validate_openapi

from piiplan.demo import SYNTHETIC_LABEL, demo_framework, load_demo
from piiplan.engine import build_dataset
from piiplan.web.indexdata import service
from piiplan.web.indexdata.api import openapi_document
from tests.web import indexdata_fixtures as ix

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


@pytest.fixture(autouse=True)
def _fresh_memo():
    service.clear_memo()
    yield
    service.clear_memo()


def to_json_schema(node):
    """OpenAPI 3.0 schema objects → JSON Schema (``nullable`` → a union with null)."""
    if isinstance(node, list):
        return [to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_json_schema(v) for k, v in node.items() if k not in ("nullable", "format")}
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def validator_for(path: str, status: int = 200):
    doc = openapi_document()
    op = doc["paths"][path]["get"]["responses"][str(status)]
    schema = op["content"]["application/json"]["schema"]
    root = {**to_json_schema(copy.deepcopy(schema)), "components": to_json_schema(doc["components"])}
    return jsonschema.Draft202012Validator(root)


def get(client, name, status=200, **kwargs):
    params = kwargs.pop("params", None)
    response = client.get(reverse(f"indexdata:{name}", kwargs=kwargs or None), params or {})
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


CASES = [
    ("api_rankings", "/rankings", {}, {}),
    ("api_rankings", "/rankings", {}, {"level": "pillar", "year": "2024"}),
    ("api_rankings", "/rankings", {}, {"level": "1"}),
    ("api_unit", "/units/{unit}", {"unit": "Lạng Sơn"}, {}),
    ("api_unit", "/units/{unit}", {"unit": "Hà Nội"}, {"year": "2023"}),
    ("api_indicators", "/indicators", {}, {}),
    ("api_indicator", "/indicators/{code}", {"code": "1.1.1"}, {}),
    ("api_indicator", "/indicators/{code}", {"code": "7.2.1"}, {"year": "2024"}),
    ("api_series", "/series", {}, {}),
    ("api_series", "/series", {}, {"unit": "Cao Bằng", "code": "1.2.1"}),
    ("api_series", "/series", {}, {"unit": "Không Có", "code": "9.9"}),
    ("api_compare", "/compare", {}, {}),
    ("api_compare", "/compare", {}, {"unit": ["Lạng Sơn", "Cao Bằng", "Lào Cai"], "year": "2024", "level": "sub_pillar"}),
    ("api_compare", "/compare", {}, {"unit": ["Lạng Sơn", "Atlantis"], "year": "1999", "level": "tinh"}),
]


@pytest.mark.parametrize("name,path,kwargs,params", CASES)
def test_every_response_matches_the_openapi_description(client_for, name, path, kwargs, params):
    body = get(client_for("anonymous"), name, params=params, **kwargs)
    validator_for(path).validate(body)


ERRORS = [
    ("api_rankings", "/rankings", {}, {"level": "tinh"}, 400),
    ("api_rankings", "/rankings", {}, {"year": "hai"}, 400),
    ("api_rankings", "/rankings", {}, {"year": "1999"}, 404),
    ("api_unit", "/units/{unit}", {"unit": "Không Có"}, {}, 404),
    ("api_indicator", "/indicators/{code}", {"code": "9.9.9"}, {}, 404),
]


@pytest.mark.parametrize("name,path,kwargs,params,status", ERRORS)
def test_errors_are_json_in_vietnamese_and_match_the_description(client_for, name, path, kwargs, params, status):
    body = get(client_for("anonymous"), name, status=status, params=params, **kwargs)
    validator_for(path, status).validate(body)
    assert re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", body["error"].lower())


def test_the_schema_check_can_fail(client_for):
    body = get(client_for("anonymous"), "api_rankings")
    body["units"][0]["ranks"]["PII"] = "một"
    with pytest.raises(jsonschema.ValidationError):
        validator_for("/rankings").validate(body)


def test_rankings_are_the_engine_results(client_for):
    body = get(client_for("anonymous"), "api_rankings", params={"year": "2025"})
    res = build_dataset(demo_framework(), load_demo(), 2025)
    assert body["synthetic"] is True and body["label"] == SYNTHETIC_LABEL
    assert [u["unit"] for u in body["units"]][:5] == list(res.ranking("PII").index[:5])
    lang_son = next(u for u in body["units"] if u["unit"] == "Lạng Sơn")
    assert lang_son["scores"]["PII"] == pytest.approx(res.aggregated.at["Lạng Sơn", "PII"])
    assert lang_son["ranks"]["PII"] == int(res.ranks.at["Lạng Sơn", "PII"])
    pillars = get(client_for("anonymous"), "api_rankings", params={"level": "pillar"})
    assert [c["code"] for c in pillars["codes"]] == ["1", "2", "3", "4", "5", "6", "7"]


def test_unit_profile_covers_every_level(client_for):
    body = get(client_for("anonymous"), "api_unit", unit="Lạng Sơn")
    codes = [n["code"] for n in body["nodes"]]
    assert set(codes) == set(demo_framework().nodes.index)
    root = next(n for n in body["nodes"] if n["code"] == "PII")
    assert root["level"] == "index" and root["parent"] is None and root["value"] is None


def test_api_values_equal_the_engine(client_for):
    """Every score, rank, raw value and mean the API gives is the engine's, and none is left blank."""
    res = build_dataset(demo_framework(), load_demo(), 2025)
    raw = res.stage("raw")
    for unit in ("Lạng Sơn", "Hà Nội"):
        body = get(client_for("anonymous"), "api_unit", unit=unit, params={"year": "2025"})
        nodes = {n["code"]: n for n in body["nodes"]}
        assert set(nodes) == set(res.framework.codes)
        for code, node in nodes.items():
            score, rank = res.aggregated.at[unit, code], res.ranks.at[unit, code]
            assert node["score"] == (None if score != score else pytest.approx(score, abs=1e-12)), code
            assert node["rank"] == (None if rank != rank else int(rank)), code
            assert node["mean"] == pytest.approx(res.mean()[code], abs=1e-12), code
            if code in res.structure.indicators:
                value = raw.at[unit, code]
                assert node["value"] == (None if value != value else pytest.approx(value, abs=1e-12)), code
    ranking = get(client_for("anonymous"), "api_rankings", params={"year": "2025"})
    for row in ranking["units"]:
        assert row["scores"]["PII"] == pytest.approx(res.aggregated.at[row["unit"], "PII"], abs=1e-12)
        assert row["ranks"]["PII"] == int(res.ranks.at[row["unit"], "PII"])


def test_visitors_see_published_versions_only(client_for, personas):
    hidden = ix.dataset_version(personas, active=True, published=False)
    anonymous, leader, agency = client_for("anonymous"), client_for("leader"), client_for("agency")
    body = get(anonymous, "api_rankings", status=404)
    assert "công bố" in body["error"]
    assert get(leader, "api_rankings")["dataset"]["version"] == hidden.pk
    get(agency, "api_rankings", status=404)
    # An older published version is what visitors see while the active one is unpublished.
    older = ix.dataset_version(personas, active=False, published=True)
    assert get(anonymous, "api_rankings")["dataset"]["version"] == older.pk
    from piiplan.web.indexdata.versions import publish

    publish(hidden, acknowledge_synthetic=True)  # one published version: the older one is withdrawn
    older.refresh_from_db()
    assert not older.published
    assert get(anonymous, "api_rankings")["dataset"]["version"] == hidden.pk


@pytest.mark.parametrize("role", ["anonymous", "agency", "leader", "dost_staff"])
def test_pages_and_api_show_the_same_dataset(client_for, personas, role):
    """One visibility rule (service.visible_inputs): the pages' snapshot and the API agree for every role."""
    from django.contrib.auth.models import AnonymousUser

    from piiplan.web.pages import data

    older = ix.dataset_version(personas, active=False, published=True)
    older.name = "Bản đã công bố"
    older.save()
    hidden = ix.dataset_version(personas, active=True, published=False)
    hidden.name = "Bản chưa công bố"
    hidden.save()
    user = {"anonymous": AnonymousUser(), "agency": personas.agency, "leader": personas.leader,
            "dost_staff": personas.staff}[role]
    api_version = get(client_for(role), "api_rankings")["dataset"]["version"]
    expected = older if role in ("anonymous", "agency") else hidden
    assert api_version == expected.pk
    assert data.snapshot(user).label.startswith(expected.name)


def test_openapi_document_is_served_and_documented(client_for):
    doc = get(client_for("anonymous"), "api_openapi")
    assert doc["openapi"].startswith("3.")
    text = DOCS.read_text(encoding="utf-8")
    for path in doc["paths"]:
        documented = "/du-lieu/api" + re.sub(r"\{(\w+)\}", r"<\1>", path)
        assert documented in text, f"{documented} is not documented in docs/api.md"


def test_served_openapi_document_is_a_valid_openapi_description(client_for):
    doc = get(client_for("anonymous"), "api_openapi")
    validate_openapi(doc)
    unit = doc["paths"]["/units/{unit}"]["get"]["parameters"][0]
    assert unit["description"] == "Mã tỉnh (tên tỉnh, ví dụ «Lạng Sơn»)"
    for path in doc["paths"].values():
        for param in path["get"].get("parameters", []):
            assert None not in param.values(), param


def test_indicators_carry_the_vietnamese_source(client_for):
    body = get(client_for("anonymous"), "api_indicators")
    by_code = {i["code"]: i for i in body["indicators"]}
    assert by_code["1.1.1"]["source"] == "Ministry of Home Affairs (PAR INDEX)"
    assert by_code["1.1.1"]["source_vi"] == "Bộ Nội vụ (Chỉ số CCHC – PAR INDEX)"
    assert all(i["source_vi"] for i in body["indicators"])
    detail = get(client_for("anonymous"), "api_indicator", code="1.2.1")
    assert detail["indicator"]["source_vi"] == "VCCI (khảo sát PCI)"


def test_series_is_the_engine_trend_with_means_and_best(client_for):
    body = get(client_for("anonymous"), "api_series", params={"unit": "cao bang", "code": "3.2"})
    assert body["unit"] == "Cao Bằng" and body["code"] == "3.2" and body["notices"] == []
    regions = load_demo().units["region"]
    peers = list(regions[regions == regions["Cao Bằng"]].index)
    for point in body["series"]:
        res = build_dataset(demo_framework(), load_demo(), point["year"])
        col = res.aggregated["3.2"]
        assert point["score"] == pytest.approx(col["Cao Bằng"])
        assert point["rank"] == int(res.ranks.at["Cao Bằng", "3.2"])
        assert point["national_mean"] == pytest.approx(col.mean())
        assert point["regional_mean"] == pytest.approx(col[peers].mean())
        assert point["best"]["score"] == pytest.approx(col.max())
    assert [p["year"] for p in body["series"]] == [2023, 2024, 2025]


def test_series_and_compare_replace_unknown_parameters_with_a_notice(client_for):
    body = get(client_for("anonymous"), "api_series", params={"unit": "Atlantis", "code": "9.9"})
    assert body["unit"] == "Lạng Sơn" and body["code"] == "PII"
    assert body["notices"] == ["Không có tỉnh «Atlantis»; dùng Lạng Sơn.",
                               "Không có mã «9.9» trong khung chỉ số; dùng PII."]
    body = get(client_for("anonymous"), "api_compare", params={"unit": ["Huế", "Atlantis"], "year": "1999"})
    assert body["year"] == 2025 and len(body["units"]) >= 2 and body["units"][0]["unit"] == "Lạng Sơn"
    assert any("1999" in n for n in body["notices"]) and any("Atlantis" in n for n in body["notices"])
    body = get(client_for("anonymous"), "api_compare", params={"level": "tinh"})
    assert body["level"] == "pillar" and len(body["notices"]) == 1
    assert body["notices"][0].startswith("Cấp «tinh» không hợp lệ") and body["notices"][0].endswith("Đang dùng level=pillar.")


def test_compare_is_the_engine_results_side_by_side(client_for):
    chosen = ["Lạng Sơn", "Cao Bằng", "Lào Cai"]
    body = get(client_for("anonymous"), "api_compare", params={"unit": chosen, "year": "2024"})
    res = build_dataset(demo_framework(), load_demo(), 2024)
    assert [u["unit"] for u in body["units"]] == chosen and body["level"] == "pillar"
    assert body["units"][1]["scores"]["4"] == pytest.approx(res.aggregated.at["Cao Bằng", "4"])
    assert body["units"][2]["ranks"]["7"] == int(res.ranks.at["Lào Cai", "7"])
    assert body["national_mean"]["1"] == pytest.approx(res.aggregated["1"].mean())
    history = body["units"][0]["rank_history"]
    assert [h["year"] for h in history] == [2023, 2024, 2025]
    assert history[0]["rank"] == int(build_dataset(demo_framework(), load_demo(), 2023).ranks.at["Lạng Sơn", "PII"])


def test_series_and_compare_follow_publication(client_for, personas):
    ix.dataset_version(personas, active=True, published=False)
    get(client_for("anonymous"), "api_series", status=404)
    get(client_for("anonymous"), "api_compare", status=404)
    assert get(client_for("dost_staff"), "api_series")["series"]

"""The PII 2025 framework shipped as package data (`data/frameworks/pii-2025.csv`)."""

from __future__ import annotations

import csv
import importlib.util
import re
from pathlib import Path

import pandas as pd
import pytest

from piiplan.engine.merger import parse_rule, rules_from_framework
from piiplan.reference import framework_path

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests" / "fixtures" / "reference" / "pii" / "indicators-2025.csv"  # in the repository
COLUMNS = ["code", "parent", "level", "name_vi", "name_en", "unit", "direction", "weight",
           "source", "source_vi", "confidence", "merge", "note"]
CONFIDENCE = {"confirmed", "name-confirmed", "inferred", "placeholder"}
VI_LETTERS = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]",
                        re.IGNORECASE)


@pytest.fixture(scope="module")
def fw() -> pd.DataFrame:
    df = pd.read_csv(framework_path("pii-2025"), dtype=str, keep_default_na=False)
    return df.set_index("code", drop=False)


def test_header_is_the_project_format_plus_source_vi_merge_and_note():
    with framework_path().open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == COLUMNS


def test_counts_per_level(fw):
    counts = fw["level"].value_counts().to_dict()
    assert counts == {"1": 52, "2": 18, "3": 7, "4": 2, "5": 1}
    assert fw["code"].is_unique


def test_hierarchy(fw):
    level = fw["level"].astype(int)
    assert list(fw.index[level == 3]) == [str(p) for p in range(1, 8)]
    assert fw.loc[fw["level"] == "4", "code"].tolist() == ["INPUT", "OUTPUT"]
    assert fw.loc["PII", "parent"] == "" and fw.loc["PII", "level"] == "5"
    for code, row in fw.iterrows():
        if code == "PII":
            continue
        parent = row["parent"]
        assert parent in fw.index, code
        assert int(fw.loc[parent, "level"]) == int(row["level"]) + 1, code
        if row["level"] in {"1", "2"}:   # "1.2.4" sits in "1.2", which sits in "1"
            assert code.rsplit(".", 1)[0] == parent, code
    pillars_of = fw.groupby("parent")["code"].apply(list)
    assert pillars_of["INPUT"] == ["1", "2", "3", "4", "5"]
    assert pillars_of["OUTPUT"] == ["6", "7"]
    assert pillars_of["PII"] == ["INPUT", "OUTPUT"]


def test_every_node_has_a_vietnamese_name_and_weight_one(fw):
    for code, row in fw.iterrows():
        assert row["name_vi"].strip() and VI_LETTERS.search(row["name_vi"]), code
        assert row["name_en"].strip(), code
        assert row["weight"] == "1", code
        assert row["confidence"] in CONFIDENCE, code
    assert fw.loc["INPUT", "name_vi"] == "Chỉ số thành phần đầu vào"
    assert fw.loc["OUTPUT", "name_vi"] == "Chỉ số thành phần đầu ra"
    assert fw.loc["PII", "name_vi"] == "Chỉ số đổi mới sáng tạo cấp địa phương"


def test_every_indicator_has_unit_source_direction_merge_and_note(fw):
    ind = fw[fw["level"] == "1"]
    for code, row in ind.iterrows():
        assert re.fullmatch(r"\d+\.\d+\.\d+", code), code
        assert row["unit"].strip(), code
        assert row["source"].strip(), code
        assert row["direction"] in {"1", "-1"}, code
        parse_rule(row["merge"])          # raises on an invalid rule
        assert row["note"].strip(), code
    aggregates = fw[fw["level"] != "1"]
    assert (aggregates["direction"] == "").all() and (aggregates["merge"] == "").all()


ENGLISH_WORDS = re.compile(r"\b(Ministry|survey|provincial|formerly|programme|Portal|boards?|review|data|"
                           r"enterprise|Labour|Education|Training|State Bank|with|evidence|probable)\b")


def test_every_indicator_has_a_vietnamese_source(fw):
    ind = fw[fw["level"] == "1"]
    for code, row in ind.iterrows():
        vi = row["source_vi"].strip()
        assert vi and VI_LETTERS.search(vi), (code, vi)
        assert not ENGLISH_WORDS.search(vi), (code, vi)
        assert vi != row["source"], code
    assert ind.loc["1.1.1", "source_vi"] == "Bộ Nội vụ (Chỉ số CCHC – PAR INDEX)"
    assert ind.loc["1.2.1", "source_vi"] == "VCCI (khảo sát PCI)"
    # one translation per English source
    assert ind.groupby("source")["source_vi"].nunique().max() == 1
    assert (fw.loc[fw["level"] != "1", "source_vi"] == "").all()


def test_a_new_source_without_a_translation_stops_the_generator():
    spec = importlib.util.spec_from_file_location("make_framework",
                                                  ROOT / "scripts" / "make_framework.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    row = {"code": "1.1.1", "subpillar_code": "1.1", "subpillar_vi": "Thể chế", "subpillar_en": "Institutions",
           "pillar_code": "1", "pillar_vi": "Thể chế", "pillar_en": "Institutions", "indicator_vi": "X",
           "indicator_en": "X", "unit": "điểm", "direction": "+", "data_source": "Some new agency",
           "confidence": "inferred", "evidence": "e"}
    with pytest.raises(KeyError, match="SOURCE_VI"):
        module.build_rows([row])
    row["data_source"] = "VCCI (PCI survey)"
    assert module.build_rows([row])[0]["source_vi"] == "VCCI (khảo sát PCI)"


def test_merge_rules_follow_the_indicator_unit(fw):
    """Per-capita values are weighted by population, shares of GRDP by GRDP, values per 1,000
    enterprises by enterprises, index scores by population; money totals are summed."""
    ind = fw[fw["level"] == "1"]
    for code, row in ind.iterrows():
        unit, rule = row["unit"], row["merge"]
        if "dân" in unit or "/người" in unit:
            assert rule in {"wmean:population", "popmean"}, code
        elif "GRDP" in unit:
            assert rule == "wmean:grdp", code
        elif "doanh nghiệp" in unit:
            assert rule == "wmean:enterprises", code
        elif unit.startswith(("điểm (", "chỉ số (")):
            assert rule == "popmean", code
        elif unit == "tỷ đồng":
            assert rule == "sum", code
    assert fw.loc["4.2.1", "merge"] == "sum"      # shares of the national GDP add up
    assert fw.loc["2.1.2", "merge"] == "wmean:labour"


def test_rules_from_framework_reads_all_52(fw):
    rules = rules_from_framework(fw.set_index("code", drop=True))
    assert len(rules) == 52 and rules["7.2.4"] == "popmean"


def test_agrees_with_the_reference_list(fw):
    ref = pd.read_csv(REFERENCE, dtype=str, keep_default_na=False).set_index("code")
    ind = fw[fw["level"] == "1"]
    assert list(ind.index) == list(ref.index)
    for code, row in ref.iterrows():
        mine = ind.loc[code]
        assert mine["name_vi"] == row["indicator_vi"]
        assert mine["unit"] == row["unit"]
        assert mine["source"] == row["data_source"]
        assert mine["confidence"] == row["confidence"]
        assert mine["parent"] == row["subpillar_code"]
        assert mine["direction"] == {"+": "1", "-": "-1", "−": "-1"}[row["direction"]]
        assert re.findall(r"https?://\S+", mine["note"]) == re.findall(r"https?://\S+",
                                                                       row["evidence"])
        assert fw.loc[row["subpillar_code"], "name_vi"] == row["subpillar_vi"]
        assert fw.loc[row["pillar_code"], "name_vi"] == row["pillar_vi"]


def test_regenerating_reproduces_the_shipped_file(tmp_path):
    spec = importlib.util.spec_from_file_location("make_framework",
                                                  ROOT / "scripts" / "make_framework.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "pii-2025.csv"
    assert module.main(["make_framework.py", str(REFERENCE), str(out)]) == 0
    assert out.read_bytes() == framework_path().read_bytes()


def test_the_engine_reads_the_shipped_framework():
    from piiplan.engine.framework import load_framework

    fw = load_framework("pii-2025")
    assert len(fw.indicators) == 52 and fw.root == "PII" and fw.levels == 5
    assert len(fw.codes_at(2)) == 18 and len(fw.codes_at(3)) == 7
    assert fw.children("PII") == ["INPUT", "OUTPUT"]
    assert len(rules_from_framework(fw.nodes)) == 52

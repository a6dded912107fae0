"""Reference data as package data and its loaders (`piiplan.reference`)."""

from __future__ import annotations

import ast
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from piiplan import reference
from piiplan.reference import ReferenceDataError

SHARED = Path(__file__).resolve().parents[1] / "fixtures" / "reference"  # copies kept in the repository
SRC = Path(reference.__file__).resolve().parent


def test_34_provinces():
    p = reference.provinces()
    assert len(p) == 34 and p.index.is_unique
    assert (p.index == p["name"]).all()                # code = the Vietnamese name
    assert set(p["kind"]) == {"tỉnh", "thành phố"}
    assert (p["kind"] == "thành phố").sum() == 6
    assert p["region"].nunique() == 6
    assert {"Lạng Sơn", "Hà Nội", "Thành phố Hồ Chí Minh", "Huế"} <= set(p.index)


def test_63_former_provinces_each_map_to_one_of_the_34():
    f = reference.former_provinces()
    assert len(f) == 63 and f.index.is_unique
    assert set(f["successor"]) == set(reference.provinces().index)
    assert reference.successor_map() == f["successor"].to_dict()


def test_formed_from_agrees_with_the_mapping():
    f = reference.former_provinces()
    for code, row in reference.provinces().iterrows():
        parts = {s.strip() for s in row["formed_from"].split(";")}
        assert parts == set(f.index[f["successor"] == code]), code


def test_former_figures_are_plausible_and_labelled_approximate():
    f = reference.former_provinces()
    for col in ("population_2024", "area_km2", "grdp_2024"):
        assert (f[col] > 0).all(), col
    assert 95_000 < f["population_2024"].sum() < 105_000        # thousand people, ~101 million
    assert 325_000 < f["area_km2"].sum() < 335_000              # km², ~331,000
    assert f["population_2024"].idxmax() == "Thành phố Hồ Chí Minh"
    assert f["area_km2"].idxmax() == "Nghệ An"
    assert f["population_2024"].idxmin() == "Bắc Kạn"
    assert f["note"].str.contains("approximate").all()


def test_successor_figures_are_the_sums():
    f = reference.former_provinces()
    p = reference.provinces()
    for col in ("population_2024", "area_km2", "grdp_2024"):
        sums = f.groupby("successor")[col].sum()
        assert p[col].to_dict() == pytest.approx(sums.to_dict()), col
    assert p.loc["Lạng Sơn", "population_2024"] == f.loc["Lạng Sơn", "population_2024"]
    assert p.loc["Phú Thọ", "area_km2"] == pytest.approx(
        f.loc[["Phú Thọ", "Vĩnh Phúc", "Hòa Bình"], "area_km2"].sum())


def test_former_weights_use_the_rule_names():
    w = reference.former_weights()
    assert list(w.columns) == ["population", "area", "grdp"]
    assert w.loc["Lạng Sơn", "population"] == reference.former_provinces().loc[
        "Lạng Sơn", "population_2024"]


def test_lang_son_communes():
    c = reference.communes("Lạng Sơn")
    assert len(c) == 65
    assert list(c.columns) == ["code", "name", "kind"]
    assert c["code"].tolist() == [f"LS-XA-{i:03d}" for i in range(1, 66)]
    assert c["name"].is_unique
    assert set(c["kind"]) == {"xã", "phường"}


def test_lang_son_agencies():
    a = reference.agencies("Lạng Sơn")
    assert list(a.columns) == ["code", "name", "kind", "note"]
    assert a["code"].is_unique and (a["name"] != "").all()
    assert a.set_index("code").loc["SKHCN", "name"] == "Sở Khoa học và Công nghệ"
    assert reference.province_profile("Lạng Sơn")["focal_agency"] in set(a["code"])


def test_shipped_province_data_matches_the_shared_reference():
    shared = pd.read_csv(SHARED / "lang-son" / "communes.csv", dtype=str)
    mine = reference.communes("Lạng Sơn")
    assert mine["name"].tolist() == shared["name"].tolist()
    assert mine["kind"].tolist() == shared["kind"].tolist()
    shared_a = pd.read_csv(SHARED / "lang-son" / "agencies.csv", dtype=str, keep_default_na=False)
    assert reference.agencies("Lạng Sơn").equals(shared_a)
    shared_p = pd.read_csv(SHARED / "pii" / "provinces-2025.csv", dtype=str)
    mine_p = reference.provinces()
    assert mine_p["name"].tolist() == shared_p["name"].tolist()
    assert mine_p["formed_from"].tolist() == shared_p["formed_from"].tolist()
    assert mine_p["region"].tolist() == shared_p["region"].tolist()


def test_province_profile():
    prof = reference.province_profile("Lạng Sơn")
    assert prof["name"] == "Lạng Sơn" and prof["slug"] == "lang-son"
    assert prof["issuer"] == "UBND TỈNH LẠNG SƠN"
    assert prof["issuer_agency"] == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert prof["place"] == "Lạng Sơn"
    assert prof["has_agencies"] and prof["has_communes"]
    # Other provinces get derived defaults.
    hcm = reference.province_profile("Thành phố Hồ Chí Minh")
    assert hcm["issuer"] == "UBND THÀNH PHỐ HỒ CHÍ MINH"
    assert reference.province_profile("Cà Mau")["issuer"] == "UBND TỈNH CÀ MAU"
    assert reference.province_profile("Đà Nẵng")["issuer"] == "UBND THÀNH PHỐ ĐÀ NẴNG"
    assert not reference.province_profile("Cà Mau")["has_communes"]


@pytest.mark.parametrize("spelling", ["Lạng Sơn", "lang-son", "LẠNG SƠN", "  Lạng Sơn ",
                                      unicodedata.normalize("NFD", "Lạng Sơn"), "Tỉnh Lạng Sơn"])
def test_province_can_be_named_by_name_slug_or_any_unicode_form(spelling):
    assert reference.resolve_province(spelling) == "Lạng Sơn"
    assert len(reference.communes(spelling)) == 65


@pytest.mark.parametrize("spelling", ["Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh", "Hồ Chí Minh",
                                      "TP.HCM", "tp-ho-chi-minh"])
def test_other_spellings_of_a_city(spelling):
    assert reference.resolve_province(spelling) == "Thành phố Hồ Chí Minh"
    assert reference.resolve_province("TP. Đà Nẵng") == "Đà Nẵng"


@pytest.mark.parametrize("name, slug", [
    ("Lạng Sơn", "lang-son"), ("Đắk Lắk", "dak-lak"), ("Thành phố Hồ Chí Minh",
                                                       "thanh-pho-ho-chi-minh"),
    ("Bà Rịa - Vũng Tàu", "ba-ria-vung-tau"), ("Khánh Hòa", "khanh-hoa"), ("Huế", "hue"),
])
def test_province_slug(name, slug):
    assert reference.province_slug(name) == slug


def test_slugs_of_the_34_are_unique():
    slugs = [reference.province_slug(c) for c in reference.provinces().index]
    assert len(set(slugs)) == 34


@pytest.mark.parametrize("loader", [reference.agencies, reference.communes,
                                    reference.province_profile])
def test_unknown_province_is_a_vietnamese_error(loader):
    with pytest.raises(ReferenceDataError,
                       match="Không tìm thấy tỉnh/thành phố “Atlantis” trong danh sách 34"):
        loader("Atlantis")


def test_former_province_name_points_to_its_successor():
    with pytest.raises(ReferenceDataError, match="Hà Giang.*tỉnh cũ.*Tuyên Quang"):
        reference.communes("Hà Giang")


def test_province_without_data_folder_is_a_vietnamese_error():
    with pytest.raises(ReferenceDataError, match="Chưa có danh sách xã, phường của Cà Mau"):
        reference.communes("Cà Mau")
    with pytest.raises(ReferenceDataError, match="Chưa có danh sách cơ quan, đơn vị của Cà Mau"):
        reference.agencies("Cà Mau")


def test_framework_path():
    path = reference.framework_path()
    assert path.name == "pii-2025.csv" and path.is_file()
    assert "pii-2025" in reference.available_frameworks()
    with pytest.raises(ReferenceDataError, match="Không có bộ chỉ số “pii-1999”.*pii-2025"):
        reference.framework_path("pii-1999")


def test_loaders_return_copies():
    p = reference.provinces()
    p.loc["Lạng Sơn", "region"] = "?"
    c = reference.communes("Lạng Sơn")
    c.loc[0, "name"] = "?"
    assert reference.provinces().loc["Lạng Sơn", "region"] == "Trung du và miền núi phía Bắc"
    assert reference.communes("Lạng Sơn").loc[0, "name"] == "Tam Thanh"


def _code_strings(path: Path) -> list[str]:
    """String constants of a module, docstrings excluded."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
            and isinstance(n.value, str) and id(n) not in docstrings]


def test_no_province_is_hard_wired_in_the_loaders():
    for path in (SRC / "reference.py", SRC / "engine" / "merger.py"):
        strings = _code_strings(path)
        assert strings, path
        assert not [s for s in strings if re.search(r"Lạng Sơn|lang-son|LS-XA", s)], path

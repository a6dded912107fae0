"""The issuing organisation: one source for every document's issuing body, signer and "Lưu" line."""

from __future__ import annotations

import pytest

from piiplan.reports.organisation import (SIGNER_FORMS, Organisation, defaults, from_dict, sentence_case,
                                          superior_in_text, validate)


def test_defaults_come_from_the_province_file():
    org = defaults("Lạng Sơn")
    assert (org.superior, org.name, org.symbol, org.place) == ("UBND TỈNH LẠNG SƠN", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
                                                               "SKHCN", "Lạng Sơn")
    assert org.superior_in_text == "Ủy ban nhân dân tỉnh Lạng Sơn"
    assert org.body_in_text == "Sở Khoa học và Công nghệ"
    assert defaults("Cao Bằng").superior == "UBND TỈNH CAO BẰNG"


@pytest.mark.parametrize("upper,text", [
    ("UBND TỈNH LẠNG SƠN", "Ủy ban nhân dân tỉnh Lạng Sơn"),
    ("UBND THÀNH PHỐ HÀ NỘI", "Ủy ban nhân dân thành phố Hà Nội"),
    ("UBND THÀNH PHỐ HỒ CHÍ MINH", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
])
def test_superior_in_running_text(upper, text):
    assert superior_in_text(upper) == text


def test_sentence_case_of_a_department():
    assert sentence_case("SỞ KHOA HỌC VÀ CÔNG NGHỆ") == "Sở Khoa học và Công nghệ"
    assert sentence_case("SỞ TÀI CHÍNH") == "Sở Tài chính"


@pytest.mark.parametrize("form,lines", [
    ("KT", ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),
    ("TM", ["TM. SỞ KHOA HỌC VÀ CÔNG NGHỆ", "PHÓ GIÁM ĐỐC"]),
    ("TL", ["TL. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),
    ("Q", ["Q. GIÁM ĐỐC"]),
    ("", ["GIÁM ĐỐC"]),
])
def test_signature_forms(form, lines):
    org = Organisation("Lạng Sơn", "UBND TỈNH LẠNG SƠN", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "SKHCN", "Lạng Sơn",
                       signer_form=form, signer_name="Nguyễn Văn An")
    sig = org.signature()
    assert sig.position == lines and sig.name == "Nguyễn Văn An"
    assert set(SIGNER_FORMS) == {"KT", "TM", "TL", "Q", ""}


def test_archive_line_names_the_drafting_unit():
    org = defaults("Lạng Sơn")
    assert org.archive() == "Lưu: VT, QLKH."
    org.drafting_unit = ""
    assert org.archive() == "Lưu: VT."


def test_validation_messages_are_vietnamese_and_name_the_field():
    good = defaults("Lạng Sơn").as_dict()
    assert validate(good) == {}
    bad = {**good, "name": " ", "symbol": "S KHCN", "signer_form": "XX", "drafting_unit": "Q LKH",
           "province": "Atlantis"}
    errors = validate(bad)
    assert set(errors) == {"name", "symbol", "signer_form", "drafting_unit", "province"}
    assert "không được để trống" in errors["name"] and "không có dấu cách" in errors["symbol"]
    assert "Hình thức ký «XX» không hợp lệ" in errors["signer_form"]
    with pytest.raises(ValueError, match="không được để trống"):
        from_dict(bad)
    assert from_dict({**good, "signer_name": " Trần Thị B "}).signer_name == "Trần Thị B"

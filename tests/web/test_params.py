"""The shared query-parameter readers and the 400 page that shows their Vietnamese message."""

from __future__ import annotations

import pytest
from django.core.exceptions import BadRequest
from django.test import RequestFactory

from piiplan.web import params
from piiplan.web.errors import bad_request


@pytest.mark.parametrize("raw", ["abc", "1e308", "inf", "nan", "%00", "\x00", "x" * 10_000, "<script>", "1.5"])
def test_int_param_refuses_anything_but_a_whole_number(raw):
    request = RequestFactory().get("/", {"nam": raw})
    with pytest.raises(BadRequest) as caught:
        params.year_param(request, "nam")
    assert str(caught.value).startswith("Tham số «năm» không hợp lệ")
    assert len(str(caught.value)) < 200 and "\x00" not in str(caught.value)


def test_int_param_range_default_and_value():
    assert params.year_param(RequestFactory().get("/", {"nam": " 2024 "}), "nam") == 2024
    assert params.year_param(RequestFactory().get("/"), "nam", 2025) == 2025
    for raw in ("0", "99999", "-1"):
        with pytest.raises(BadRequest, match="phải"):
            params.year_param(RequestFactory().get("/", {"nam": raw}), "nam")


@pytest.mark.parametrize("raw", ["abc", "1e308", "inf", "-inf", "nan", "1e13"])
def test_float_param_refuses_non_finite_and_huge_numbers(raw):
    with pytest.raises(BadRequest):
        params.float_param(RequestFactory().get("/", {"v": raw}), "v", label="giá trị")


def test_float_param_reads_a_vietnamese_decimal_comma():
    assert params.float_param(RequestFactory().get("/", {"v": "7,01"}), "v") == pytest.approx(7.01)


def test_bad_request_page_shows_only_our_vietnamese_messages(db):
    request = RequestFactory().get("/")
    shown = bad_request(request, BadRequest("Tham số «năm» không hợp lệ ('abc'): cần một số nguyên."))
    assert shown.status_code == 400 and "Tham số «năm» không hợp lệ" in shown.content.decode()
    hidden = bad_request(request, BadRequest("Invalid HTTP_HOST header"))
    assert "Invalid HTTP_HOST" not in hidden.content.decode() and "Yêu cầu không hợp lệ" in hidden.content.decode()


def test_engine_input_errors_become_a_400_with_the_message(db):
    from piiplan.engine.errors import InputError
    from piiplan.web.errors import InputErrorMiddleware

    middleware = InputErrorMiddleware(lambda request: None)
    request = RequestFactory().get("/du-lieu/kich-ban/", {"v_1.1.1": "1e308"})
    error = InputError("Giá trị mới của Lạng Sơn / 1.1.1 quá lớn (giới hạn ±1e+15); kiểm tra lại đơn vị.")
    response = middleware.process_exception(request, error)
    assert response.status_code == 400 and "1.1.1 quá lớn" in response.content.decode()
    assert middleware.process_exception(request, ValueError("x")) is None


@pytest.mark.parametrize("url", ["/nhat-ky/?action=%00", "/nhat-ky/nhat-ky.csv?user=a%00b", "/xep-hang/?ma=%00"])
def test_a_nul_character_in_the_query_is_a_400_with_a_vietnamese_message(client_for, url):
    response = client_for("dost_admin").get(url)
    assert response.status_code == 400
    assert "ký tự NUL" in response.content.decode()


def test_a_nul_character_in_a_typed_form_value_is_a_400(client_for):
    client = client_for("dost_admin")
    form = client.post("/nhat-ky/", "user=x%00", content_type="application/x-www-form-urlencoded")
    multipart = client.post("/nhat-ky/", {"user": "x\x00"})
    for response in (form, multipart):
        assert response.status_code == 400 and "ký tự NUL" in response.content.decode()


def test_a_nul_character_in_an_api_query_is_a_json_400(client_for):
    response = client_for("dost_staff").get("/du-lieu/api/rankings", {"year": "2025\x00"})
    assert response.status_code == 400 and "ký tự NUL" in response.json()["error"]

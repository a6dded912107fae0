"""Reading numbers from a query string or a URL, one way: a bad value is a 400 with a Vietnamese
message (``BadRequest``, shown by ``piiplan.web.errors.bad_request``), never a 500.

``abc``, ``1e308``, ``inf``, ``nan``, ``%00``, a 10 kB string or a number outside its range all
give "Tham số «năm» không hợp lệ: …".
"""

from __future__ import annotations

import math

from django.core.exceptions import BadRequest

MAX_LENGTH = 40


def _raw(request, name: str) -> str | None:
    value = request.GET.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def _refuse(label: str, value: str, why: str) -> BadRequest:
    shown = value if len(value) <= MAX_LENGTH else value[:MAX_LENGTH] + "…"
    shown = shown.replace("\x00", "")
    return BadRequest(f"Tham số «{label}» không hợp lệ ({shown!r}): {why}.")


def parse_int(value: str, label: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    if len(value) > MAX_LENGTH or not value.lstrip("-").isdigit() or not value.isascii():
        raise _refuse(label, value, "cần một số nguyên")
    number = int(value)
    if minimum is not None and number < minimum:
        raise _refuse(label, value, f"phải từ {minimum} trở lên")
    if maximum is not None and number > maximum:
        raise _refuse(label, value, f"phải nhỏ hơn hoặc bằng {maximum}")
    return number


def int_param(request, name: str, default: int | None = None, *, label: str | None = None,
              minimum: int | None = None, maximum: int | None = None) -> int | None:
    value = _raw(request, name)
    if value is None:
        return default
    return parse_int(value, label or name, minimum=minimum, maximum=maximum)


def year_param(request, name: str = "year", default: int | None = None, *, label: str = "năm") -> int | None:
    return int_param(request, name, default, label=label, minimum=1900, maximum=2200)


def float_param(request, name: str, default: float | None = None, *, label: str | None = None,
                minimum: float | None = None, maximum: float | None = None) -> float | None:
    value = _raw(request, name)
    if value is None:
        return default
    label = label or name
    text = value.replace(",", ".") if value.count(",") == 1 and "." not in value else value
    try:
        if len(text) > MAX_LENGTH:
            raise ValueError
        number = float(text)
    except ValueError:
        raise _refuse(label, value, "cần một số") from None
    if not math.isfinite(number) or abs(number) > 1e12:
        raise _refuse(label, value, "số quá lớn hoặc không xác định")
    if minimum is not None and number < minimum:
        raise _refuse(label, value, f"phải từ {minimum:g} trở lên")
    if maximum is not None and number > maximum:
        raise _refuse(label, value, f"phải nhỏ hơn hoặc bằng {maximum:g}")
    return number


def text_param(request, name: str, default: str = "", *, max_length: int = 200) -> str:
    """A free-text filter value, cut to ``max_length`` and without NUL characters (PostgreSQL refuses them)."""
    value = request.GET.get(name, default)
    return value.replace("\x00", "").strip()[:max_length]

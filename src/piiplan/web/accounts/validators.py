"""Password validators with Vietnamese messages (Django's Vietnamese translation lacks them).

``CommonPasswordValidator`` refuses Django's list of 20 000 common passwords, the Vietnamese list in
``piiplan/data/accounts/common-passwords-vi.txt`` and the demo password (``PIIPLAN_DEMO_PASSWORD``).
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources

from django.contrib.auth import password_validation as pv
from django.core.exceptions import ValidationError

VI_LIST = "data/accounts/common-passwords-vi.txt"


class MinimumLengthValidator(pv.MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                f"Mật khẩu này quá ngắn: cần ít nhất {self.min_length} ký tự.",
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self):
        return f"Mật khẩu cần ít nhất {self.min_length} ký tự."


@lru_cache(maxsize=1)
def vietnamese_common_passwords() -> frozenset[str]:
    text = resources.files("piiplan").joinpath(VI_LIST).read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )


def _normalise(password: str) -> str:
    return password.lower().strip()


class CommonPasswordValidator(pv.CommonPasswordValidator):
    def validate(self, password, user=None):
        word = _normalise(password)
        demo = _normalise(os.environ.get("PIIPLAN_DEMO_PASSWORD", ""))
        if word in self.passwords or word in vietnamese_common_passwords() or (demo and word == demo):
            raise ValidationError(
                "Mật khẩu này quá phổ biến (hoặc là mật khẩu mẫu), dễ bị đoán: hãy chọn mật khẩu khác.",
                code="password_too_common",
            )

    def get_help_text(self):
        return "Mật khẩu không được là mật khẩu phổ biến hay mật khẩu mẫu."


class NumericPasswordValidator(pv.NumericPasswordValidator):
    def validate(self, password, user=None):
        if password.isdigit():
            raise ValidationError("Mật khẩu không được chỉ gồm chữ số.", code="password_entirely_numeric")

    def get_help_text(self):
        return "Mật khẩu không được chỉ gồm chữ số."


class UserAttributeSimilarityValidator(pv.UserAttributeSimilarityValidator):
    DEFAULT_USER_ATTRIBUTES = ("username", "full_name", "email")
    LABELS = {"username": "tên đăng nhập", "full_name": "họ và tên", "email": "thư điện tử"}

    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError as exc:
            field = (exc.params or {}).get("verbose_name", "")
            label = next((vi for attr, vi in self.LABELS.items() if str(field) == _verbose(user, attr)), "thông tin tài khoản")
            raise ValidationError(f"Mật khẩu quá giống {label}: hãy chọn mật khẩu khác.", code="password_too_similar")

    def get_help_text(self):
        return "Mật khẩu không được giống tên đăng nhập, họ tên hay thư điện tử."


def _verbose(user, attr: str) -> str:
    try:
        return str(user._meta.get_field(attr).verbose_name)
    except Exception:  # noqa: BLE001 - an attribute that is not a model field
        return attr

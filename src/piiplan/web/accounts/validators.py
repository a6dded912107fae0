"""Password validators whose messages Django's Vietnamese translation lacks."""

from __future__ import annotations

from django.contrib.auth.password_validation import MinimumLengthValidator as _MinimumLength
from django.core.exceptions import ValidationError


class MinimumLengthValidator(_MinimumLength):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                f"Mật khẩu này quá ngắn: cần ít nhất {self.min_length} ký tự.",
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self):
        return f"Mật khẩu cần ít nhất {self.min_length} ký tự."

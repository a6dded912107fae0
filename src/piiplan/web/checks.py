"""System checks over the environment configuration (run by manage.py and by wsgi.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

TAG = "piiplan"


@register(TAG, Tags.security, deploy=False)
def check_environment(app_configs=None, **kwargs):
    errors = []
    for number, problem in enumerate(getattr(settings, "ENV_PROBLEMS", []), start=1):
        errors.append(
            Error(
                f"Biến môi trường {problem.name} sai: {problem.message_vi}",
                hint="Sửa biến môi trường rồi khởi động lại (xem docs/deployment.md).",
                id=f"piiplan.E{number:03d}",
            )
        )
    if getattr(settings, "SECRET_KEY_MISSING", False):
        errors.append(
            Error(
                "SECRET_KEY chưa được đặt: bắt buộc khi PIIPLAN_ENV=production.",
                hint="Tạo một khoá ngẫu nhiên dài ≥ 50 ký tự, ví dụ: "
                "python -c 'import secrets; print(secrets.token_urlsafe(64))'.",
                id="piiplan.E100",
            )
        )
    limit = getattr(settings, "PIIPLAN_UPLOAD_MAX_BYTES", 0)
    if limit > 512 * 1024 * 1024:
        errors.append(
            Error(
                "PIIPLAN_UPLOAD_MAX_MB quá lớn (tối đa 512).",
                id="piiplan.E101",
            )
        )
    errors.extend(_trusted_proxy_errors())
    return errors


def _trusted_proxy_errors():
    from piiplan.web.client_address import parse_networks

    _, bad = parse_networks(tuple(getattr(settings, "PIIPLAN_TRUSTED_PROXIES", ()) or ()))
    if not bad:
        return []
    return [
        Error(
            f"PIIPLAN_TRUSTED_PROXIES có mục không phải địa chỉ IP hay dải mạng: {', '.join(bad)}.",
            hint="Ví dụ: PIIPLAN_TRUSTED_PROXIES=127.0.0.1,10.0.0.0/24 (xem docs/deployment.md).",
            id="piiplan.E120",
        )
    ]

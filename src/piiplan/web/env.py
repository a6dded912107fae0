"""Small typed readers for environment variables, in the spirit of healthchecks' settings.

Settings must never crash at import on a bad value: a crash there gives an unreadable
traceback. Each reader instead falls back to the safe default and records a problem;
``piiplan.web.checks`` turns the recorded problems into Django system-check errors with a
Vietnamese message, so ``manage.py migrate``/``runserver`` and the WSGI start-up refuse to
run with a bad configuration.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class EnvProblem:
    name: str
    value: str
    message_vi: str


# Filled while settings are read; inspected by the system checks.
PROBLEMS: list[EnvProblem] = []


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str) -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    PROBLEMS.append(
        EnvProblem(name, value, f"{name}={value!r} không hợp lệ: dùng true/false (hoặc 1/0).")
    )
    return default


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        PROBLEMS.append(EnvProblem(name, value, f"{name}={value!r} không phải là số nguyên."))
        return default
    if minimum is not None and number < minimum:
        PROBLEMS.append(
            EnvProblem(name, value, f"{name}={value!r} phải lớn hơn hoặc bằng {minimum}.")
        )
        return default
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _raw(name)
    if value is None:
        return default
    if value not in choices:
        allowed = ", ".join(choices)
        PROBLEMS.append(
            EnvProblem(name, value, f"{name}={value!r} không hợp lệ: chọn một trong {allowed}.")
        )
        return default
    return value


def parse_database_url(url: str) -> dict:
    """Turn ``sqlite:///path`` or ``postgresql://user:pass@host:port/name`` into a DATABASES entry.

    Raises ``ValueError`` with a Vietnamese message on anything else.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///relative.db is relative to the working directory; sqlite:////abs/path absolute.
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if not path:
            raise ValueError("DATABASE_URL sqlite thiếu đường dẫn tệp (ví dụ sqlite:////srv/piiplan/db.sqlite3).")
        return sqlite_database(path)
    if scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ValueError("DATABASE_URL postgresql thiếu tên cơ sở dữ liệu (…/tên_csdl).")
        try:
            port = parts.port
        except ValueError as exc:
            raise ValueError(f"DATABASE_URL có cổng không hợp lệ: {exc}.") from None
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ValueError(
        f"DATABASE_URL có lược đồ không hỗ trợ {scheme or '(trống)'!r}: dùng sqlite:// hoặc postgresql://."
    )


def sqlite_database(path: str) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
            # the start of a transaction so two writers queue instead of failing mid-way.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


def env_database(name: str, default_sqlite_path: str) -> dict:
    value = _raw(name)
    if value is None:
        return sqlite_database(default_sqlite_path)
    try:
        return parse_database_url(value)
    except ValueError as exc:
        PROBLEMS.append(EnvProblem(name, _mask_password(value), str(exc)))
        return sqlite_database(default_sqlite_path)


def _mask_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(parts.password, "***")
    return url

"""Login rate-limiting: at most N failures per (username, IP) in a sliding window.

Settings: ``LOGIN_MAX_FAILURES`` (5) and ``LOGIN_FAILURE_WINDOW_SECONDS`` (15 minutes).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from piiplan.web.accounts.models import LoginFailure


def _key(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def failures(username: str, ip: str | None) -> int:
    return LoginFailure.objects.filter(username=_key(username), ip=ip, at__gte=_window_start()).count()


def is_locked(username: str, ip: str | None) -> bool:
    return failures(username, ip) >= settings.LOGIN_MAX_FAILURES


def minutes_left(username: str, ip: str | None) -> int:
    oldest = (
        LoginFailure.objects.filter(username=_key(username), ip=ip, at__gte=_window_start())
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )
    if oldest is None:
        return 0
    free_at = oldest + timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    seconds = max(0, (free_at - timezone.now()).total_seconds())
    return max(1, int(-(-seconds // 60)))


def register_failure(username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=_key(username), ip=ip, at=timezone.now())
    # Keep the table small: older failures no longer count.
    LoginFailure.objects.filter(at__lt=_window_start()).delete()


def clear(username: str, ip: str | None) -> None:
    LoginFailure.objects.filter(username=_key(username), ip=ip).delete()

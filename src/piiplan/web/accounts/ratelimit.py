"""Login throttling, counted atomically in the database.

Every sign-in attempt first *reserves* one attempt on each of its counters, with a conditional
``UPDATE … SET count = count + 1 WHERE key = ? AND count < limit``; only then is the password checked.
Parallel attempts therefore cannot slip past a limit (the database serialises the UPDATEs on the
row), on SQLite and PostgreSQL alike. A successful sign-in gives its reservation back.

Counters (fixed windows of ``LOGIN_FAILURE_WINDOW_SECONDS``, 15 minutes):

* ``pair:<username>|<address>`` — ``LOGIN_MAX_FAILURES`` (5): guessing one account from one place;
  the lock applies to that address only, so an attacker cannot lock the real user out;
* ``addr:<address>`` — ``LOGIN_MAX_FAILURES_PER_ADDRESS`` (30): password spraying, one address trying
  many usernames;
* ``user:<username>`` — ``LOGIN_MAX_FAILURES_PER_USERNAME`` (100): one account attacked from many
  addresses. It is counted and applied only for addresses the user never signed in from (per the audit
  log), so the real user at their usual computer is never stopped by it.

The address is :func:`piiplan.web.client_address.client_address` (``PIIPLAN_TRUSTED_PROXIES``). The
administrator lifts every lock of a username with :func:`unlock` (the users page).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from piiplan.web.accounts.models import LoginThrottle

KEY_MAX = 255


def _name(username: str) -> str:
    return (username or "").strip().lower()[:150]


def pair_key(username: str, ip: str | None) -> str:
    return f"pair:{_name(username)}|{ip or '-'}"[:KEY_MAX]


def address_key(ip: str | None) -> str:
    return f"addr:{ip or '-'}"


def user_key(username: str) -> str:
    return f"user:{_name(username)}"[:KEY_MAX]


def _window() -> timedelta:
    return timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


@dataclass
class Attempt:
    """The outcome of :func:`begin`: allowed (with the counters reserved) or refused with a wait."""

    allowed: bool
    reserved: list[str] = field(default_factory=list)
    wait_seconds: int = 0
    blocked_by: str = ""

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.wait_seconds / 60))

    @property
    def message_vi(self) -> str:
        where = "từ địa chỉ này " if self.blocked_by.startswith("addr:") else ""
        return (
            f"Đăng nhập sai quá nhiều lần {where}nên tạm thời bị chặn. Vui lòng thử lại sau khoảng "
            f"{self.minutes} phút, hoặc đề nghị quản trị viên mở khoá."
        )


class _Blocked(Exception):
    def __init__(self, key: str):
        self.key = key


def _known_address(username: str, ip: str | None) -> bool:
    """True if the user has signed in from this address before (per the audit log)."""
    if not ip:
        return False
    from piiplan.web.audit.models import AuditEntry

    return AuditEntry.objects.filter(action="login", username__iexact=_name(username), ip=ip).exists()


def counters(username: str, ip: str | None) -> list[tuple[str, int]]:
    keys = [
        (pair_key(username, ip), settings.LOGIN_MAX_FAILURES),
        (address_key(ip), settings.LOGIN_MAX_FAILURES_PER_ADDRESS),
    ]
    if not _known_address(username, ip):
        keys.append((user_key(username), settings.LOGIN_MAX_FAILURES_PER_USERNAME))
    return keys


def _reserve(key: str, limit: int) -> bool:
    """Count one attempt on ``key`` if it is under ``limit``; False when the limit is reached."""
    now = timezone.now()
    rows = LoginThrottle.objects.filter(key=key)
    # A window that has run out starts again with this attempt.
    if rows.filter(window_start__lt=now - _window()).update(count=1, window_start=now):
        return True
    if rows.filter(count__lt=limit).update(count=F("count") + 1):
        return True
    if rows.exists():
        return False
    try:
        with transaction.atomic():
            LoginThrottle.objects.create(key=key, count=1, window_start=now)
        return True
    except IntegrityError:  # another attempt created it meanwhile: count on that row
        return bool(rows.filter(count__lt=limit).update(count=F("count") + 1))


def begin(username: str, ip: str | None) -> Attempt:
    """Reserve one attempt on every counter of (username, ip), or refuse if any is full (then none is used)."""
    reserved: list[str] = []
    try:
        with transaction.atomic():
            for key, limit in counters(username, ip):
                if not _reserve(key, limit):
                    raise _Blocked(key)
                reserved.append(key)
    except _Blocked as blocked:
        return Attempt(False, wait_seconds=wait_seconds(blocked.key), blocked_by=blocked.key)
    return Attempt(True, reserved=reserved)


def succeeded(attempt: Attempt, username: str, ip: str | None) -> None:
    """The password was right: forget this pair's failures and give back the shared reservations."""
    LoginThrottle.objects.filter(key=pair_key(username, ip)).delete()
    shared = [key for key in attempt.reserved if not key.startswith("pair:")]
    LoginThrottle.objects.filter(key__in=shared, count__gt=0).update(count=F("count") - 1)


def failed() -> None:
    """The password was wrong (already counted by :func:`begin`): drop counters whose window ran out."""
    LoginThrottle.objects.filter(window_start__lt=timezone.now() - 2 * _window()).delete()


def wait_seconds(key: str) -> int:
    row = LoginThrottle.objects.filter(key=key).first()
    if row is None:
        return 0
    left = (row.window_start + _window() - timezone.now()).total_seconds()
    return max(0, math.ceil(left))


def _live() -> Q:
    return Q(window_start__gte=timezone.now() - _window())


def failures(username: str, ip: str | None) -> int:
    row = LoginThrottle.objects.filter(_live(), key=pair_key(username, ip)).first()
    return row.count if row else 0


def is_locked(username: str, ip: str | None) -> bool:
    """True if an attempt of ``username`` from ``ip`` would be refused now (nothing is counted)."""
    for key, limit in counters(username, ip):
        row = LoginThrottle.objects.filter(_live(), key=key).first()
        if row is not None and row.count >= limit:
            return True
    return False


def locked_usernames() -> set[str]:
    """Usernames (lower case) with a full counter now: shown on the users page with an unlock button."""
    names: set[str] = set()
    rows = LoginThrottle.objects.filter(_live()).filter(Q(key__startswith="pair:") | Q(key__startswith="user:"))
    for key, count in rows.values_list("key", "count"):
        if key.startswith("pair:") and count >= settings.LOGIN_MAX_FAILURES:
            names.add(key[5:].rsplit("|", 1)[0])
        elif key.startswith("user:") and count >= settings.LOGIN_MAX_FAILURES_PER_USERNAME:
            names.add(key[5:])
    return names


def unlock(username: str) -> int:
    """Lift every lock on ``username`` (all addresses). Returns how many counters were removed."""
    name = _name(username)
    deleted, _ = LoginThrottle.objects.filter(Q(key__startswith=f"pair:{name}|") | Q(key=user_key(name))).delete()
    return deleted

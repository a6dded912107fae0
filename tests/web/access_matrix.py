"""The role × view matrix: the expected outcome of every URL name for every role.

Add one row per URL name when you add a view; ``test_access_matrix.py`` fails for any URL
name of the project missing here (or listed here but gone). Outcomes:

* ``OK`` (200), ``FORBIDDEN`` (403), ``HIDDEN`` (404: the object is outside the role's scope),
  ``NOT_ALLOWED`` (405, wrong method);
* ``LOGIN``: redirect to the login page (anonymous visitor on a members' page);
* ``REDIRECT``: any other redirect (a form that succeeded, an already signed-in visitor).

``kwargs(p)`` gets the personas (tests/conftest.py) and returns the URL arguments; ``data(p)``
gives the POST body. Each (URL, role) cell runs in its own rolled-back transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

OK, FORBIDDEN, HIDDEN, NOT_ALLOWED = 200, 403, 404, 405
LOGIN, REDIRECT = "login", "redirect"

ROLES = ("dost_admin", "dost_staff", "agency", "leader", "anonymous")


def outcomes(dost_admin, dost_staff, agency, leader, anonymous) -> dict[str, Any]:
    return {
        "dost_admin": dost_admin,
        "dost_staff": dost_staff,
        "agency": agency,
        "leader": leader,
        "anonymous": anonymous,
    }


# The usual shapes, named after the policies of accounts/access.py.
PUBLIC = outcomes(OK, OK, OK, OK, OK)
MEMBER = outcomes(OK, OK, OK, OK, LOGIN)
STAFF = outcomes(OK, OK, FORBIDDEN, FORBIDDEN, LOGIN)
STAFF_OR_LEADER = outcomes(OK, OK, FORBIDDEN, OK, LOGIN)
ADMIN = outcomes(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN)
ADMIN_POST = outcomes(REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN)


@dataclass(frozen=True)
class Row:
    expect: dict[str, Any]
    method: str = "get"
    kwargs: Callable[[Any], dict] | None = None
    data: Callable[[Any], dict] | None = field(default=None)


MATRIX: dict[str, Row] = {
    # pages
    "pages:home": Row(PUBLIC),
    "pages:ranking": Row(PUBLIC),
    "pages:profile": Row(PUBLIC),
    "pages:indicators": Row(PUBLIC),
    "pages:indicator": Row(PUBLIC, kwargs=lambda p: {"code": "1.2.1"}),
    "pages:uncertainty": Row(PUBLIC),
    # accounts
    "accounts:login": Row(outcomes(REDIRECT, REDIRECT, REDIRECT, REDIRECT, OK)),
    "accounts:logout": Row(outcomes(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT), method="post"),
    "accounts:password_change": Row(MEMBER),
    "accounts:users": Row(ADMIN),
    "accounts:user_create": Row(ADMIN),
    "accounts:user_deactivate": Row(ADMIN_POST, method="post", kwargs=lambda p: {"pk": p.leader.pk}),
    "accounts:user_activate": Row(ADMIN_POST, method="post", kwargs=lambda p: {"pk": p.leader.pk}),
    # audit
    "audit:log": Row(STAFF),
}

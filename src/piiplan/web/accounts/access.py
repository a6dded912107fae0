"""The one place that decides who may see or change what.

Every view is wrapped in :func:`access` (the role check) and fetches any object through
:func:`get_object_for_user` or :func:`visible_to` (the object scope), in the manner of
healthchecks' ``_get_check_for_user``. The outcomes are:

* allowed → the view runs;
* anonymous visitor on a members' page → redirect to the login page;
* signed-in user whose role may not use the page → 403;
* an object outside the user's scope (another agency's task, an unpublished record seen by
  the public) → 404, so its existence is not revealed.

Policies (names usable in ``@access(...)``):

=========  ==========================================================
``public``  everyone, signed in or not (published results)
``member``  any signed-in role: DoST admin, DoST staff, agency, leader
``staff``   DoST admin and DoST staff
``admin``   DoST admin only
``agency``  agency focal points
``leader``  leaders (read-only)
=========  ==========================================================

Models opt into object scoping with class attributes:

* ``AGENCY_SCOPE``: tuple of lookups from the model to ``Agency`` (e.g.
  ``("lead_agency", "coordinating_agencies")``); an agency user sees rows matching any of them.
  Without it an agency user sees no rows of the model.
* ``AGENCY_WRITE_SCOPE``: the lookups an agency user may change (defaults to ``AGENCY_SCOPE``).
* ``PUBLIC_FILTER``: a dict filter of the rows the public may see (e.g. ``{"published": True}``);
  without it the public sees none.
* or a classmethod ``access_scope(cls, queryset, user, role, write)`` for anything finer.
"""

from __future__ import annotations

import functools
from typing import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from piiplan.web.accounts.models import ANONYMOUS, Role

ALL_ROLES = (Role.DOST_ADMIN, Role.DOST_STAFF, Role.AGENCY, Role.LEADER)

POLICIES: dict[str, frozenset[str]] = {
    "public": frozenset({*ALL_ROLES, ANONYMOUS}),
    "member": frozenset(ALL_ROLES),
    "staff": frozenset({Role.DOST_ADMIN, Role.DOST_STAFF}),
    "admin": frozenset({Role.DOST_ADMIN}),
    "agency": frozenset({Role.AGENCY}),
    "leader": frozenset({Role.LEADER}),
}

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Roles that may see every row of every model (reading); leaders never write.
SEE_ALL = frozenset({Role.DOST_ADMIN, Role.DOST_STAFF, Role.LEADER})
WRITE_ALL = frozenset({Role.DOST_ADMIN, Role.DOST_STAFF})


def user_role(user) -> str:
    """The user's role, or ``"anonymous"`` for visitors and deactivated accounts."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    return str(user.role)


def roles_for(*policies: str) -> frozenset[str]:
    roles: set[str] = set()
    for name in policies:
        if name not in POLICIES:
            raise ValueError(f"unknown access policy {name!r}; known: {', '.join(POLICIES)}")
        roles |= POLICIES[name]
    return frozenset(roles)


def allows(user, *policies: str) -> bool:
    return user_role(user) in roles_for(*policies)


def can_write(user) -> bool:
    """True for roles that may change anything at all (everyone signed in except leaders)."""
    return user_role(user) in (Role.DOST_ADMIN, Role.DOST_STAFF, Role.AGENCY)


def access(*policies: str, write: tuple[str, ...] | str | None = None) -> Callable:
    """Decorate a view with who may use it.

    ``@access("member", write="staff")``: any signed-in role may GET; only DoST staff may POST.
    ``write`` defaults to the same policies as reading.
    """
    if not policies:
        raise ValueError("access() needs at least one policy")
    read_roles = roles_for(*policies)
    if isinstance(write, str):
        write = (write,)
    write_roles = roles_for(*write) if write else read_roles

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            roles = read_roles if request.method in SAFE_METHODS else write_roles
            role = user_role(request.user)
            if role in roles:
                return view(request, *args, **kwargs)
            if role == ANONYMOUS:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            raise PermissionDenied("Vai trò của bạn không được phép dùng trang này.")

        # Read by the role × view matrix test: every view must carry a policy.
        wrapper.access_policies = tuple(policies)
        wrapper.access_write_policies = tuple(write) if write else tuple(policies)
        return wrapper

    return decorator


def visible_to(user, model_or_queryset: type[Model] | QuerySet, *, write: bool = False) -> QuerySet:
    """The rows of a model that ``user`` may see (or change, with ``write=True``).

    A leader asking to write gets ``PermissionDenied``: leaders may know a record exists.
    """
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, QuerySet)
        else model_or_queryset._default_manager.all()
    )
    model = queryset.model
    role = user_role(user)

    hook = getattr(model, "access_scope", None)
    if hook is not None:
        return hook(queryset, user, role, write)

    if write:
        if role in WRITE_ALL:
            return queryset
        if role == Role.LEADER:
            raise PermissionDenied("Lãnh đạo chỉ được xem, không được thay đổi.")
        if role == Role.AGENCY:
            lookups = getattr(model, "AGENCY_WRITE_SCOPE", None) or getattr(model, "AGENCY_SCOPE", ())
            return _agency_filter(queryset, lookups, user)
        return queryset.none()

    if role in SEE_ALL:
        return queryset
    if role == Role.AGENCY:
        return _agency_filter(queryset, getattr(model, "AGENCY_SCOPE", ()), user)
    public = getattr(model, "PUBLIC_FILTER", None)
    return queryset.filter(**public) if public else queryset.none()


def _agency_filter(queryset: QuerySet, lookups, user) -> QuerySet:
    if not lookups or user.agency_id is None:
        return queryset.none()
    condition = Q()
    for lookup in lookups:
        condition |= Q(**{lookup: user.agency_id})
    # distinct(): a many-to-many lookup could otherwise repeat a row.
    return queryset.filter(condition).distinct()


def get_object_for_user(request, model_or_queryset, *, write: bool = False, **lookup):
    """``get_object_or_404`` within what the request's user may see (or change).

    Objects outside the scope give 404, as if they did not exist.
    """
    return get_object_or_404(visible_to(request.user, model_or_queryset, write=write), **lookup)

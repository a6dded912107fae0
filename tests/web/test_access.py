"""The access helper (accounts/access.py): role policies and object scopes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from piiplan.web.accounts.access import access, allows, can_write, get_object_for_user, roles_for, visible_to
from piiplan.web.accounts.models import Agency


def request_as(user, method="get"):
    request = getattr(RequestFactory(), method)("/x/")
    request.user = user if user is not None else AnonymousUser()
    return request


@access("member", write="staff")
def sample_view(request):
    return HttpResponse("ok")


@pytest.mark.parametrize(
    "role, get_outcome, post_outcome",
    [
        ("dost_admin", 200, 200),
        ("dost_staff", 200, 200),
        ("agency", 200, 403),
        ("leader", 200, 403),
        ("anonymous", 302, 302),
    ],
)
def test_read_and_write_policies(personas, role, get_outcome, post_outcome):
    user = personas.by_role[role]
    for method, expected in (("get", get_outcome), ("post", post_outcome)):
        try:
            status = sample_view(request_as(user, method)).status_code
        except PermissionDenied:
            status = 403
        assert status == expected, (role, method)


def test_decorator_records_its_policies_and_rejects_unknown_names():
    assert sample_view.access_policies == ("member",)
    assert sample_view.access_write_policies == ("staff",)
    with pytest.raises(ValueError, match="unknown access policy"):
        access("everyone")
    with pytest.raises(ValueError):
        access()


def test_deactivated_user_counts_as_anonymous(personas):
    personas.staff.is_active = False
    assert not allows(personas.staff, "member")
    assert allows(personas.staff, "public")
    assert not can_write(personas.staff)


def test_policy_roles():
    assert roles_for("staff") == {"dost_admin", "dost_staff"}
    assert roles_for("agency", "leader") == {"agency", "leader"}
    assert "anonymous" in roles_for("public") and "anonymous" not in roles_for("member")


def test_agency_user_sees_only_its_own_agency(personas):
    assert list(visible_to(personas.agency, Agency)) == [personas.agency_a]
    assert list(visible_to(personas.other_agency, Agency)) == [personas.agency_b]
    assert set(visible_to(personas.staff, Agency)) == {personas.agency_a, personas.agency_b}
    assert set(visible_to(personas.leader, Agency)) == {personas.agency_a, personas.agency_b}


def test_other_agencys_object_is_hidden_as_404(personas):
    request = request_as(personas.agency)
    assert get_object_for_user(request, Agency, pk=personas.agency_a.pk) == personas.agency_a
    with pytest.raises(Http404):
        get_object_for_user(request, Agency, pk=personas.agency_b.pk)
    with pytest.raises(Http404):
        get_object_for_user(request, Agency, write=True, pk=personas.agency_b.pk)


def test_leader_may_read_but_never_write(personas):
    request = request_as(personas.leader)
    assert get_object_for_user(request, Agency, pk=personas.agency_b.pk) == personas.agency_b
    with pytest.raises(PermissionDenied):
        get_object_for_user(request, Agency, write=True, pk=personas.agency_b.pk)


def test_public_sees_only_what_the_model_publishes(personas):
    personas.agency_b.active = False
    personas.agency_b.save()
    anonymous = AnonymousUser()
    assert list(visible_to(anonymous, Agency)) == [personas.agency_a]  # PUBLIC_FILTER active=True
    assert list(visible_to(anonymous, Agency, write=True)) == []


def test_model_without_scope_is_invisible_to_agencies_and_public(personas):
    from piiplan.web.audit.models import AuditEntry

    AuditEntry.objects.create(action="x")
    assert visible_to(personas.agency, AuditEntry).count() == 0
    assert visible_to(AnonymousUser(), AuditEntry).count() == 0
    assert visible_to(personas.staff, AuditEntry).count() == 1


def test_soft_deleted_rows_are_out_of_every_scope(personas):
    personas.agency_a.soft_delete(user=personas.admin)
    assert list(visible_to(personas.agency, Agency)) == []
    assert list(visible_to(personas.staff, Agency)) == [personas.agency_b]

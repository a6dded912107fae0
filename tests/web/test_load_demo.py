"""manage.py load_demo: agencies of the province, one user per role, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from piiplan import reference
from piiplan.web.accounts.models import Agency, AgencyKind, Role, User


def load(**options) -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_loads_the_province_agencies_and_communes(db, fast_hasher):
    load(password="demo-pass-2026")
    expected = len(reference.agencies("Lạng Sơn")) + len(reference.communes("Lạng Sơn"))
    assert Agency.objects.count() == expected
    assert Agency.objects.get(code="STC").kind == AgencyKind.DEPARTMENT
    assert Agency.objects.get(code="LS-XA-001").name == "Phường Tam Thanh"
    assert Agency.objects.filter(kind=AgencyKind.COMMUNE).count() == len(reference.communes("Lạng Sơn"))


def test_one_user_per_role_with_the_printed_password(db, fast_hasher):
    out = load(password="demo-pass-2026")
    # the printed demo logins: one per role. The plan's demo reports are made by focal points of their own
    # agencies ("daumoi-<code>"), created without a usable password so that nobody can sign in as them.
    logins = [u for u in User.objects.all() if u.has_usable_password()]
    assert sorted(u.role for u in logins) == sorted(r.value for r in Role)
    assert all(u.role == Role.AGENCY and u.username.startswith("daumoi-")
               for u in User.objects.all() if not u.has_usable_password())
    for user in logins:
        assert f"{user.username} / demo-pass-2026" in out
        client = Client()
        response = client.post(reverse("accounts:login"), {"username": user.username, "password": "demo-pass-2026"})
        assert response.status_code == 302, user.username
    assert User.objects.get(username="daumoi").agency.code == "STC"


def test_running_twice_changes_nothing_but_the_password(db, fast_hasher):
    load(password="first-pass-2026")
    counts = (Agency.objects.count(), User.objects.count())
    load(password="second-pass-2026")
    assert (Agency.objects.count(), User.objects.count()) == counts
    assert User.objects.get(username="canbo").check_password("second-pass-2026")


def test_steps_are_listed_and_filtered(db, fast_hasher):
    listing = load(list_steps=True)
    assert "accounts.agencies" in listing and "accounts.users" in listing
    with pytest.raises(CommandError, match="Không có bước"):
        load(only=["khong-co"])


def test_refuses_to_run_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="PIIPLAN_ENV=production"):
        load()


def test_falls_back_to_one_agency_when_the_province_has_no_list(db, fast_hasher, settings):
    settings.PIIPLAN_PROVINCE = "Tỉnh Không Có"
    out = load(password="demo-pass-2026")
    assert "Chưa có danh sách cơ quan" in out
    assert list(Agency.objects.values_list("code", flat=True)) == ["SKHCN"]
    assert User.objects.get(role=Role.AGENCY).agency.code == "SKHCN"

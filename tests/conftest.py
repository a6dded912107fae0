"""Fixtures shared by the whole suite.

Django is configured by pytest-django (``DJANGO_SETTINGS_MODULE`` in pyproject.toml), but
nothing here imports Django at module level: engine and analysis tests never touch it.

Personas (as healthchecks' ``BaseTestCase``): two agencies and one user per role, plus a
second agency focal point for "another agency" checks. Use ``personas`` in any web or plan
test, and ``client_for(role)`` for a client signed in as that persona.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

# The package under test is this tree's ``src`` (pyproject's ``pythonpath``), and so it is for every
# subprocess a test starts (manage.py, ``python -c``): several checkouts share one site-packages on a
# machine (the work tree, CI clones), and the editable install follows whichever ran ``pip install -e``
# last — a run that imported another tree's code failed at random (the role × view matrix meeting URL
# names its own tree did not list yet).
SRC = Path(__file__).resolve().parents[1] / "src"
os.environ["PYTHONPATH"] = os.pathsep.join([str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])])

# Hypothesis: no per-example deadline anywhere (a loaded 2-core machine makes timings meaningless), and in
# CI (CI=true) a derandomised run, so the suite passes or fails the same way every time.
from hypothesis import HealthCheck, settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True,
                                     suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes")
                                             else "dev"))

ROLES = ("dost_admin", "dost_staff", "agency", "leader", "anonymous")
PASSWORD = "mat-khau-thu-nghiem-2026"
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"

_DB_FIXTURES = {"db", "transactional_db", "live_server", "personas", "django_db_setup"}


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` run only on PostgreSQL (scripts/test.sh's second run)."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://")):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: DATABASE_URL=postgresql://… (scripts/test.sh)")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated_media(request, tmp_path_factory):
    """Uploaded files of database tests go to a temporary folder, never to var/media."""
    if _DB_FIXTURES.isdisjoint(request.fixturenames) and request.node.get_closest_marker("django_db") is None:
        yield
        return
    settings = request.getfixturevalue("settings")
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    yield


def make_personas() -> SimpleNamespace:
    from piiplan.web.accounts.models import Agency, AgencyKind, Role, User

    agency_a = Agency.objects.create(code="TEST-SO", name="Sở Thử nghiệm", kind=AgencyKind.DEPARTMENT)
    agency_b = Agency.objects.create(code="TEST-XA", name="Xã Thử nghiệm", kind=AgencyKind.COMMUNE)

    def user(username, role, agency=None, full_name=""):
        return User.objects.create_user(
            username=username, password=PASSWORD, role=role, agency=agency, full_name=full_name or username
        )

    p = SimpleNamespace(
        agency_a=agency_a,
        agency_b=agency_b,
        admin=user("admin", Role.DOST_ADMIN, full_name="Quản trị viên"),
        staff=user("staff", Role.DOST_STAFF, full_name="Cán bộ Sở"),
        agency=user("agency", Role.AGENCY, agency_a, full_name="Đầu mối Sở Thử nghiệm"),
        other_agency=user("agency_b", Role.AGENCY, agency_b, full_name="Đầu mối Xã Thử nghiệm"),
        leader=user("leader", Role.LEADER, full_name="Lãnh đạo tỉnh"),
        password=PASSWORD,
    )
    p.by_role = {
        "dost_admin": p.admin,
        "dost_staff": p.staff,
        "agency": p.agency,
        "leader": p.leader,
        "anonymous": None,
    }
    return p


@pytest.fixture
def immediate_tasks(settings):
    """Background tasks (django-tasks) run at once, inside the request that enqueues them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def personas(db, settings):
    """Two agencies (A: a department, B: a commune) and one user per role (see module doc)."""
    # Argon2 is the production hasher (tested in tests/web/test_settings.py); tests use a fast one.
    settings.PASSWORD_HASHERS = [FAST_HASHER]
    return make_personas()


@pytest.fixture
def client_for(personas):
    """``client_for("agency")`` → a django.test.Client signed in as that persona
    (``"anonymous"`` → a client not signed in; a User instance also works)."""
    from django.test import Client

    def make(role_or_user):
        client = Client()
        user = personas.by_role[role_or_user] if isinstance(role_or_user, str) else role_or_user
        if user is not None:
            client.force_login(user)
        return client

    return make

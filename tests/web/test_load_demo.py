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


def test_running_twice_changes_nothing(db, fast_hasher):
    load(password="first-pass-2026")
    counts = (Agency.objects.count(), User.objects.count())
    out = load(password="second-pass-2026")
    assert (Agency.objects.count(), User.objects.count()) == counts
    # The existing accounts keep their password; the second run prints none.
    assert User.objects.get(username="canbo").check_password("first-pass-2026")
    assert "second-pass-2026" not in out and "first-pass-2026" not in out
    assert "giữ nguyên" in out and "quantri" in out


def test_the_password_is_generated_per_installation_unless_set(db, fast_hasher, monkeypatch):
    monkeypatch.delenv("PIIPLAN_DEMO_PASSWORD", raising=False)
    out = load()
    printed = {line.split(" / ")[1].strip() for line in out.splitlines() if " / " in line}
    assert len(printed) == 1
    password = printed.pop()
    assert len(password) >= 16 and password != "piiplan-demo-2026"
    assert User.objects.get(username="quantri").check_password(password)
    # Stored nowhere in clear: only the hash is in the database.
    assert password not in User.objects.get(username="quantri").password
    # Another installation gets another password.
    User.objects.all().delete()
    out2 = load()
    assert password not in out2 and " / " in out2
    monkeypatch.setenv("PIIPLAN_DEMO_PASSWORD", "dat-boi-quan-tri-2026")
    User.objects.all().delete()
    load()
    assert User.objects.get(username="lanhdao").check_password("dat-boi-quan-tri-2026")


def test_a_restart_keeps_what_people_changed(db, fast_hasher):
    """Issue 13: a restart after a password change, a locked account, a plan edit and a new task keeps all."""
    from piiplan.web.plan.models import ExemplaryModel, Plan, ReportingPeriod, Task

    load(password="first-pass-2026")
    admin = User.objects.get(username="quantri")
    admin.set_password("Mat-khau-rieng-cua-quan-tri")
    admin.save()
    leader = User.objects.get(username="lanhdao")
    leader.is_active = False
    leader.save()
    staff = User.objects.get(username="canbo")
    staff.role, staff.full_name = Role.LEADER, "Nguyễn Văn Bình"
    staff.save()
    agency = Agency.objects.get(code="STC")
    agency.name, agency.active = "Sở Tài chính (đổi tên)", False
    agency.save()
    plan = Plan.objects.get(is_sample=True)
    plan.title = "Kế hoạch PII 2026 của tỉnh (đã sửa)"
    plan.save()
    task = Task.objects.filter(plan=plan).order_by("number").first()
    task.content = "Nhiệm vụ đã sửa tay"
    task.save()
    added = Task.objects.create(plan=plan, number=999, content="Nhiệm vụ cán bộ thêm", lead_agency=task.lead_agency)
    period = ReportingPeriod.objects.filter(plan=plan).first()
    period.title = "Kỳ đã đổi tên"
    period.save()
    model = ExemplaryModel.objects.first()
    model.status = "proposed"
    model.save()
    from piiplan.web.indexdata.models import DatasetVersion

    dataset = DatasetVersion.objects.get(synthetic=True)
    DatasetVersion.objects.filter(pk=dataset.pk).update(name="Dữ liệu mẫu (đã đổi tên)", published=False)
    datasets = DatasetVersion.all_objects.count()
    counts = (Plan.all_objects.count(), Task.all_objects.count(), ReportingPeriod.objects.count(),
              ExemplaryModel.objects.count(), Agency.all_objects.count(), User.objects.count())

    out = load(password="second-pass-2026")

    assert " / " not in out  # no password printed: no account was created
    admin.refresh_from_db(), leader.refresh_from_db(), staff.refresh_from_db(), agency.refresh_from_db()
    assert admin.check_password("Mat-khau-rieng-cua-quan-tri") and not admin.check_password("second-pass-2026")
    assert not leader.is_active
    assert (staff.role, staff.full_name) == (Role.LEADER, "Nguyễn Văn Bình")
    assert (agency.name, agency.active) == ("Sở Tài chính (đổi tên)", False)
    assert Plan.all_objects.get().title == "Kế hoạch PII 2026 của tỉnh (đã sửa)"  # no second plan
    assert Task.all_objects.get(pk=task.pk).content == "Nhiệm vụ đã sửa tay"
    assert Task.objects.filter(pk=added.pk, deleted_at__isnull=True).exists()
    assert ReportingPeriod.objects.get(pk=period.pk).title == "Kỳ đã đổi tên"
    assert ExemplaryModel.objects.get(pk=model.pk).status == "proposed"
    assert DatasetVersion.all_objects.count() == datasets
    assert DatasetVersion.objects.filter(pk=dataset.pk, name="Dữ liệu mẫu (đã đổi tên)", published=False).exists()
    assert (Plan.all_objects.count(), Task.all_objects.count(), ReportingPeriod.objects.count(),
            ExemplaryModel.objects.count(), Agency.all_objects.count(), User.objects.count()) == counts


def test_only_missing_demo_users_are_created(db, fast_hasher):
    load(password="first-pass-2026")
    User.objects.filter(username="lanhdao").delete()
    out = load(password="second-pass-2026")
    assert "lanhdao / second-pass-2026" in out and "canbo /" not in out
    assert User.objects.get(username="lanhdao").check_password("second-pass-2026")
    assert User.objects.get(username="canbo").check_password("first-pass-2026")


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

"""The administrator's agencies pages: add, rename, retire/restore, merge (version-checked, audited)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from piiplan.web.accounts.models import Agency, AgencyKind, Role, User
from piiplan.web.audit.models import AuditEntry


def form_data(agency, **overrides):
    data = {"code": agency.code, "name": agency.name, "kind": agency.kind, "email": agency.email,
            "note": agency.note, "version": agency.version}
    data.update(overrides)
    return data


def edit_url(agency):
    return reverse("accounts:agency_edit", args=[agency.pk])


def snapshot(agency):
    fresh = Agency.all_objects.get(pk=agency.pk)
    return (fresh.code, fresh.name, fresh.kind, fresh.email, fresh.active, fresh.merged_into_id, fresh.version)


def test_the_list_shows_agencies_with_their_focal_points(personas, client_for):
    page = client_for("dost_admin").get(reverse("accounts:agencies")).content.decode()
    assert 'data-code="TEST-SO"' in page and 'data-code="TEST-XA"' in page
    detail = client_for("dost_admin").get(edit_url(personas.agency_a)).content.decode()
    assert "Đầu mối Sở Thử nghiệm" in detail and "Tạo tài khoản đầu mối" in detail


def test_admin_adds_an_agency(personas, client_for):
    response = client_for("dost_admin").post(reverse("accounts:agency_create"), {
        "code": "SCT", "name": "Sở  Công   Thương", "kind": AgencyKind.DEPARTMENT, "email": "sct@langson.gov.vn"})
    assert response.status_code == 302
    agency = Agency.objects.get(code="SCT")
    assert agency.name == "Sở Công Thương" and agency.email == "sct@langson.gov.vn"
    assert AuditEntry.objects.get(action="agency_create").after["name"] == "Sở Công Thương"


@pytest.mark.parametrize("overrides, message", [
    ({"name": "  "}, "Hãy nhập tên cơ quan, đơn vị."),
    ({"code": "test-xa"}, "Mã này đã có cơ quan khác dùng."),
    ({"name": "xã thử nghiệm"}, "Đã có một cơ quan đang hoạt động mang tên này."),
    ({"kind": "bo"}, "Lựa chọn không hợp lệ"),
    ({"email": "khong-phai-thu"}, "Địa chỉ thư điện tử không hợp lệ."),
])
def test_bad_agency_input_changes_nothing(personas, client_for, overrides, message):
    before = snapshot(personas.agency_a)
    response = client_for("dost_admin").post(edit_url(personas.agency_a), form_data(personas.agency_a, **overrides))
    assert response.status_code == 400 and message in response.content.decode()
    assert snapshot(personas.agency_a) == before
    assert not AuditEntry.objects.filter(action="agency_update").exists()


def test_rename_change_kind_and_email_are_audited_and_version_checked(personas, client_for):
    client = client_for("dost_admin")
    agency = personas.agency_a
    stale = form_data(agency, name="Tên cũ hơn")
    response = client.post(edit_url(agency), form_data(agency, name="Sở Thử nghiệm và Đổi mới", kind=AgencyKind.OTHER,
                                                       email="thu@langson.gov.vn"))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="agency_update")
    assert entry.before["name"] == "Sở Thử nghiệm" and entry.after["name"] == "Sở Thử nghiệm và Đổi mới"
    assert entry.after["email"] == "thu@langson.gov.vn" and entry.after["kind"] == AgencyKind.OTHER
    conflict = client.post(edit_url(agency), stale)
    assert conflict.status_code == 409 and "Cơ quan, đơn vị này vừa được" in conflict.content.decode()
    assert Agency.objects.get(pk=agency.pk).name == "Sở Thử nghiệm và Đổi mới"


def test_retire_needs_no_active_focal_point_and_restore_brings_it_back(personas, client_for):
    client = client_for("dost_admin")
    agency = personas.agency_b
    response = client.post(reverse("accounts:agency_retire", args=[agency.pk]), {"version": agency.version}, follow=True)
    assert "còn tài khoản đầu mối đang hoạt động" in response.content.decode()
    assert Agency.objects.get(pk=agency.pk).active
    personas.other_agency.is_active = False
    personas.other_agency.save()
    client.post(reverse("accounts:agency_retire", args=[agency.pk]), {"version": agency.version})
    assert not Agency.all_objects.get(pk=agency.pk).active
    assert 'data-code="TEST-XA"' not in client.get(reverse("accounts:agencies")).content.decode()
    assert 'data-code="TEST-XA"' in client.get(reverse("accounts:agencies"), {"trang-thai": "ngung"}).content.decode()
    stale = client.post(reverse("accounts:agency_restore", args=[agency.pk]), {"version": agency.version}, follow=True)
    assert "Cơ quan, đơn vị này vừa được" in stale.content.decode()
    client.post(reverse("accounts:agency_restore", args=[agency.pk]), {"version": agency.version + 1})
    assert Agency.objects.get(pk=agency.pk).active
    actions = list(AuditEntry.objects.filter(object_id=str(agency.pk), object_type="accounts.agency")
                   .values_list("action", flat=True))
    assert "agency_retire" in actions and "agency_restore" in actions


def test_merge_moves_tasks_reports_models_and_users_and_keeps_history(personas, client_for):
    from tests.plan.world import make_world

    from piiplan.web.plan.models import AgencyReport, ExemplaryModel, ReportingPeriod, Task

    world = make_world(personas)
    # A commune merged into another: C has a task, a coordinated task, a report of another period and a user.
    source = Agency.objects.create(code="TEST-XA2", name="Xã Sáp Nhập", kind=AgencyKind.COMMUNE)
    task = Task.objects.create(plan=world.plan, number=9, content="Nhiệm vụ của xã C", lead_agency=source)
    world.task_a.coordinating_agencies.add(source)
    period = ReportingPeriod.objects.create(plan=world.plan, kind="year", year=world.on.year, title="Báo cáo năm",
                                            cutoff=world.on, agency_deadline=world.on, ubnd_deadline=world.on)
    report = AgencyReport.objects.create(period=period, agency=source)
    focal = User.objects.create_user(username="daumoi-c", password="x", role=Role.AGENCY, agency=source)
    AuditEntry.objects.create(action="agency_update", object_type="accounts.agency", object_id=str(source.pk))
    target = personas.agency_b

    client = client_for("dost_admin")
    response = client.post(reverse("accounts:agency_merge", args=[source.pk]),
                           {"target": target.pk, "version": source.version, "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == edit_url(target)
    assert Task.objects.get(pk=task.pk).lead_agency == target
    assert target in world.task_a.coordinating_agencies.all() and source not in world.task_a.coordinating_agencies.all()
    assert AgencyReport.objects.get(pk=report.pk).agency == target
    assert User.objects.get(pk=focal.pk).agency == target
    retired = Agency.all_objects.get(pk=source.pk)
    assert (retired.active, retired.merged_into) == (False, target)
    entry = AuditEntry.objects.get(action="agency_merge")
    assert entry.object_id == str(source.pk) and "Xã Thử nghiệm" in entry.note
    assert entry.before["active"] is True and entry.after["merged_into"] == target.pk
    # The history stays under the merged agency's id, and its page says where it went.
    assert AuditEntry.objects.filter(object_type="accounts.agency", object_id=str(source.pk)).count() >= 2
    page = client.get(edit_url(retired)).content.decode()
    assert "Đã gộp vào" in page and "Xã Thử nghiệm" in page
    assert "Xã Sáp Nhập" in client.get(edit_url(target)).content.decode()
    assert ExemplaryModel.objects.filter(agency=source).count() == 0


@pytest.mark.parametrize("data, message", [
    (lambda p: {"target": p.agency_b.pk, "version": 1, "confirm": "on"}, "Không thể gộp một cơ quan vào chính nó"),
    (lambda p: {"target": 999999, "version": 1, "confirm": "on"}, "Lựa chọn không hợp lệ"),
    (lambda p: {"target": "abc", "version": 1, "confirm": "on"}, "Lựa chọn không hợp lệ"),
    (lambda p: {"target": p.agency_a.pk, "version": 1}, "Hãy đánh dấu xác nhận"),
    (lambda p: {"target": p.agency_a.pk, "version": 7, "confirm": "on"}, "Cơ quan, đơn vị này vừa được"),
])
def test_bad_merges_change_nothing(personas, client_for, data, message):
    before = (snapshot(personas.agency_a), snapshot(personas.agency_b), personas.other_agency.agency_id)
    response = client_for("dost_admin").post(reverse("accounts:agency_merge", args=[personas.agency_b.pk]),
                                             data(personas))
    assert response.status_code in (400, 409) and message in response.content.decode()
    assert (snapshot(personas.agency_a), snapshot(personas.agency_b),
            User.objects.get(pk=personas.other_agency.pk).agency_id) == before
    assert not AuditEntry.objects.filter(action="agency_merge").exists()


def test_a_merge_that_would_join_two_reports_of_one_period_is_refused_whole(personas, client_for):
    from tests.plan.world import make_world

    from piiplan.web.plan.models import Task

    world = make_world(personas)  # A and B both report for the same period
    response = client_for("dost_admin").post(reverse("accounts:agency_merge", args=[personas.agency_b.pk]),
                                             {"target": personas.agency_a.pk, "version": 1, "confirm": "on"})
    assert response.status_code == 400
    assert "cùng có dữ liệu không thể gộp" in response.content.decode()
    assert Task.objects.get(pk=world.task_b.pk).lead_agency == personas.agency_b  # rolled back
    assert Agency.objects.get(pk=personas.agency_b.pk).active
    assert not AuditEntry.objects.filter(action="agency_merge").exists()


def test_a_merged_agency_cannot_be_restored(personas, client_for):
    client = client_for("dost_admin")
    client.post(reverse("accounts:agency_merge", args=[personas.agency_b.pk]),
                {"target": personas.agency_a.pk, "version": 1, "confirm": "on"})
    merged = Agency.all_objects.get(pk=personas.agency_b.pk)
    response = client.post(reverse("accounts:agency_restore", args=[merged.pk]), {"version": merged.version}, follow=True)
    assert "đã được gộp vào" in response.content.decode()
    assert not Agency.all_objects.get(pk=merged.pk).active


def test_only_the_dost_admin_may_administer(client_for, personas):
    for role in ("dost_staff", "agency", "leader"):
        response = client_for(role).post(reverse("accounts:agency_edit", args=[personas.agency_a.pk]),
                                         form_data(personas.agency_a, name="Bị đổi"))
        assert response.status_code == 403
    assert Agency.objects.get(pk=personas.agency_a.pk).name == "Sở Thử nghiệm"


def test_an_appendix_naming_a_merged_agency_resolves_to_its_successor(personas, client_for):
    from piiplan.web.plan.appendix_sync import AgencyIndex

    client_for("dost_admin").post(reverse("accounts:agency_merge", args=[personas.agency_b.pk]),
                                  {"target": personas.agency_a.pk, "version": 1, "confirm": "on"})
    index = AgencyIndex()
    assert index.find("Xã Thử nghiệm") == personas.agency_a
    assert index.find("TEST-XA") == personas.agency_a
    assert index.find("Sở Thử nghiệm") == personas.agency_a

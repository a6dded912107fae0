"""The audit log (append-only, record()) and the soft-delete pattern; the staff log page."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from piiplan.web import audit
from piiplan.web.accounts.models import Agency
from piiplan.web.audit.log import snapshot
from piiplan.web.audit.models import AppendOnlyError, AuditEntry


def test_record_takes_user_and_ip_from_the_request(personas):
    request = RequestFactory().post("/x/", REMOTE_ADDR="192.168.1.20")
    request.user = personas.staff
    before = snapshot(personas.agency_a)
    personas.agency_a.name = "Sở Thử nghiệm (mới)"
    personas.agency_a.save()
    entry = audit.record(request, "agency_update", personas.agency_a, before=before, after=personas.agency_a)
    entry.refresh_from_db()
    assert (entry.username, entry.user, entry.ip) == ("staff", personas.staff, "192.168.1.20")
    assert (entry.object_type, entry.object_id) == ("accounts.agency", str(personas.agency_a.pk))
    assert entry.before["name"] == "Sở Thử nghiệm" and entry.after["name"] == "Sở Thử nghiệm (mới)"


def test_record_without_request_for_management_commands(db):
    entry = audit.record(None, "send_reminders", object_type="plan.period", object_id=7, note="3 thư")
    assert (entry.user, entry.ip, entry.object_id, entry.note) == (None, None, "7", "3 thư")
    with pytest.raises(ValueError):
        audit.record(None, "")


def test_entries_cannot_be_changed_or_deleted(db):
    entry = audit.record(None, "x")
    entry.action = "y"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="y")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().action == "x"


def test_soft_delete_hides_and_restore_brings_back(personas):
    agency = personas.agency_b
    agency.soft_delete(user=personas.admin, note="nhập nhầm")
    assert not Agency.objects.filter(pk=agency.pk).exists()
    kept = Agency.all_objects.get(pk=agency.pk)
    assert kept.is_deleted and kept.deleted_by == personas.admin
    # The agency's focal point still reaches it (related access uses the base manager).
    personas.other_agency.refresh_from_db()
    assert personas.other_agency.agency.code == "TEST-XA"

    kept.restore(user=personas.admin)
    assert Agency.objects.filter(pk=agency.pk).exists()
    actions = list(AuditEntry.objects.filter(object_type="accounts.agency").order_by("id").values_list("action", "note"))
    assert actions == [("delete", "nhập nhầm"), ("restore", "")]


def test_log_page_lists_and_filters_entries(personas, client_for):
    audit.record(None, "import_dataset", object_type="indexdata.dataset", object_id=1, user=personas.staff)
    audit.record(None, "report_submit", object_type="plan.report", object_id=2, user=personas.agency)
    client = client_for("dost_staff")
    page = client.get(reverse("audit:log")).content.decode()
    assert "import_dataset" in page and "report_submit" in page
    page = client.get(reverse("audit:log"), {"object_type": "plan.report"}).content.decode()
    assert "plan.report #2" in page and "indexdata.dataset #1" not in page
    page = client.get(reverse("audit:log"), {"user": "STAFF"}).content.decode()
    assert "indexdata.dataset #1" in page and "plan.report #2" not in page


def test_log_page_paginates(personas, client_for):
    AuditEntry.objects.bulk_create(AuditEntry(action=f"a{i}") for i in range(60))
    page = client_for("dost_admin").get(reverse("audit:log"), {"page": 2}).content.decode()
    assert "Trang 2/2" in page

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
    audit.record(None, "import_confirm", object_type="indexdata.importbatch", object_id=1, user=personas.staff)
    audit.record(None, "report_submit", object_type="plan.agencyreport", object_id=2, user=personas.agency)
    client = client_for("dost_staff")
    page = client.get(reverse("audit:log")).content.decode()
    assert "Xác nhận nhập số liệu" in page and "Gửi báo cáo" in page
    assert "import_confirm</td>" not in page and "report_submit</td>" not in page
    page = client.get(reverse("audit:log"), {"object_type": "plan.agencyreport"}).content.decode()
    assert "Báo cáo của cơ quan: số 2" in page and "Lượt nhập dữ liệu" not in page.split("<tbody>")[1]
    page = client.get(reverse("audit:log"), {"user": "STAFF"}).content.decode()
    assert "Xác nhận nhập số liệu</td>" in page and "Gửi báo cáo</td>" not in page


def test_log_names_objects_and_shows_field_changes_in_vietnamese(personas, client_for):
    user = personas.other_agency
    user.full_name = "Nguyễn Văn A"
    user.save()
    before = snapshot(user, ["is_active", "role", "agency"])
    user.is_active = False
    user.agency = personas.agency_a
    user.save()
    audit.record(None, "user_deactivate", user, before=before, after=snapshot(user, ["is_active", "role", "agency"]),
                 user=personas.admin)
    page = client_for("dost_admin").get(reverse("audit:log")).content.decode()
    assert "Khoá tài khoản" in page and "Người dùng: Nguyễn Văn A" in page
    row = page.split("<td>Khoá tài khoản</td>")[1].split("</details>")[0]
    assert '<tr class="changed"><td>Kích hoạt</td><td>Có</td><td>Không</td></tr>' in row
    assert "<td>Cơ quan, đơn vị</td><td>Xã Thử nghiệm</td><td>Sở Thử nghiệm</td>" in row  # names, not ids
    assert "<td>Vai trò</td><td>Đầu mối cơ quan, đơn vị</td>" in row  # choices by their label
    assert "{&#x27;" not in page and "{'" not in page  # no Python dicts


def test_unknown_actions_are_composed_from_their_words():
    from piiplan.web.audit.labels import action_label, type_label

    assert action_label("report_return") == "Trả lại báo cáo"
    assert action_label("agency_rename") == "Đổi tên cơ quan, đơn vị"
    assert action_label("user_unlock_login") == "Gỡ chặn đăng nhập"  # accounts' own labels are used
    assert action_label("reset_password") == "Đặt lại mật khẩu"
    assert action_label("xyz_frob") == "xyz_frob"
    assert type_label("accounts.user") == "Người dùng" and type_label("plan.task") == "Nhiệm vụ"


def test_log_filters_by_date_range_and_refuses_bad_dates(personas, client_for):
    from datetime import datetime, timezone as tz

    old = audit.record(None, "plan_update", object_type="plan.plan", object_id=1, user=personas.staff)
    AuditEntry.objects.filter(pk=old.pk).model.objects.filter  # noqa: B018 (append-only: insert an old one)
    AuditEntry.objects.bulk_create([AuditEntry(action="period_create", at=datetime(2025, 1, 15, 3, tzinfo=tz.utc))])
    client = client_for("dost_staff")
    page = client.get(reverse("audit:log"), {"tu": "2025-01-01", "den": "2025-01-31"}).content.decode()
    body = page.split("<tbody>")[1]
    assert "Tạo kỳ báo cáo" in body and "Sửa kế hoạch" not in body
    response = client.get(reverse("audit:log"), {"tu": "abc"})
    assert response.status_code == 400 and "Từ ngày không hợp lệ" in response.content.decode()
    response = client.get(reverse("audit:log"), {"tu": "2025-02-01", "den": "2025-01-01"})
    assert response.status_code == 400 and "Từ ngày phải trước" in response.content.decode()


def test_log_csv_has_vietnamese_headers_names_and_inert_cells(personas, client_for):
    import csv
    import io

    audit.record(None, "report_return", object_type="plan.agencyreport", object_id=5, user=personas.staff,
                 note="=HYPERLINK(\"http://x\")")
    audit.record(None, "login", user=personas.agency)
    response = client_for("dost_staff").get(reverse("audit:log_csv"), {"action": "report_return"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Thời điểm", "Người thực hiện", "Hành động"]
    assert len(rows) == 2 and rows[1][2] == "Trả lại báo cáo" and rows[1][4] == "Báo cáo của cơ quan: số 5"
    assert rows[1][6] == "'=HYPERLINK(\"http://x\")"


def test_log_page_paginates(personas, client_for):
    AuditEntry.objects.bulk_create(AuditEntry(action=f"a{i}") for i in range(60))
    page = client_for("dost_admin").get(reverse("audit:log"), {"page": 2}).content.decode()
    assert "Trang 2/2" in page

"""CSV copies of every list: Vietnamese headers, the page's scope (an agency sees its own rows
only), formula-looking text made inert."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from tests.plan.world import make_world


def read(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_tasks_csv_follows_scope_and_filters_and_escapes_formulas(personas, client_for):
    world = make_world(personas)
    world.task_a.content = "=HYPERLINK(\"http://x\",\"bấm\")"
    world.task_a.save()
    url = reverse("plan:tasks_csv", kwargs={"pk": world.plan.pk})
    staff = read(client_for("dost_staff").get(url))
    assert staff[0][:4] == ["STT", "Chỉ số", "Nhiệm vụ, giải pháp", "Cơ quan chủ trì"]
    contents = [row[2] for row in staff[1:]]
    assert "'=HYPERLINK(\"http://x\",\"bấm\")" in contents and world.task_b.content in contents
    agency = read(client_for("agency").get(url))
    assert world.task_b.content not in [row[2] for row in agency[1:]]
    only_b = read(client_for("dost_staff").get(url, {"agency": personas.agency_b.pk}))
    assert {row[3] for row in only_b[1:]} == {personas.agency_b.name}


def test_periods_reports_models_users_agencies_csv(personas, client_for):
    world = make_world(personas)
    staff = client_for("dost_staff")
    periods = read(staff.get(reverse("plan:periods_csv")))
    assert periods[0][0] == "Kỳ báo cáo" and world.period.title in [r[0] for r in periods[1:]]
    reports = read(staff.get(reverse("plan:period_reports_csv", kwargs={"pk": world.period.pk})))
    assert reports[0][:2] == ["Cơ quan, đơn vị", "Trạng thái"] and len(reports) > 1
    models = read(staff.get(reverse("plan:models_csv")))
    assert models[0][:3] == ["Mô hình", "Lĩnh vực", "Cơ quan đề xuất"] and world.model_b.title in [r[0] for r in models[1:]]
    admin = client_for("dost_admin")
    users = read(admin.get(reverse("accounts:users_csv")))
    assert users[0][:4] == ["Tên đăng nhập", "Họ và tên", "Thư điện tử", "Vai trò"]
    assert {"admin", "staff", "agency"} <= {r[0] for r in users[1:]}
    agencies = read(admin.get(reverse("accounts:agencies_csv")))
    assert ["TEST-SO", "Sở Thử nghiệm"] in [r[:2] for r in agencies[1:]]
    assert client_for("dost_staff").get(reverse("accounts:users_csv")).status_code == 403

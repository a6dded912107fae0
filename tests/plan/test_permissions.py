"""Agencies see and change only their own tasks, reports and files; leaders change nothing; the public
sees nothing of the plan except the published register."""

from __future__ import annotations

import pytest
from django.urls import reverse

from piiplan.web.plan.models import AgencyReport, Evidence, ExemplaryModel, Task


def test_agency_sees_own_and_coordinated_tasks_only(client_for, personas, world):
    page = client_for("agency").get(reverse("plan:tasks", kwargs={"pk": world.plan.pk})).content.decode()
    assert world.task_a.content in page and world.task_all.content in page
    assert world.task_b.content not in page
    assert client_for("agency").get(reverse("plan:task_detail", kwargs={"pk": world.task_b.pk})).status_code == 404
    # The commune (agency B) sees the task that "all communes" coordinate, but may not change it.
    other = client_for(personas.other_agency)
    assert other.get(reverse("plan:task_detail", kwargs={"pk": world.task_all.pk})).status_code == 200
    response = other.post(reverse("plan:task_status", kwargs={"pk": world.task_all.pk}),
                          {"status": "done", "percent": 100, "version": world.task_all.version})
    assert response.status_code == 404
    assert Task.objects.get(pk=world.task_all.pk).status == "not_started"


def test_lead_agency_updates_its_task_but_not_another(client_for, world):
    client = client_for("agency")
    ok = client.post(reverse("plan:task_status", kwargs={"pk": world.task_a.pk}),
                     {"status": "in_progress", "percent": 40, "version": world.task_a.version})
    assert ok.status_code == 302
    assert Task.objects.get(pk=world.task_a.pk).percent == 40
    refused = client.post(reverse("plan:task_status", kwargs={"pk": world.task_b.pk}),
                          {"status": "done", "percent": 100, "version": world.task_b.version})
    assert refused.status_code == 404
    assert Task.objects.get(pk=world.task_b.pk).percent == 0


def test_agency_cannot_read_or_change_another_agencys_report_or_file(client_for, world):
    client = client_for("agency")
    assert client.get(reverse("plan:report_detail", kwargs={"pk": world.report_a.pk})).status_code == 200
    assert client.get(reverse("plan:evidence_download", kwargs={"pk": world.evidence_a.pk})).status_code == 200
    assert client.get(reverse("plan:report_detail", kwargs={"pk": world.report_b.pk})).status_code == 404
    assert client.get(reverse("plan:evidence_download", kwargs={"pk": world.evidence_b.pk})).status_code == 404
    client.post(reverse("plan:report_save", kwargs={"pk": world.report_b.pk}),
                {"summary": "ghi đè", "version": world.report_b.version})
    client.post(reverse("plan:evidence_delete", kwargs={"pk": world.evidence_b.pk}))
    assert AgencyReport.objects.get(pk=world.report_b.pk).summary == ""
    assert Evidence.objects.filter(pk=world.evidence_b.pk).exists()
    # Not reachable through the task filter either (the queryset is scoped before filtering).
    page = client.get(reverse("plan:tasks", kwargs={"pk": world.plan.pk}), {"agency": world.task_b.lead_agency_id})
    assert world.task_b.content not in page.content.decode() and page.context["rows"] == []


POSTS = [
    ("plan:task_status", "task_a", {"status": "done", "percent": 100}),
    ("plan:task_edit", "task_a", {"content": "x"}),
    ("plan:report_save", "report_a", {"summary": "x"}),
    ("plan:report_submit", "report_a", {}),
    ("plan:report_review", "report_b", {"decision": "accept"}),
    ("plan:evidence_upload", "report_a", {}),
    ("plan:evidence_delete", "evidence_a", {}),
    ("plan:model_review", "model_b", {"decision": "publish"}),
    ("plan:plan_edit", "plan", {"title": "x"}),
    ("plan:targets", "plan", {}),
    ("plan:period_edit", "period", {}),
    ("plan:appendix_import", "plan", {}),
]


@pytest.mark.parametrize("name,obj,data", POSTS)
def test_leader_cannot_change_anything(client_for, world, name, obj, data):
    response = client_for("leader").post(reverse(name, kwargs={"pk": getattr(world, obj).pk}), data)
    assert response.status_code == 403


def test_leader_reads_plan_reports_and_files(client_for, world):
    client = client_for("leader")
    assert client.get(reverse("plan:report_detail", kwargs={"pk": world.report_b.pk})).status_code == 200
    assert client.get(reverse("plan:evidence_download", kwargs={"pk": world.evidence_b.pk})).status_code == 200
    page = client.get(reverse("plan:report_detail", kwargs={"pk": world.report_b.pk})).content.decode()
    assert 'id="review"' not in page and "report-form" not in page


@pytest.mark.parametrize("name,obj", [
    ("plan:dashboard", None), ("plan:plan_detail", "plan"), ("plan:tasks", "plan"), ("plan:task_detail", "task_a"),
    ("plan:report_detail", "report_a"), ("plan:evidence_download", "evidence_a"), ("plan:periods", None),
    ("plan:models", None), ("plan:model_detail", "published"), ("plan:notices", None),
])
def test_public_sees_none_of_the_plan(client, world, name, obj):
    url = reverse(name, kwargs={"pk": getattr(world, obj).pk} if obj else None)
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_public_register_lists_published_models_only(client, world):
    page = client.get(reverse("plan:register")).content.decode()
    assert world.published.title in page
    assert world.model_b.title not in page


def test_agency_sees_own_model_proposals_not_anothers(client_for, personas, world):
    client = client_for("agency")
    response = client.post(reverse("plan:model_propose"), {"title": "Mô hình của sở A", "category": "innovation",
                                                           "year": 2026, "summary": "Mô tả"})
    assert response.status_code == 302
    mine = ExemplaryModel.objects.get(title="Mô hình của sở A")
    assert mine.agency == personas.agency_a and mine.status == "proposed"
    page = client.get(reverse("plan:models")).content.decode()
    assert "Mô hình của sở A" in page and world.model_b.title not in page
    assert client.get(reverse("plan:register")).content.decode().count("Mô hình của sở A") == 0


def test_dost_publishes_a_model_and_it_appears_in_the_register(client_for, client, world):
    url = reverse("plan:model_review", kwargs={"pk": world.model_b.pk})
    # An explicit choice, then a confirmation page: nothing is published before the confirmed POST.
    ask = client_for("dost_staff").post(url, {"decision": "publish", "version": world.model_b.version})
    assert ask.status_code == 200 and "Xác nhận công bố" in ask.content.decode()
    assert ExemplaryModel.objects.get(pk=world.model_b.pk).status == "proposed"
    response = client_for("dost_staff").post(url, {"decision": "publish", "version": world.model_b.version,
                                                   "confirm": "1"})
    assert response.status_code == 302
    assert world.model_b.title in client.get(reverse("plan:register")).content.decode()
    returned = client_for("dost_staff").post(reverse("plan:model_review", kwargs={"pk": world.published.pk}),
                                             {"decision": "return", "comment": "", "version": 1, "confirm": "1"})
    assert returned.status_code == 400   # the model page again, with the form and its message
    assert ExemplaryModel.objects.get(pk=world.published.pk).status == "published"  # comment required


def test_any_agency_reads_a_published_model_but_not_anothers_proposal(client_for, world):
    # The register lists published models for everyone, so their detail page must open for every agency.
    client = client_for("agency")  # agency A; both models belong to agency B
    assert client.get(reverse("plan:model_detail", kwargs={"pk": world.published.pk})).status_code == 200
    assert client.get(reverse("plan:model_detail", kwargs={"pk": world.model_b.pk})).status_code == 404
    refused = client.post(reverse("plan:model_review", kwargs={"pk": world.published.pk}),
                          {"decision": "return", "comment": "x"})
    assert refused.status_code in (403, 404)
    assert ExemplaryModel.objects.get(pk=world.published.pk).status == "published"

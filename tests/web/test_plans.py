"""Realistic target plans in the web (issue 10): the background job with its progress endpoint, the same plan
as the CLI, bad input in Vietnamese, gains and projection pages, the lever model edited (audited, CSV), a plan
turned into the plan's targets, and the leader's "Tác động đến xếp hạng" page."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from piiplan.web.audit.models import AuditEntry
from piiplan.web.indexdata import service
from piiplan.web.indexdata.plan_models import AnalysisJob, JobStatus, LeverSetting

pytestmark = pytest.mark.django_db
UNIT = "Lạng Sơn"
FORM = {"unit": UNIT, "target_rank": "27", "probability": "0,8", "competitors": "trend", "percentile": "100",
        "time_budget": "10"}


@pytest.fixture(autouse=True)
def _immediate(settings):
    service.clear_memo()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    yield
    service.clear_memo()


def _run(client, data, capture):
    with capture(execute=True):
        response = client.post(reverse("indexdata:target"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return AnalysisJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1])), response["Location"]


def test_target_job_runs_in_the_background_and_says_what_the_cli_says(client_for, django_capture_on_commit_callbacks):
    from piiplan.analysis.realistic import PlanOptions, plan_target

    staff = client_for("dost_staff")
    form = {**FORM, "time_budget": "60"}       # generous, so both searches finish (then they must agree)
    job, url = _run(staff, form, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE and job.progress == 1.0
    status = staff.get(reverse("indexdata:job_status", args=[job.pk])).json()
    assert status["done"] and status["progress"] == 100
    assert status["result"]["plan"] == job.result["plan"]          # the JSON API says what the page says
    html = staff.get(url).content.decode()
    r = job.result
    direct = plan_target(service.current_framework(), service.current_dataset(), UNIT, 27,
                         options=PlanOptions(as_of=date.today(), time_budget=60)).to_dict()
    assert r["optimal"] and direct["optimal"]
    assert [p["code"] for p in r["plan"]] == [p["code"] for p in direct["plan"]]
    assert r["probability"] == direct["probability"] and r["probability"] >= 0.8
    for p in r["plan"]:
        assert abs(p["change"]) <= p["default_reach"] * (1 + 1e-9) + 1e-12
        assert p["code"] in html and p["rationale"].split(" —")[0] in html
    assert "năm tiến bộ tốt nhất" in html and "xác suất giữ hạng" in html
    # the same parameters on the same data reuse the job
    again, _ = _run(staff, form, django_capture_on_commit_callbacks)
    assert again.pk == job.pk


def test_queued_job_shows_a_progress_bar_and_polls(client_for):
    from piiplan.web.indexdata import jobs

    job = jobs.start_target_job(None, UNIT, 27)        # not committed: no worker ran it
    html = client_for("leader").get(reverse("indexdata:target_job", args=[job.pk])).content.decode()
    assert 'id="job-bar"' in html and "indexdata/job.js" in html
    assert client_for("leader").get(reverse("indexdata:job_status", args=[job.pk])).json()["done"] is False


@pytest.mark.parametrize("change, needle", [
    ({"probability": "1,5"}, "0–1"), ({"probability": "-0,1"}, "0–1"), ({"probability": "abc"}, "không phải là số"),
    ({"bounds": "9.9.9=1"}, "«9.9.9»"), ({"bounds": "6.3.1=-2"}, "≥ 0"), ({"fixed": "X.Y"}, "«X.Y»"),
    ({"percentile": "0"}, "Phân vị"), ({"target_rank": "40"}, "từ 1 đến 34"),
])
def test_bad_input_is_a_vietnamese_form_error(client_for, change, needle):
    response = client_for("dost_staff").post(reverse("indexdata:target"), {**FORM, **change})
    assert response.status_code == 400 and needle in response.content.decode()
    assert not AnalysisJob.objects.exists()


def test_gains_and_projection_pages(client_for):
    leader = client_for("leader")
    html = leader.get(reverse("indexdata:gains"), {"tinh": UNIT}).content.decode()
    assert 'id="gains-table"' in html and "Điểm/năm tiến bộ tốt nhất" in html and "7.2.4" in html
    html = leader.get(reverse("indexdata:projection"), {"tinh": UNIT}).content.decode()
    assert 'id="projection-table"' in html and "tăng trưởng kép" in html and UNIT in html


def test_lever_model_edit_is_audited_and_changes_the_reach(client_for):
    from piiplan.web.indexdata import jobs

    staff = client_for("dost_staff")
    assert jobs.current_levers().at["6.3.1", "lever_class"] == "structural"
    response = staff.post(reverse("indexdata:levers"), {"code": "6.3.1", "kind": "per_capita",
                                                       "lever_class": "programme", "data_lag": "1", "basis": "Sở rà soát"})
    assert response.status_code == 302
    assert jobs.current_levers().at["6.3.1", "lever_class"] == "programme"
    assert AuditEntry.objects.filter(action="lever_update", object_id=str(LeverSetting.objects.get().pk)).exists()
    bad = staff.post(reverse("indexdata:levers"), {"code": "6.3.1", "kind": "per_capita", "lever_class": "magic",
                                                  "data_lag": "9"})
    assert bad.status_code == 400 and "Độ trễ từ 0 đến 3 năm." in bad.content.decode()
    assert client_for("leader").post(reverse("indexdata:levers"), {"code": "6.3.1"}).status_code == 403


def test_lever_csv_round_trip_and_bad_csv_changes_nothing(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff = client_for("dost_staff")
    text = staff.get(reverse("indexdata:levers_csv")).content.decode("utf-8-sig")
    edited = text.replace("7.2.4,index,structural", "7.2.4,index,programme")
    staff.post(reverse("indexdata:levers_import"), {"file": SimpleUploadedFile("l.csv", edited.encode())})
    assert LeverSetting.objects.get().code == "7.2.4"
    broken = text.replace("7.1.1,growth,structural", "7.1.1,growth,magic")
    response = staff.post(reverse("indexdata:levers_import"), {"file": SimpleUploadedFile("l.csv", broken.encode())},
                          follow=True)
    assert "cột lever_class: «magic»" in response.content.decode()
    assert LeverSetting.objects.count() == 1


def test_calendar_edit(client_for):
    staff = client_for("dost_staff")
    response = staff.post(reverse("indexdata:levers"), {"action": "edition", "edition": "2026",
                                                       "collection_closes": "15/08/2026", "source": "Công văn"})
    assert response.status_code == 302
    from piiplan.web.indexdata import jobs

    assert jobs.current_calendar().closes_on(2026) == date(2026, 8, 15)
    bad = staff.post(reverse("indexdata:levers"), {"action": "edition", "edition": "2026", "collection_closes": "31/02/2026"})
    assert bad.status_code == 400 and "ngày/tháng/năm" in bad.content.decode()


def test_plan_becomes_targets_in_one_step_and_effect_page_shows_the_same_plan(personas, client_for,
                                                                                django_capture_on_commit_callbacks):
    from piiplan.web.plan.models import IndicatorTarget
    from tests.plan.world import make_world

    world = make_world(personas)
    plan = world.plan
    staff = client_for("dost_staff")
    job, url = _run(staff, {**FORM, "target_rank": str(plan.target_rank)}, django_capture_on_commit_callbacks)
    if job.result["feasible"]:
        response = staff.post(reverse("indexdata:target_to_plan", args=[job.pk]), {"plan": plan.pk})
        assert response.status_code == 302
        targets = {t.indicator: t for t in IndicatorTarget.objects.filter(plan=plan)}
        for row in job.result["plan"]:
            assert targets[row["code"]].target_value == pytest.approx(row["to"])
        assert AuditEntry.objects.filter(action="target_from_plan").count() == len(job.result["plan"])
    with django_capture_on_commit_callbacks(execute=True):
        html = client_for("leader").get(reverse("plan:effect", args=[plan.pk])).content.decode()
    html = client_for("leader").get(reverse("plan:effect", args=[plan.pk])).content.decode()
    assert 'id="target-result"' in html and "Chuyển thành chỉ tiêu" not in html
    for row in job.result["plan"]:
        assert row["code"] in html

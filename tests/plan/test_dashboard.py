"""Dashboards: the agency's tasks, due and overdue, what to submit; the DoST's completeness, overdue tasks,
weakness tasks and the plan's expected effect on the rank."""

from __future__ import annotations

from django.urls import reverse

from piiplan.web.plan import dashboard as dash, effect as fx
from piiplan.web.plan.models import IndicatorValue, Plan, ReportStatus, Task, next_due


def test_status_is_overdue_only_after_a_fixed_deadline(world):
    assert world.task_all.effective_status(world.on) == "overdue"
    assert world.task_a.effective_status(world.on) == "not_started"
    Task.objects.filter(pk=world.task_all.pk).update(status="done")
    assert Task.objects.get(pk=world.task_all.pk).effective_status(world.on) == "done"
    assert world.task_b.effective_status(world.on) == "in_progress"  # recurring: never overdue


def test_next_due_dates():
    from datetime import date

    assert next_due("quarterly", date(2026, 5, 3)) == date(2026, 6, 30)
    assert next_due("half_yearly", date(2026, 6, 15)) == date(2026, 12, 14)
    assert next_due("half_yearly", date(2026, 12, 15)) == date(2027, 6, 14)
    assert next_due("monthly", date(2028, 2, 10)) == date(2028, 2, 29)
    assert next_due("continuous", date(2026, 1, 1)) is None


def test_agency_dashboard(client_for, world):
    response = client_for("agency").get(reverse("plan:dashboard"))
    ctx = response.context
    assert [r["task"].pk for r in ctx["overdue"]] == [world.task_all.pk]
    assert [r["task"].pk for r in ctx["due_soon"]] == [world.task_a.pk]
    assert [s["period"].pk for s in ctx["to_submit"]] == [world.period.pk]
    assert ctx["to_submit"][0]["report"].pk == world.report_a.pk and not ctx["to_submit"][0]["done"]
    page = response.content.decode()
    assert "Thông báo cho sở A" in page and world.task_b.content not in page


def test_dost_dashboard_completeness_overdue_and_weaknesses(client_for, world, personas):
    response = client_for("dost_staff").get(reverse("plan:dashboard"))
    ctx = response.context
    stats = ctx["completeness"][0]
    assert stats["expected"] == 2 and stats["submitted"] == 1 and stats["accepted"] == 0
    assert {r["agency"].pk: r["status"] for r in stats["rows"]} == {personas.agency_a.pk: "draft",
                                                                    personas.agency_b.pk: "submitted"}
    assert [r["task"].pk for r in ctx["overdue"]] == [world.task_all.pk]
    # Weaknesses come from the analysis profile of Lạng Sơn on the current (demo) data …
    assert ctx["weak_source"] == "analysis" and len(ctx["weak_codes"]) == 5
    assert {r["task"].pk for r in ctx["weak_tasks"]} == {t.pk for t in Task.objects.all()
                                                        if set(t.indicators) & set(ctx["weak_codes"])}


def test_weaknesses_fall_back_to_the_plan_marks(world):
    broken = fx.Analysis(2025, "Nowhere", True, "", error="không có dữ liệu")
    codes, source = dash.weakness_codes(world.plan, broken)
    assert (codes, source) == (["7.2.2"], "plan")
    view = dash.dost_view(world.plan, world.on, broken)
    assert [r["task"].pk for r in view["weak_tasks"]] == [world.task_all.pk]


def test_effect_page_puts_optimiser_needs_beside_reported_values(client_for, world, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    leader = client_for("leader")
    with django_capture_on_commit_callbacks(execute=True):     # the first visit starts the realistic-plan job
        first = leader.get(reverse("plan:effect", kwargs={"pk": world.plan.pk}))
    assert first.status_code == 200
    job = first.context["job"]
    job.refresh_from_db()
    result = job.result
    assert result["feasible"] and result["rank_after"] <= world.plan.target_rank
    moved = result["plan"][0]
    IndicatorValue.objects.update_or_create(report=world.report_b, indicator=moved["code"],
                                            defaults={"value": moved["from"] + moved["change"] / 2, "source": "Thử"})
    response = leader.get(reverse("plan:effect", kwargs={"pk": world.plan.pk}))
    assert response.status_code == 200 and response.context["job"].pk == job.pk     # the same plan, not recomputed
    rows = {r["code"]: r for r in response.context["rows"]}
    assert {r["code"] for r in result["plan"]} <= set(rows)
    row = rows[moved["code"]]
    assert row["required"] == moved["to"] and row["reported"]["value"] == moved["from"] + moved["change"] / 2
    assert abs(row["progress"] - 50.0) < 1e-6 and row["reported"]["accepted"] is False
    html = response.content.decode()
    assert "Dữ liệu mô phỏng" in html and "xác suất giữ hạng" in html
    for p in result["plan"]:
        assert abs(p["change"]) <= p["default_reach"] * (1 + 1e-9) + 1e-12


def test_reported_values_prefer_accepted_reports(world):
    IndicatorValue.objects.filter(report=world.report_b, indicator="6.2.4").update(value=1.0)
    world.report_a.values.filter(indicator="1.2.1").update(value=7.0)
    assert "1.2.1" not in fx.reported_values(world.plan)  # a draft does not count
    type(world.report_a).objects.filter(pk=world.report_a.pk).update(status=ReportStatus.ACCEPTED)
    values = fx.reported_values(world.plan)
    assert values["1.2.1"]["value"] == 7.0 and values["1.2.1"]["accepted"]
    assert values["6.2.4"]["value"] == 1.0 and not values["6.2.4"]["accepted"]


def test_plan_target_text(world):
    plan = Plan.objects.get(pk=world.plan.pk)
    assert plan.target_rank == 25
    assert "tăng 04 bậc" in plan.target_text and "từ hạng 29 lên hạng 25" in plan.target_text

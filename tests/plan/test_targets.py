"""The plan's overall target and per-indicator targets, edited by the DoST and audited."""

from __future__ import annotations

from django.urls import reverse

from piiplan.web.audit.models import AuditEntry
from piiplan.web.plan.indicators import indicator_codes
from piiplan.web.plan.models import IndicatorTarget, Plan


def targets_post(changes: dict) -> dict:
    data = {}
    for code in indicator_codes():
        data[f"t{code}-goal"] = "improve"
    data.update(changes)
    return data


def test_per_indicator_targets(client_for, world, personas):
    url = reverse("plan:targets", kwargs={"pk": world.plan.pk})
    client = client_for("dost_staff")
    refused = client.post(url, targets_post({"t1.2.1-goal": "value"}))
    assert refused.status_code == 200 and "cần ghi giá trị phấn đấu" in refused.content.decode()
    assert not IndicatorTarget.objects.filter(plan=world.plan, indicator="1.2.1").exists()
    ok = client.post(url, targets_post({"t1.2.1-goal": "value", "t1.2.1-target_value": "7,5",
                                        "t7.2.2-goal": "reach_average", "t7.2.2-mark": "weakness",
                                        "t7.2.2-data_agency": personas.agency_a.pk}))
    assert ok.status_code == 302
    target = IndicatorTarget.objects.get(plan=world.plan, indicator="1.2.1")
    assert target.target_value == 7.5 and target.goal_text == "Đạt giá trị 7,5"
    assert IndicatorTarget.objects.get(plan=world.plan, indicator="7.2.2").data_agency == personas.agency_a
    # Only the two indicators that changed are written (and audited); untouched ones get no empty row.
    assert IndicatorTarget.objects.filter(plan=world.plan).count() == 2
    assert AuditEntry.objects.filter(action="target_update").count() == 2
    page = client_for("agency").get(reverse("plan:plan_detail", kwargs={"pk": world.plan.pk})).content.decode()
    assert "Đạt giá trị 7,5" in page and "Đạt mức trung bình cả nước" in page


def test_overall_target_edit_is_validated_and_audited(client_for, world):
    url = reverse("plan:plan_edit", kwargs={"pk": world.plan.pk})
    data = {"title": world.plan.title, "year": 2026, "base_year": 2025, "base_rank": 29, "rank_gain": 29,
            "score_above_base": "on"}
    response = client_for("dost_admin").post(url, data)
    assert "chỉ có thể tăng tối đa 28 bậc" in response.content.decode()
    data["rank_gain"] = 6
    assert client_for("dost_admin").post(url, data).status_code == 302
    assert Plan.objects.get(pk=world.plan.pk).target_rank == 23
    entry = AuditEntry.objects.get(action="plan_update")
    assert entry.before["rank_gain"] == 4 and entry.after["rank_gain"] == 6

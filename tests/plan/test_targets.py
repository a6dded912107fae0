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
    for target in IndicatorTarget.objects.all():  # the versions the page was opened with
        data[f"t{target.indicator}-version"] = target.version
    data.update(changes)
    return data


def test_per_indicator_targets(client_for, world, personas):
    url = reverse("plan:targets", kwargs={"pk": world.plan.pk})
    client = client_for("dost_staff")
    refused = client.post(url, targets_post({"t1.2.1-goal": "value"}))
    assert refused.status_code == 400 and "cần ghi giá trị phấn đấu" in refused.content.decode()
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
            "score_above_base": "on", "version": world.plan.version}
    response = client_for("dost_admin").post(url, data)
    assert "chỉ có thể tăng tối đa 28 bậc" in response.content.decode()
    data["rank_gain"] = 6
    assert client_for("dost_admin").post(url, data).status_code == 302
    assert Plan.objects.get(pk=world.plan.pk).target_rank == 23
    entry = AuditEntry.objects.get(action="plan_update")
    assert entry.before["rank_gain"] == 4 and entry.after["rank_gain"] == 6


def test_stale_target_and_plan_saves_are_refused(client_for, world):
    """Two people open the targets page; the second save, from the old version, changes nothing."""
    url = reverse("plan:targets", kwargs={"pk": world.plan.pk})
    opened = targets_post({"t7.2.2-goal": "reach_average"})
    other = targets_post({"t7.2.2-goal": "stay_above"})
    assert client_for("dost_staff").post(url, opened).status_code == 302
    stale = client_for("dost_admin").post(url, other)
    assert stale.status_code == 409 and "Chỉ tiêu của chỉ số 7.2.2 vừa được" in stale.content.decode()
    assert IndicatorTarget.objects.get(plan=world.plan, indicator="7.2.2").goal == "reach_average"
    # the page keeps the choice typed, with the current version: saving again overwrites deliberately
    page = stale.content.decode()
    current = IndicatorTarget.objects.get(plan=world.plan, indicator="7.2.2").version
    assert f'name="t7.2.2-version" value="{current}"' in page
    assert '<option value="stay_above" selected>' in page.split('name="t7.2.2-goal"', 1)[1].split("</select>", 1)[0]
    again = client_for("dost_admin").post(url, {**other, "t7.2.2-version": str(current)})
    assert again.status_code == 302
    assert IndicatorTarget.objects.get(plan=world.plan, indicator="7.2.2").goal == "stay_above"
    # A target created by someone else meanwhile is not silently overwritten either.
    first = targets_post({"t1.2.1-goal": "reach_average"})
    second = targets_post({"t1.2.1-goal": "stay_above"})
    assert client_for("dost_staff").post(url, first).status_code == 302
    assert client_for("dost_admin").post(url, second).status_code == 409
    assert IndicatorTarget.objects.get(plan=world.plan, indicator="1.2.1").goal == "reach_average"

    plan_url = reverse("plan:plan_edit", kwargs={"pk": world.plan.pk})
    data = {"title": "Tên mới", "year": 2026, "base_year": 2025, "base_rank": 29, "rank_gain": 4,
            "score_above_base": "on", "version": world.plan.version}
    assert client_for("dost_staff").post(plan_url, data).status_code == 302
    stale = client_for("dost_admin").post(plan_url, dict(data, title="Tên khác"))
    assert stale.status_code == 409 and "Kế hoạch vừa được" in stale.content.decode()
    assert Plan.objects.get(pk=world.plan.pk).title == "Tên mới"
    # the refused title is still in the form, with the current version: a second save is a deliberate overwrite
    current = Plan.objects.get(pk=world.plan.pk).version
    assert 'value="Tên khác"' in stale.content.decode() and f'name="version" value="{current}"' in stale.content.decode()
    assert client_for("dost_admin").post(plan_url, dict(data, title="Tên khác", version=current)).status_code == 302
    assert Plan.objects.get(pk=world.plan.pk).title == "Tên khác"


def test_read_only_roles_cannot_open_the_targets_editor(client_for, world):
    url = reverse("plan:targets", kwargs={"pk": world.plan.pk})
    assert client_for("leader").get(url).status_code == 403
    assert client_for("agency").get(url).status_code == 403
    page = client_for("leader").get(reverse("plan:plan_detail", kwargs={"pk": world.plan.pk})).content.decode()
    assert url not in page and "<input" not in page.split("<main", 1)[1]


def test_hostile_values_in_plan_forms_give_a_vietnamese_form_error(client_for, world):
    plan_url = reverse("plan:plan_edit", kwargs={"pk": world.plan.pk})
    base = {"title": "T", "year": 2026, "base_year": 2025, "base_rank": 29, "rank_gain": 4,
            "version": world.plan.version}
    for bad, message in [({"year": 0}, "Năm phải từ 2000"), ({"year": 99999}, "Năm không được sau 2100"),
                         ({"base_score": "inf"}, "Cần nhập một số"), ({"base_score": "nan"}, "Cần nhập một số"),
                         ({"version": "abc"}, "Phiên bản biểu mẫu không hợp lệ"),
                         ({"base_rank": 99999}, "Hạng không quá 63")]:
        response = client_for("dost_staff").post(plan_url, dict(base, **bad))
        assert response.status_code == 400 and message in response.content.decode(), bad
    assert Plan.objects.get(pk=world.plan.pk).year == world.plan.year
    targets = client_for("dost_staff").post(reverse("plan:targets", kwargs={"pk": world.plan.pk}),
                                            targets_post({"t1.2.1-goal": "value", "t1.2.1-target_value": "inf",
                                                          "t7.2.2-version": "abc"}))
    assert targets.status_code == 400 and "Cần nhập một số" in targets.content.decode()

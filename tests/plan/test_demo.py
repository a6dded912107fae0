"""The plan's demo content: the sample plan, the periods, reports in different states; idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from piiplan.web.plan.models import AgencyReport, Evidence, ExemplaryModel, IndicatorTarget, Plan, ReportingPeriod, Task


@pytest.fixture
def loaded(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def state():
    return (Plan.objects.count(), Task.objects.count(), IndicatorTarget.objects.count(), ReportingPeriod.objects.count(),
            sorted(AgencyReport.objects.values_list("agency__code", "status")), Evidence.objects.count(),
            ExemplaryModel.objects.count())


def test_demo_plan_periods_and_reports(loaded):
    plan = Plan.objects.get()
    assert plan.is_sample and plan.target_rank == 25 and "MẪU" in plan.title
    assert Task.objects.filter(plan=plan).count() == 55
    assert set(IndicatorTarget.objects.filter(mark="weakness").values_list("indicator", flat=True)) == \
        {"7.2.2", "7.2.4", "7.1.2", "4.1.4", "4.2.2"}
    assert set(ReportingPeriod.objects.values_list("kind", flat=True)) == {"half_year", "year"}
    assert sorted(AgencyReport.objects.values_list("agency__code", "status")) == [
        ("SGDDT", "returned"), ("SKHCN", "accepted"), ("SNV", "submitted"), ("STC", "draft")]
    assert AgencyReport.objects.get(agency__code="SGDDT").review_comment
    assert ExemplaryModel.objects.filter(status="published").count() == 2
    assert "Kế hoạch mẫu và phụ lục nhiệm vụ (plan.plan)" in loaded


def test_demo_twice_changes_nothing(loaded):
    before = state()
    call_command("load_demo", stdout=StringIO())
    assert state() == before

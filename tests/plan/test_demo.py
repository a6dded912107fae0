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


def test_demo_reports_are_made_by_a_user_of_their_own_agency(loaded):
    from piiplan.web.accounts.models import User
    from piiplan.web.audit.models import AuditEntry
    from piiplan.web.plan.services import report_history

    for report in AgencyReport.objects.select_related("agency"):
        entries = AuditEntry.objects.filter(object_type="plan.agencyreport", object_id=str(report.pk),
                                            action__in=["report_create", "report_save", "report_submit"])
        assert entries.exists()
        for entry in entries:
            assert User.objects.get(username=entry.username).agency_id == report.agency_id, (report, entry.username)
    snv = AgencyReport.objects.get(agency__code="SNV")
    assert "daumoi" not in {e.username for e in report_history(snv)}
    assert "Tải lên minh chứng" in [e.label for e in report_history(snv)]     # the demo evidence upload

"""A small plan around the personas (tests/conftest.py), shared by tests/plan and the access matrix.

``make_world(p)`` builds it once per personas object and returns it (cached as ``p.world``):
agency A (department) leads ``task_a`` and ``task_all`` (coordinated by all communes), agency B (a commune)
leads ``task_b``; an open half-year period; A's report is a draft, B's is submitted with an evidence file;
B proposed one model (not yet published) and one published model.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from django.core.files.base import ContentFile

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_world(p, *, on: date | None = None) -> SimpleNamespace:
    if getattr(p, "world", None) is not None:
        return p.world
    from piiplan.web.plan.models import (
        AgencyReport, Evidence, ExemplaryModel, IndicatorTarget, Mark, ModelStatus, Notice, Plan,
        ReportingPeriod, ReportStatus, Task, TaskStatus, today,
    )
    from piiplan.web.plan.services import ensure_rows

    # The app's clock (timezone.localdate() in Asia/Ho_Chi_Minh), not the machine's: from 17:00 UTC
    # date.today() is already yesterday in Lạng Sơn, which shifted every "overdue"/"due in N days".
    on = on or today()
    plan = Plan.objects.create(title="Kế hoạch thử nghiệm", province="Lạng Sơn", year=on.year, base_year=on.year - 1,
                               base_rank=29, rank_gain=4)
    IndicatorTarget.objects.create(plan=plan, indicator="7.2.2", mark=Mark.WEAKNESS)
    task_a = Task.objects.create(plan=plan, number=1, indicators=["1.2.1"], content="Nhiệm vụ của sở A",
                                 lead_agency=p.agency_a, deadline=on + timedelta(days=7))
    task_all = Task.objects.create(plan=plan, number=2, indicators=["7.2.2"], content="Nhiệm vụ có các xã phối hợp",
                                   lead_agency=p.agency_a, all_communes=True, deadline=on - timedelta(days=3))
    task_b = Task.objects.create(plan=plan, number=3, indicators=["6.2.4"], content="Nhiệm vụ của xã B",
                                 lead_agency=p.agency_b, recurrence="continuous", status=TaskStatus.IN_PROGRESS)
    period = ReportingPeriod.objects.create(plan=plan, kind="half_year", year=on.year, title="Báo cáo 6 tháng thử",
                                            cutoff=on - timedelta(days=1), agency_deadline=on + timedelta(days=7),
                                            ubnd_deadline=on + timedelta(days=14))
    report_a = AgencyReport.objects.create(period=period, agency=p.agency_a)
    ensure_rows(report_a)
    report_b = AgencyReport.objects.create(period=period, agency=p.agency_b, status=ReportStatus.SUBMITTED,
                                           document_number="12/BC-UBND", document_date=on, signer="Chủ tịch UBND xã")
    ensure_rows(report_b)
    evidence_b = Evidence(report=report_b, original_name="Báo cáo xã B.pdf", content_type="application/pdf",
                          size=len(PDF_BYTES), sha256="0" * 64, uploaded_by=p.other_agency)
    evidence_b.file.save("b.pdf", ContentFile(PDF_BYTES), save=False)
    evidence_b.save()
    evidence_a = Evidence(report=report_a, original_name="Minh chứng sở A.pdf", content_type="application/pdf",
                          size=len(PDF_BYTES), sha256="0" * 64, uploaded_by=p.agency)
    evidence_a.file.save("a.pdf", ContentFile(PDF_BYTES), save=False)
    evidence_a.save()
    model_b = ExemplaryModel.objects.create(agency=p.agency_b, title="Mô hình chợ số xã B", category="digital",
                                            year=on.year, summary="Chợ số", proposed_by=p.other_agency)
    published = ExemplaryModel.objects.create(agency=p.agency_b, title="Mô hình khởi nghiệp đã công bố",
                                              category="startup", year=on.year, summary="Đã công bố",
                                              status=ModelStatus.PUBLISHED, proposed_by=p.other_agency)
    notice_a = Notice.objects.create(agency=p.agency_a, title="Thông báo cho sở A")
    p.world = SimpleNamespace(plan=plan, task_a=task_a, task_all=task_all, task_b=task_b, period=period,
                              report_a=report_a, report_b=report_b, evidence_a=evidence_a, evidence_b=evidence_b,
                              model_b=model_b, published=published, on=on,
                              notice_a=notice_a)
    return p.world

"""Demo steps of the plan app: the sample plan (MẪU) with its appendix, targets, reporting periods, a few
agency reports in different states, and exemplary models.

Only an empty workspace is filled: once a sample plan exists (even renamed, edited or deleted) it is left
exactly as people made it — its tasks, targets, periods and reports are not touched again."""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.files.base import ContentFile
from django.utils import timezone

from piiplan.web.demo import DemoContext, DemoStep

DEMO_PDF = b"%PDF-1.4\n% piiplan demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# (agency code, final state, what it reports) for the half-year period.
DEMO_REPORTS = [
    ("SKHCN", "accepted", "Đã tổ chức tập huấn Bộ chỉ số PII cho 14 sở, ngành và 65 xã, phường."),
    ("SNV", "submitted", "Đã ban hành Kế hoạch cải cách hành chính năm 2026."),
    ("SGDDT", "returned", "Đang tổ chức ôn thi tốt nghiệp THPT."),
    ("STC", "draft", ""),
]


class _Request:
    """Stands in for a request in audit records written by the demo loader (no IP)."""

    def __init__(self, user):
        self.user = user
        self.META = {}


def _focal_point(agency):
    """The agency's active focal-point user, created for the demo if it has none (``daumoi-<code>``, no
    password: it exists so the reports' history names someone of the right agency)."""
    from piiplan.web.accounts.models import Role, User

    user = agency.users.filter(role=Role.AGENCY, is_active=True).order_by("pk").first()
    if user is None:
        user, created = User.objects.get_or_create(
            username=f"daumoi-{agency.code.lower()}",
            defaults={"role": Role.AGENCY, "agency": agency, "full_name": f"Đầu mối {agency.name} (mẫu)"})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    return user


def load_plan(ctx: DemoContext) -> None:
    from piiplan.web.plan import appendix_sync
    from piiplan.web.plan.appendix import read_appendix
    from piiplan.web.plan.models import Goal, IndicatorTarget, Mark, Plan, Task
    from piiplan.web.plan.sample import sample_dir, sample_meta

    if not (sample_dir(ctx.province) / "plan-2026-sample.yaml").exists():
        ctx.say(f"  Chưa có kế hoạch mẫu của {ctx.province}: bỏ qua.")
        return
    existing = Plan.all_objects.filter(is_sample=True).order_by("pk").first()
    if existing is not None:
        # The sample plan was loaded before: whatever was done with it since is kept.
        ctx.data["plan"] = existing if existing.deleted_at is None else None
        ctx.say(f"  Kế hoạch mẫu đã có (#{existing.pk}): giữ nguyên.")
        return
    meta = sample_meta(ctx.province)
    request = _Request(ctx.users.get("dost_admin"))
    plan = Plan.objects.create(
        title=meta["title"], province=ctx.province, framework=meta["framework"], year=meta["year"],
        base_year=meta["base_year"], base_rank=meta["base_rank"], rank_gain=meta["rank_gain"],
        score_above_base=meta["score_above_base"], is_sample=True,
    )
    rows = read_appendix(sample_dir(ctx.province) / meta["appendix"], meta["framework"])
    resolved, errors, _ = appendix_sync.resolve(rows)
    if errors:
        ctx.say("  Phụ lục mẫu có lỗi: " + "; ".join(map(str, errors[:5])))
        return
    summary = appendix_sync.apply(request, plan, resolved)
    strengths, weaknesses = set(meta["strengths"]), set(meta["weaknesses"])
    leads: dict[str, object] = {}
    for task in Task.objects.filter(plan=plan).order_by("number"):
        for code in task.indicators:
            leads.setdefault(code, task.lead_agency)
    for code, agency in leads.items():
        mark = Mark.STRENGTH if code in strengths else Mark.WEAKNESS if code in weaknesses else Mark.NONE
        goal = Goal.STAY_ABOVE if mark == Mark.STRENGTH else Goal.REACH_AVERAGE if mark == Mark.WEAKNESS else Goal.IMPROVE
        IndicatorTarget.objects.get_or_create(plan=plan, indicator=code,
                                              defaults={"goal": goal, "mark": mark, "data_agency": agency})
    ctx.data["plan"] = plan
    ctx.say(f"  {plan.title[:60]}…: {len(rows)} nhiệm vụ (thêm {summary.created}, cập nhật {summary.updated}).")


def load_periods(ctx: DemoContext) -> None:
    from piiplan.web.plan.models import PeriodKind, Plan, ReportingPeriod
    from piiplan.web.plan.models.reporting import default_dates, default_title

    plan = ctx.data.get("plan") or Plan.objects.filter(is_sample=True).first()
    if plan is None:
        return
    if getattr(ReportingPeriod, "all_objects", ReportingPeriod.objects).filter(plan=plan).exists():
        ctx.say("  Kế hoạch mẫu đã có kỳ báo cáo: giữ nguyên.")
        return
    periods = {}
    for kind in (PeriodKind.HALF_YEAR, PeriodKind.YEAR):
        periods[kind] = ReportingPeriod.objects.create(
            plan=plan, kind=kind, year=plan.year, title=default_title(kind, plan.year), **default_dates(kind, plan.year)
        )
    ctx.data["periods"] = periods
    ctx.say(f"  Kỳ báo cáo: {', '.join(p.title for p in periods.values())}.")


def load_reports(ctx: DemoContext) -> None:
    from piiplan.web.accounts.models import Agency
    from piiplan.web.audit.log import record, snapshot
    from piiplan.web.plan import effect as fx, services
    from piiplan.web.plan.models import AgencyReport, Evidence, PeriodKind, ReportStatus, TaskStatus

    periods = ctx.data.get("periods")
    if not periods:
        return
    period = periods[PeriodKind.HALF_YEAR]
    if getattr(AgencyReport, "all_objects", AgencyReport.objects).filter(period=period).exists():
        ctx.say("  Kỳ báo cáo đã có báo cáo của cơ quan: giữ nguyên.")
        return
    staff = _Request(ctx.users.get("dost_staff"))
    made = 0
    for code, state, text in DEMO_REPORTS:
        agency = Agency.objects.filter(code=code).first()
        if agency is None or AgencyReport.objects.filter(period=period, agency=agency).exists():
            continue
        # The agency's own focal point acts for it (history shows who of that agency did what).
        agency_request = _Request(_focal_point(agency))
        report = services.open_report(agency_request, period, agency)
        made += 1
        if state == "draft":
            continue
        progress = {p.task_id: {"status": TaskStatus.IN_PROGRESS if i else TaskStatus.DONE, "percent": 60 if i else 100,
                                "done": text} for i, p in enumerate(report.progress.all())}
        fields = {"summary": text, "document_number": f"{10 + made}/BC-{code}",
                  "document_date": period.cutoff, "signer": f"Giám đốc {agency.name}"}
        # Indicator data: last year's value of the (synthetic) demo panel, up 10 %, marked as a sample.
        raw = fx.analysis(ctx.province, period.plan.base_year).raw
        values = {v.indicator: {"value": round(raw[v.indicator] * 1.1, 4), "source": "Số liệu mẫu (mô phỏng)", "note": ""}
                  for v in report.values.all() if raw.get(v.indicator) is not None}
        report = services.save_report(agency_request, report, fields, progress, values, report.version)
        evidence = Evidence(report=report, original_name=f"Báo cáo 6 tháng {agency.name}.pdf", content_type="application/pdf",
                            size=len(DEMO_PDF), sha256="", document_number=fields["document_number"],
                            document_date=period.cutoff, issuer=agency.name, uploaded_by=agency_request.user)
        evidence.file.save("demo.pdf", ContentFile(DEMO_PDF), save=False)
        evidence.save()
        record(agency_request, "evidence_upload", evidence, after=snapshot(evidence, services.EVIDENCE_FIELDS))
        report = services.submit_report(agency_request, report, report.version)
        if state == "accepted":
            services.review_report(staff, report, True, "Báo cáo đầy đủ, đúng hạn.", report.version)
        elif state == "returned":
            services.review_report(staff, report, False, "Đề nghị bổ sung minh chứng kết quả thi và số liệu chỉ số 2.1.1.",
                                   report.version)
    ctx.say(f"  {made} báo cáo của cơ quan (đã chấp nhận, chờ duyệt, bị trả lại, đang soạn).")


def load_models(ctx: DemoContext) -> None:
    from piiplan.web.accounts.models import Agency
    from piiplan.web.plan.models import ExemplaryModel, ModelStatus

    items = [
        ("SKHCN", "Nền tảng số kết nối cung – cầu công nghệ tỉnh Lạng Sơn (MẪU)", "digital", ModelStatus.PUBLISHED,
         "Sàn giao dịch công nghệ trực tuyến giúp doanh nghiệp tìm giải pháp và chuyên gia."),
        ("SNNMT", "Chuỗi liên kết sản phẩm OCOP hồi Lạng Sơn (MẪU)", "innovation", ModelStatus.PUBLISHED,
         "Hợp tác xã áp dụng truy xuất nguồn gốc và nhãn hiệu chứng nhận cho hoa hồi."),
        ("STC", "Vườn ươm khởi nghiệp sinh viên (MẪU)", "startup", ModelStatus.PROPOSED,
         "Hỗ trợ nhóm khởi nghiệp sinh viên hoàn thiện ý tưởng và gọi vốn."),
    ]
    if ExemplaryModel.objects.exists():
        ctx.say("  Đã có mô hình tiêu biểu: giữ nguyên.")
        return
    for code, title, category, status, summary in items:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            continue
        ExemplaryModel.objects.create(
            title=title, agency=agency, category=category, year=2026, summary=summary, status=status,
            location=ctx.province,
            published_at=timezone.make_aware(datetime.combine(date(2026, 6, 30), time(9)))
            if status == ModelStatus.PUBLISHED else None)
    ctx.say(f"  {len(items)} mô hình tiêu biểu mẫu.")


STEPS = [
    DemoStep("plan.plan", "Kế hoạch mẫu và phụ lục nhiệm vụ", load_plan),
    DemoStep("plan.periods", "Kỳ báo cáo 6 tháng và năm", load_periods),
    DemoStep("plan.reports", "Báo cáo mẫu của các cơ quan", load_reports),
    DemoStep("plan.models", "Mô hình tiêu biểu mẫu", load_models),
]

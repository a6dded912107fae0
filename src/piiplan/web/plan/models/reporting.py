"""Reporting periods, agency reports (progress, indicator data), evidence files."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q

from piiplan.web.accounts.models import Agency
from piiplan.web.audit.models import SoftDeleteModel
from piiplan.web.plan.models.plan import Plan, Task, TaskStatus
from piiplan.web.plan.models.scopes import members_read_staff_write, staff_or_own


class PeriodKind(models.TextChoices):
    HALF_YEAR = "half_year", "Báo cáo 6 tháng"
    YEAR = "year", "Báo cáo năm"
    AD_HOC = "ad_hoc", "Báo cáo đột xuất"


# Cut-off and deadline of the report to the UBND (Nghị định 09/2019: the 6-month period ends 14/6,
# the year 14/12; the plan asks the DoST to report before 25/6 and 25/12).
CALENDAR = {
    PeriodKind.HALF_YEAR: ((6, 14), (6, 25)),
    PeriodKind.YEAR: ((12, 14), (12, 25)),
}
# Agencies submit to the DoST a few days after the cut-off unless the DoST sets another date.
AGENCY_DAYS_AFTER_CUTOFF = 3


def default_dates(kind: str, year: int) -> dict[str, date]:
    (cm, cd), (um, ud) = CALENDAR[PeriodKind(kind)]
    cutoff = date(year, cm, cd)
    return {
        "cutoff": cutoff,
        "agency_deadline": cutoff + timedelta(days=AGENCY_DAYS_AFTER_CUTOFF),
        "ubnd_deadline": date(year, um, ud),
    }


def default_title(kind: str, year: int) -> str:
    if kind == PeriodKind.HALF_YEAR:
        return f"Báo cáo 6 tháng đầu năm {year}"
    if kind == PeriodKind.YEAR:
        return f"Báo cáo năm {year}"
    return f"Báo cáo đột xuất năm {year}"


class ReportingPeriod(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="periods", verbose_name="kế hoạch")
    kind = models.CharField("loại kỳ báo cáo", max_length=16, choices=PeriodKind.choices)
    year = models.PositiveIntegerField("năm")
    title = models.CharField("tên kỳ báo cáo", max_length=200)
    cutoff = models.DateField("ngày chốt số liệu")
    agency_deadline = models.DateField("hạn cơ quan gửi báo cáo cho Sở KH&CN")
    ubnd_deadline = models.DateField("hạn Sở KH&CN báo cáo UBND tỉnh", null=True, blank=True)
    request = models.TextField("nội dung yêu cầu", blank=True)
    agencies = models.ManyToManyField(
        Agency, verbose_name="cơ quan phải báo cáo", blank=True, related_name="+",
        help_text="Để trống: mọi cơ quan chủ trì nhiệm vụ của kế hoạch.",
    )
    closed = models.BooleanField("đã đóng", default=False)
    # Optimistic locking (piiplan.web.versioning): every save bumps it; a stale save is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-agency_deadline", "-id"]
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"

    def __str__(self) -> str:
        return self.title

    @classmethod
    def access_scope(cls, queryset, user, role, write):
        return members_read_staff_write(queryset, user, role, write)

    def expected_agencies(self):
        """Agencies that must report: those chosen for the period, else every lead agency of the plan."""
        chosen = self.agencies.all()
        if chosen.exists():
            return chosen.order_by("kind", "name")
        ids = Task.objects.filter(plan=self.plan).values_list("lead_agency_id", flat=True)
        return Agency.all_objects.filter(pk__in=ids).order_by("kind", "name")

    def status_date(self, on: date | None = None) -> date:
        """The date task statuses of this period are evaluated at: its cut-off once passed, else today
        (a report drafted before the cut-off shows the situation so far)."""
        from piiplan.web.plan.models.plan import today

        return min(on or today(), self.cutoff)

    def expects(self, agency) -> bool:
        return self.expected_agencies().filter(pk=agency.pk).exists()


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    SUBMITTED = "submitted", "Đã gửi, chờ duyệt"
    RETURNED = "returned", "Bị trả lại"
    ACCEPTED = "accepted", "Đã chấp nhận"


EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class AgencyReport(models.Model):
    """One agency's report for one period: draft → submitted → accepted (locked) or returned."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reports", verbose_name="kỳ báo cáo")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="plan_reports", verbose_name="cơ quan")
    status = models.CharField("trạng thái", max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    summary = models.TextField("kết quả chung, khó khăn, vướng mắc", blank=True)
    proposals = models.TextField("đề xuất, kiến nghị", blank=True)
    document_number = models.CharField("số văn bản", max_length=60, blank=True)
    document_date = models.DateField("ngày văn bản", null=True, blank=True)
    signer = models.CharField("người ký / cơ quan ban hành", max_length=200, blank=True)
    submitted_at = models.DateTimeField("thời điểm gửi", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField("thời điểm duyệt", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    review_comment = models.TextField("ý kiến của Sở KH&CN", blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    AGENCY_SCOPE = ("agency",)

    class Meta:
        ordering = ["period", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["period", "agency"], name="plan_report_unique")]
        verbose_name = "báo cáo của cơ quan"
        verbose_name_plural = "báo cáo của cơ quan"

    def __str__(self) -> str:
        return f"{self.period.title} — {self.agency.name}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def locked(self) -> bool:
        return self.status == ReportStatus.ACCEPTED


class TaskProgress(models.Model):
    report = models.ForeignKey(AgencyReport, on_delete=models.CASCADE, related_name="progress")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress_reports")
    status = models.CharField("trạng thái", max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    done = models.TextField("kết quả thực hiện", blank=True)
    percent = models.PositiveSmallIntegerField("tiến độ (%)", default=0)

    AGENCY_SCOPE = ("report__agency",)

    class Meta:
        ordering = ["report", "task__number"]
        constraints = [models.UniqueConstraint(fields=["report", "task"], name="plan_progress_unique")]


class IndicatorValue(models.Model):
    report = models.ForeignKey(AgencyReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.CharField("mã chỉ số", max_length=20)
    value = models.FloatField("giá trị", null=True, blank=True)
    source = models.CharField("nguồn số liệu", max_length=300, blank=True)
    note = models.CharField("ghi chú", max_length=500, blank=True)
    # Written by a data template import: a corrected template replaces (and clears) these rows.
    from_template = models.BooleanField("nhập từ biểu mẫu", default=False)

    AGENCY_SCOPE = ("report__agency",)

    class Meta:
        ordering = ["report", "indicator"]
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="plan_value_unique")]


def evidence_path(instance, filename: str) -> str:
    # The stored name is random: the uploader's name is kept only for display (original_name).
    suffix = PurePath(filename).suffix.lower()
    return f"evidence/{instance.report.period.year}/{uuid.uuid4().hex}{suffix}"


class Evidence(SoftDeleteModel):
    report = models.ForeignKey(AgencyReport, on_delete=models.CASCADE, related_name="evidence", verbose_name="báo cáo")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence", verbose_name="nhiệm vụ")
    indicator = models.CharField("chỉ số", max_length=20, blank=True)
    file = models.FileField("tệp", upload_to=evidence_path, max_length=200)
    original_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("dung lượng (byte)")
    sha256 = models.CharField(max_length=64)
    document_number = models.CharField("số văn bản", max_length=60, blank=True)
    document_date = models.DateField("ngày văn bản", null=True, blank=True)
    issuer = models.CharField("cơ quan ban hành", max_length=200, blank=True)
    description = models.CharField("trích yếu", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    AGENCY_SCOPE = ("report__agency",)

    class Meta:
        ordering = ["report", "uploaded_at"]
        verbose_name = "tài liệu minh chứng"
        verbose_name_plural = "tài liệu minh chứng"

    def __str__(self) -> str:
        return self.original_name

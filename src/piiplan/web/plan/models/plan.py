"""The plan, its targets and its tasks (nhiệm vụ, giải pháp)."""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from piiplan.web.accounts.models import Agency, AgencyKind, Role
from piiplan.web.audit.models import SoftDeleteModel
from piiplan.web.plan.models.scopes import members_read_staff_write, staff_or_own


def today() -> date:
    return timezone.localdate()


class Plan(SoftDeleteModel):
    """A plan such as "Kế hoạch cải thiện và nâng cao Chỉ số PII tỉnh Lạng Sơn năm 2026"."""

    title = models.CharField("tên kế hoạch", max_length=300)
    number = models.CharField("số, ký hiệu", max_length=60, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    province = models.CharField("tỉnh", max_length=100)
    framework = models.CharField("bộ chỉ số", max_length=40, default="pii-2025")
    year = models.PositiveIntegerField("năm mục tiêu")
    base_year = models.PositiveIntegerField("năm gốc")
    base_rank = models.PositiveIntegerField("hạng năm gốc")
    rank_gain = models.PositiveIntegerField("số bậc phấn đấu tăng", default=0)
    base_score = models.FloatField("điểm năm gốc", null=True, blank=True)
    score_above_base = models.BooleanField("điểm số cao hơn năm gốc", default=True)
    note = models.TextField("ghi chú", blank=True)
    is_sample = models.BooleanField("dữ liệu mẫu", default=False)
    # Optimistic locking (piiplan.web.versioning): every save bumps it; a stale save is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"

    def __str__(self) -> str:
        return self.title

    @classmethod
    def access_scope(cls, queryset, user, role, write):
        return members_read_staff_write(queryset, user, role, write)

    @property
    def target_rank(self) -> int:
        return max(1, self.base_rank - self.rank_gain)

    @property
    def target_text(self) -> str:
        text = (
            f"Năm {self.year} tăng {self.rank_gain:02d} bậc so với năm {self.base_year} "
            f"(từ hạng {self.base_rank} lên hạng {self.target_rank})"
        )
        if self.score_above_base:
            text += f"; điểm số năm {self.year} cao hơn năm {self.base_year}"
        return text


class Goal(models.TextChoices):
    REACH_AVERAGE = "reach_average", "Đạt mức trung bình cả nước"
    STAY_ABOVE = "stay_above", "Duy trì trên mức trung bình cả nước"
    VALUE = "value", "Đạt giá trị"
    IMPROVE = "improve", "Cao hơn năm trước"


class Mark(models.TextChoices):
    NONE = "", "—"
    STRENGTH = "strength", "Điểm mạnh"
    WEAKNESS = "weakness", "Điểm yếu"


class IndicatorTarget(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets", verbose_name="kế hoạch")
    indicator = models.CharField("mã chỉ số", max_length=20)
    goal = models.CharField("chỉ tiêu", max_length=16, choices=Goal.choices, default=Goal.IMPROVE)
    target_value = models.FloatField("giá trị phấn đấu", null=True, blank=True)
    base_value = models.FloatField("giá trị năm gốc", null=True, blank=True)
    mark = models.CharField("đánh giá", max_length=10, choices=Mark.choices, blank=True, default="")
    data_agency = models.ForeignKey(
        Agency, verbose_name="cơ quan cung cấp số liệu", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    note = models.CharField("ghi chú", max_length=300, blank=True)
    # Optimistic locking (piiplan.web.versioning): every save bumps it; a stale save is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["plan", "indicator"]
        constraints = [models.UniqueConstraint(fields=["plan", "indicator"], name="plan_target_unique")]
        verbose_name = "chỉ tiêu chỉ số"

    def __str__(self) -> str:
        return f"{self.indicator}: {self.goal_text}"

    @classmethod
    def access_scope(cls, queryset, user, role, write):
        return members_read_staff_write(queryset, user, role, write)

    @property
    def goal_text(self) -> str:
        if self.goal == Goal.VALUE and self.target_value is not None:
            return f"Đạt giá trị {self.target_value:g}".replace(".", ",")
        return self.get_goal_display()


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Hoàn thành"


OVERDUE = "overdue"
STATUS_LABELS = {**dict(TaskStatus.choices), OVERDUE: "Quá hạn"}


def computed_status(status: str, deadline: date | None, on: date) -> str:
    """The status shown everywhere (dashboard, report pages, documents): ``status`` (stored or reported),
    or "overdue" when the fixed ``deadline`` had passed on ``on`` and the task was not done."""
    if status != TaskStatus.DONE and deadline is not None and deadline < on:
        return OVERDUE
    return status


class Recurrence(models.TextChoices):
    NONE = "", "Không lặp lại"
    CONTINUOUS = "continuous", "Thường xuyên"
    YEARLY = "yearly", "Hằng năm"
    HALF_YEARLY = "half_yearly", "6 tháng/lần"
    QUARTERLY = "quarterly", "Hằng quý"
    MONTHLY = "monthly", "Hằng tháng"


def next_due(recurrence: str, on: date) -> date | None:
    """The next due date (≥ ``on``) of a recurring task; half-yearly follows the report cut-offs 14/6, 14/12."""
    if recurrence == Recurrence.MONTHLY:
        return date(on.year, on.month, calendar.monthrange(on.year, on.month)[1])
    if recurrence == Recurrence.QUARTERLY:
        month = ((on.month - 1) // 3 + 1) * 3
        return date(on.year, month, calendar.monthrange(on.year, month)[1])
    if recurrence == Recurrence.HALF_YEARLY:
        for candidate in (date(on.year, 6, 14), date(on.year, 12, 14)):
            if candidate >= on:
                return candidate
        return date(on.year + 1, 6, 14)
    if recurrence == Recurrence.YEARLY:
        return date(on.year, 12, 31)
    return None


class Task(SoftDeleteModel):
    """One task or solution of the plan appendix. Exactly one lead agency (a required foreign key)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name="kế hoạch")
    number = models.PositiveIntegerField("STT")
    indicators = models.JSONField("chỉ số", default=list, blank=True)  # codes, e.g. ["1.2.1", "1.2.2"]
    content = models.TextField("nhiệm vụ, giải pháp")
    lead_agency = models.ForeignKey(
        Agency, verbose_name="cơ quan chủ trì", on_delete=models.PROTECT, related_name="led_tasks"
    )
    coordinating_agencies = models.ManyToManyField(
        Agency, verbose_name="cơ quan phối hợp", blank=True, related_name="coordinated_tasks"
    )
    all_communes = models.BooleanField("phối hợp: UBND các xã, phường", default=False)
    coordinating_other = models.CharField("cơ quan phối hợp khác", max_length=500, blank=True)
    output = models.TextField("sản phẩm", blank=True)
    deadline = models.DateField("thời hạn", null=True, blank=True)
    recurrence = models.CharField("định kỳ", max_length=16, choices=Recurrence.choices, blank=True, default="")
    status = models.CharField("trạng thái", max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    percent = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    status_note = models.TextField("ghi chú tiến độ", blank=True)
    # Optimistic locking: every save through services.save_task bumps it; a stale save is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "number", "id"]
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ, giải pháp"

    def __str__(self) -> str:
        return f"{self.number}. {self.content[:80]}"

    @classmethod
    def access_scope(cls, queryset, user, role, write):
        def condition(user):
            q = Q(lead_agency_id=user.agency_id)
            if not write:
                # Coordinating agencies see the task; only the lead agency changes it.
                q |= Q(coordinating_agencies=user.agency_id)
                if user.agency.kind == AgencyKind.COMMUNE:
                    q |= Q(all_communes=True)
            return q

        return staff_or_own(queryset, user, role, write, condition)

    def due_date(self, on: date | None = None) -> date | None:
        """The deadline, or the next due date of a recurring task."""
        if self.deadline is not None:
            return self.deadline
        return next_due(self.recurrence, on or today())

    def effective_status(self, on: date | None = None) -> str:
        """Stored status, or "overdue" when a fixed deadline has passed and the task is not done."""
        return computed_status(self.status, self.deadline, on or today())

    def status_label(self, on: date | None = None) -> str:
        return STATUS_LABELS[self.effective_status(on)]

    @property
    def timing_text(self) -> str:
        if self.recurrence:
            return self.get_recurrence_display()
        return self.deadline.strftime("%d/%m/%Y") if self.deadline else ""

    def coordinating_names(self) -> list[str]:
        names = [agency.name for agency in self.coordinating_agencies.all()]
        if self.all_communes:
            names.append(ALL_COMMUNES_LABEL)
        if self.coordinating_other:
            names.extend(part.strip() for part in self.coordinating_other.split(";") if part.strip())
        return names

    def is_lead(self, user) -> bool:
        return user.role == Role.AGENCY and user.agency_id == self.lead_agency_id


ALL_COMMUNES_LABEL = "UBND các xã, phường"

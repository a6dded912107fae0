"""What the DoST's documents are made of beyond the plan's records: the issuing organisation (one row
per province, edited by the DoST admin), the narrative sections of a period's report to the UBND
(written in the composer) and the frozen data of a closed period."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from piiplan.web.plan.models.reporting import ReportingPeriod
from piiplan.web.plan.models.scopes import members_read_staff_write


class IssuingOrganisation(models.Model):
    """The fields of :class:`piiplan.reports.organisation.Organisation`, stored per province."""

    province = models.CharField("tỉnh, thành phố", max_length=100, unique=True)
    superior = models.CharField("cơ quan cấp trên", max_length=200)
    name = models.CharField("tên cơ quan ban hành", max_length=200)
    name_in_text = models.CharField("tên cơ quan trong câu văn", max_length=200, blank=True)
    symbol = models.CharField("chữ viết tắt trong số, ký hiệu", max_length=40)
    place = models.CharField("địa danh", max_length=100)
    signer_form = models.CharField("hình thức ký", max_length=4, blank=True, default="KT")
    head_title = models.CharField("chức vụ người đứng đầu", max_length=100, default="GIÁM ĐỐC")
    signer_title = models.CharField("chức vụ người ký", max_length=100, default="PHÓ GIÁM ĐỐC")
    signer_name = models.CharField("họ và tên người ký", max_length=100, blank=True)
    drafting_unit = models.CharField("đơn vị soạn thảo", max_length=40, default="QLKH")
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    FIELDS = ["province", "superior", "name", "name_in_text", "symbol", "place", "signer_form", "head_title",
              "signer_title", "signer_name", "drafting_unit"]

    class Meta:
        verbose_name = "cơ quan ban hành văn bản"
        verbose_name_plural = "cơ quan ban hành văn bản"

    def __str__(self) -> str:
        return f"{self.name} ({self.province})"

    @classmethod
    def access_scope(cls, queryset, user, role, write):
        return members_read_staff_write(queryset, user, role, write)


class ReportSection(models.Model):
    """One narrative section (I.1, I.2, III.1 …) of a period's report, as the DoST staff wrote it."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="sections",
                               verbose_name="kỳ báo cáo")
    key = models.CharField("mục", max_length=32)
    text = models.TextField("nội dung")
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["period", "key"]
        constraints = [models.UniqueConstraint(fields=["period", "key"], name="plan_section_unique")]
        verbose_name = "mục báo cáo"
        verbose_name_plural = "mục báo cáo"

    def __str__(self) -> str:
        return f"{self.period.title} — {self.key}"

    @classmethod
    def access_scope(cls, queryset, user, role, write):
        return members_read_staff_write(queryset, user, role, write)


class PeriodSnapshot(models.Model):
    """The data of a period's report frozen when the period was closed: scores, ranks, indicator values,
    task states and evidence as they stood (JSON of ``piiplan.reports.model.HalfYearReport``)."""

    period = models.OneToOneField(ReportingPeriod, on_delete=models.CASCADE, related_name="snapshot")
    data = models.JSONField()
    data_label = models.CharField("bộ dữ liệu", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = "số liệu chốt của kỳ báo cáo"

    @classmethod
    def access_scope(cls, queryset, user, role, write):
        return members_read_staff_write(queryset, user, role, write)

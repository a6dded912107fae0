"""Stored around the realistic target plans (issue 10): background jobs, staff edits of the lever model and
of the data calendar. The shipped lever table and calendar (src/piiplan/data/levers) stay the defaults;
a row here replaces one indicator's (or one edition's) values, and every change is audited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from piiplan.web.ops.models import JobStatus  # noqa: F401 (re-exported: indexdata.models.JobStatus)


class AnalysisJob(models.Model):
    """One background computation (a realistic target plan) and its result, run by a django-tasks worker."""

    kind = models.CharField("loại", max_length=20, default="target")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người tạo", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    key = models.CharField("khoá tham số", max_length=64, db_index=True)   # data fingerprint + parameters
    params = models.JSONField("tham số", default=dict)
    status = models.CharField("trạng thái", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.FloatField("tiến độ", default=0.0)
    stage = models.CharField("bước", max_length=200, blank=True)
    result = models.JSONField("kết quả", null=True, blank=True)
    error = models.TextField("lỗi", blank=True)
    task_id = models.CharField("mã tác vụ", max_length=64, blank=True)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "tác vụ phân tích"

    def __str__(self) -> str:
        p = self.params
        return f"{p.get('unit', '')} → hạng {p.get('target_rank', '')} ({self.get_status_display()})"


class LeverSetting(models.Model):
    """A staff edit of one indicator's lever model (replaces the shipped row)."""

    code = models.CharField("mã chỉ số", max_length=20, unique=True)
    kind = models.CharField("loại số liệu", max_length=20)
    lever_class = models.CharField("nhóm đòn bẩy", max_length=20)
    data_lag = models.PositiveSmallIntegerField("độ trễ số liệu (năm)")
    scale_min = models.FloatField("thang tối thiểu", null=True, blank=True)
    scale_max = models.FloatField("thang tối đa", null=True, blank=True)
    basis = models.CharField("căn cứ", max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "mô hình đòn bẩy chỉ số"

    def __str__(self) -> str:
        return f"{self.code}: {self.kind}, {self.lever_class}"


class EditionSetting(models.Model):
    """The day the Ministry's collection of one edition closes (replaces the shipped calendar's entry)."""

    edition = models.PositiveIntegerField("kỳ công bố", unique=True)
    collection_closes = models.DateField("ngày đóng thu thập số liệu")
    source = models.CharField("nguồn", max_length=300, blank=True)

    class Meta:
        ordering = ["edition"]
        verbose_name = "lịch thu thập số liệu"

    def __str__(self) -> str:
        return f"PII {self.edition}: {self.collection_closes:%d/%m/%Y}"

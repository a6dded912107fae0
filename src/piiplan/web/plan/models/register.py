"""Exemplary models (mô hình tiêu biểu): proposed by agencies, reviewed and published by the DoST."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from piiplan.web.accounts.models import Agency


class ModelCategory(models.TextChoices):
    INNOVATION = "innovation", "Đổi mới sáng tạo"
    STARTUP = "startup", "Khởi nghiệp"
    DIGITAL = "digital", "Chuyển đổi số"


class ModelStatus(models.TextChoices):
    PROPOSED = "proposed", "Đề xuất, chờ xem xét"
    RETURNED = "returned", "Trả lại để bổ sung"
    PUBLISHED = "published", "Đã công bố"


class ExemplaryModel(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="exemplary_models", verbose_name="cơ quan đề xuất")
    title = models.CharField("tên mô hình", max_length=250)
    category = models.CharField("lĩnh vực", max_length=16, choices=ModelCategory.choices)
    location = models.CharField("địa bàn, đơn vị thực hiện", max_length=250, blank=True)
    year = models.PositiveIntegerField("năm")
    summary = models.TextField("mô tả")
    results = models.TextField("kết quả, hiệu quả", blank=True)
    replication = models.TextField("khả năng nhân rộng", blank=True)
    status = models.CharField("trạng thái", max_length=16, choices=ModelStatus.choices, default=ModelStatus.PROPOSED)
    review_comment = models.TextField("ý kiến của Sở KH&CN", blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField("ngày công bố", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    AGENCY_SCOPE = ("agency",)
    PUBLIC_FILTER = {"status": ModelStatus.PUBLISHED}

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = "mô hình tiêu biểu"
        verbose_name_plural = "mô hình tiêu biểu"

    def __str__(self) -> str:
        return self.title

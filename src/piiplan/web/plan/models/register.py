"""Exemplary models (mô hình tiêu biểu): proposed by agencies, reviewed and published by the DoST."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from piiplan.web.accounts.access import WRITE_ALL
from piiplan.web.accounts.models import Agency, Role
from piiplan.web.plan.models.scopes import staff_or_own


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
    # Optimistic locking (piiplan.web.versioning): every save bumps it; a stale save is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    AGENCY_SCOPE = ("agency",)
    PUBLIC_FILTER = {"status": ModelStatus.PUBLISHED}

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = "mô hình tiêu biểu"
        verbose_name_plural = "mô hình tiêu biểu"

    def __str__(self) -> str:
        return self.title

    @classmethod
    def access_scope(cls, queryset, user, role, write):
        """Published models are public (the register lists them): every agency reads them; an agency
        reads and changes its own proposals; anonymous visitors see only published ones."""
        if role not in (*WRITE_ALL, Role.LEADER, Role.AGENCY):
            return queryset.none() if write else queryset.filter(**cls.PUBLIC_FILTER)

        def condition(user):
            q = Q(agency_id=user.agency_id)
            if not write:
                q |= Q(**cls.PUBLIC_FILTER)
            return q

        return staff_or_own(queryset, user, role, write, condition)

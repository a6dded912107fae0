"""What people create around the index: framework and dataset versions, imports, scenarios.

Values are stored as text (the engine's own CSV layouts) rather than one row per cell: a version is
always read and written whole, a 34 × 52 × 3 panel is ~200 kB of text, and text columns behave the
same on SQLite and PostgreSQL. Derived scores are never stored (``service.results`` rebuilds them).
"""

from __future__ import annotations

import hashlib
import io

import pandas as pd
from django.conf import settings
from django.db import models
from django.utils import timezone

from piiplan.web.audit.models import SoftDeleteModel


def text_hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:16]


class FrameworkVersion(models.Model):
    """One imported framework (the tree of codes, names, weights, directions)."""

    name = models.CharField("tên", max_length=200)
    source_name = models.CharField("tệp nguồn", max_length=255, blank=True)
    nodes_csv = models.TextField("bảng nút (CSV)")
    fingerprint = models.CharField("dấu vân tay", max_length=32, db_index=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người nhập", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    at = models.DateTimeField("thời điểm", default=timezone.now)
    active = models.BooleanField("đang dùng", default=False)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "phiên bản khung chỉ số"
        verbose_name_plural = "phiên bản khung chỉ số"
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=models.Q(active=True),
                                    name="indexdata_one_active_framework"),
        ]

    def __str__(self) -> str:
        return f"Khung {self.name} (#{self.pk})"

    def framework(self):
        from piiplan.engine import Framework

        return Framework.from_frame(pd.read_csv(io.StringIO(self.nodes_csv), dtype=str, keep_default_na=False),
                                    name=self.name)


class DatasetVersion(SoftDeleteModel):
    """One complete dataset (every unit × indicator × year value), as imported or merged."""

    framework = models.ForeignKey(FrameworkVersion, verbose_name="khung chỉ số", on_delete=models.PROTECT,
                                  related_name="datasets")
    name = models.CharField("tên", max_length=200)
    source_name = models.CharField("tệp nguồn", max_length=255, blank=True)
    values_csv = models.TextField("số liệu (CSV dạng dài)")
    units_csv = models.TextField("đơn vị (CSV)")
    denominators_csv = models.TextField("mẫu số (CSV)", blank=True)
    content_hash = models.CharField("mã nội dung", max_length=32, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người nhập", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    at = models.DateTimeField("thời điểm", default=timezone.now)
    n_units = models.PositiveIntegerField("số đơn vị", default=0)
    n_indicators = models.PositiveIntegerField("số chỉ số", default=0)
    n_years = models.PositiveIntegerField("số năm", default=0)
    n_values = models.PositiveIntegerField("số ô có giá trị", default=0)
    years = models.CharField("các năm", max_length=200, blank=True)
    active = models.BooleanField("đang dùng", default=False)
    synthetic = models.BooleanField("dữ liệu mô phỏng", default=False)
    published = models.BooleanField("công bố cho công chúng", default=False)
    copied_from = models.ForeignKey("self", verbose_name="sao chép từ phiên bản", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    note = models.TextField("ghi chú", blank=True)

    # The public (and the JSON API for visitors) sees published versions only.
    PUBLIC_FILTER = {"published": True}

    @classmethod
    def access_scope(cls, queryset, user, role, write):
        """DoST staff see and change all; leaders see all; agencies and visitors see published
        versions (the results everyone may read); only DoST staff change anything."""
        from django.core.exceptions import PermissionDenied

        from piiplan.web.accounts.access import SEE_ALL, WRITE_ALL

        if write:
            if role in WRITE_ALL:
                return queryset
            raise PermissionDenied("Chỉ cán bộ Sở KH&CN được thay đổi phiên bản dữ liệu.")
        if role in SEE_ALL:
            return queryset
        return queryset.filter(**cls.PUBLIC_FILTER)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "phiên bản dữ liệu"
        verbose_name_plural = "phiên bản dữ liệu"
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=models.Q(active=True),
                                    name="indexdata_one_active_dataset"),
            # At most one version is public: a database rule, on SQLite and PostgreSQL alike.
            models.UniqueConstraint(fields=["published"], condition=models.Q(published=True),
                                    name="indexdata_one_published_dataset"),
        ]

    def __str__(self) -> str:
        return f"Dữ liệu {self.name} (#{self.pk})"

    def dataset(self):
        from piiplan.engine import Dataset

        values = pd.read_csv(io.StringIO(self.values_csv),
                             dtype={"unit": str, "indicator": str, "year": int, "value": float})
        units = pd.read_csv(io.StringIO(self.units_csv), dtype=str, keep_default_na=False).set_index("unit")
        if self.denominators_csv.strip():
            dens = pd.read_csv(io.StringIO(self.denominators_csv),
                               dtype={"unit": str, "name": str, "year": int, "value": float})
        else:
            dens = pd.DataFrame(columns=["unit", "name", "year", "value"])
        return Dataset(units, values, dens, source=self.source_name or self.name)

    @property
    def year_list(self) -> list[int]:
        return [int(y) for y in self.years.split(",") if y.strip()]


class ImportBatch(models.Model):
    """An uploaded file between preview and confirmation. Nothing is imported until it is confirmed."""

    class Kind(models.TextChoices):
        DATASET = "dataset", "Bộ dữ liệu"
        FRAMEWORK = "framework", "Khung chỉ số"
        AGENCY_TEMPLATE = "agency_template", "Biểu mẫu số liệu của cơ quan"

    class Status(models.TextChoices):
        DRAFT = "draft", "Chờ xác nhận"
        CONFIRMED = "confirmed", "Đã nhập"
        REJECTED = "rejected", "Không nhập"

    # Older batches kept the upload under MEDIA_ROOT; new ones keep a clean preview's bytes in
    # ``content`` until it is confirmed or cancelled, so no import ever leaves a file behind.
    file = models.FileField("tệp", upload_to="imports/%Y/%m/", blank=True)
    content = models.BinaryField("nội dung tệp chờ xác nhận", null=True, blank=True, editable=False)
    original_name = models.CharField("tên tệp", max_length=255)
    size = models.PositiveBigIntegerField("kích thước (byte)", default=0)
    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    status = models.CharField("trạng thái", max_length=16, choices=Status.choices, default=Status.DRAFT)
    problems = models.JSONField("lỗi", default=list, blank=True)
    summary = models.JSONField("tóm tắt thay đổi", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người tải lên", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    at = models.DateTimeField("thời điểm", default=timezone.now)
    base_dataset = models.ForeignKey(DatasetVersion, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="so với phiên bản")
    dataset = models.ForeignKey(DatasetVersion, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name="phiên bản dữ liệu tạo ra")
    framework = models.ForeignKey(FrameworkVersion, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="phiên bản khung tạo ra")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "lượt nhập dữ liệu"
        verbose_name_plural = "lượt nhập dữ liệu"

    def __str__(self) -> str:
        return f"Nhập {self.original_name} (#{self.pk})"


class Scenario(SoftDeleteModel):
    """A saved what-if: raw-value edits on one dataset version and year, plus optimiser settings."""

    name = models.CharField("tên kịch bản", max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người tạo", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    dataset = models.ForeignKey(DatasetVersion, verbose_name="dữ liệu gốc", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="scenarios")
    year = models.PositiveIntegerField("năm")
    unit = models.CharField("tỉnh", max_length=100)
    edits = models.JSONField("thay đổi {tỉnh: {mã: giá trị}}", default=dict, blank=True)
    optimiser = models.JSONField("thiết lập tối ưu", default=dict, blank=True)
    note = models.TextField("ghi chú", blank=True)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)  # optimistic lock (stale saves refused)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = "kịch bản"
        verbose_name_plural = "kịch bản"

    def __str__(self) -> str:
        return f"Kịch bản {self.name}"

# Realistic target plans (issue 10): background jobs, lever model and calendar edits.
from piiplan.web.indexdata.plan_models import AnalysisJob, EditionSetting, JobStatus, LeverSetting  # noqa: E402,F401

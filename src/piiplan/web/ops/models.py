"""PDF copies of documents, converted by the background worker (LibreOffice takes seconds: no request waits).

One row per source content (``key``: the content hash of the DOCX/XLSX, as ``documents.content_hash``): the
same document asked for again is served from here without starting LibreOffice; a failed conversion is
retried the next time it is asked for.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class JobStatus(models.TextChoices):
    """The states of every background job (PDF copies here, target plans in ``indexdata``)."""

    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang xử lý"
    DONE = "done", "Xong"
    FAILED = "failed", "Lỗi"


class PdfCopy(models.Model):
    key = models.CharField("khoá nội dung", max_length=80, unique=True)
    filename = models.CharField("tên tệp PDF", max_length=200)
    # Who may fetch the copy: access policies (accounts.access), e.g. "public" or "staff,leader".
    policies = models.CharField("quyền xem", max_length=100)
    back = models.CharField("trang gốc", max_length=500, blank=True)
    source = models.BinaryField("tệp gốc", blank=True, default=b"")   # emptied once converted
    source_name = models.CharField("tên tệp gốc", max_length=200)
    pdf = models.BinaryField("bản PDF", null=True, blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    error = models.TextField("lỗi", blank=True)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "bản PDF"

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def policy_list(self) -> tuple[str, ...]:
        return tuple(p for p in self.policies.split(",") if p)

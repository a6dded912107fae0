"""PDF copies in the background: ask (:func:`request_copy`), convert (:func:`convert_copy`, a django-tasks task
run by ``manage.py db_worker``), serve (:func:`respond`). The pages' "Bản PDF" buttons go through
:func:`piiplan.web.documents.pdf_response`, which answers at once when the copy exists and otherwise sends
the reader to a page that waits for it (it reloads itself, no JavaScript needed)."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from piiplan.web.ops.models import PdfCopy, JobStatus

log = logging.getLogger(__name__)


def request_copy(key: str, body: bytes, source_name: str, filename: str, policies: tuple[str, ...],
                 back: str = "") -> PdfCopy:
    """The copy of ``body`` (a DOCX/XLSX named ``source_name``; ``key``: its content hash): existing, or
    queued now. A failed copy is queued again (LibreOffice may have been installed since)."""
    copy = PdfCopy.objects.filter(key=key).first()
    if copy is None:
        try:
            with transaction.atomic():
                copy = PdfCopy.objects.create(key=key, filename=filename, policies=",".join(policies), back=back[:500],
                                              source=body, source_name=source_name)
        except IntegrityError:            # asked twice at the same moment: the other request queued it
            return PdfCopy.objects.get(key=key)
    elif copy.status == JobStatus.FAILED:
        PdfCopy.objects.filter(pk=copy.pk).update(status=JobStatus.QUEUED, error="", source=body)
    else:
        return copy
    convert_copy.enqueue(copy.pk)
    return PdfCopy.objects.get(pk=copy.pk)


@task()
def convert_copy(pk: int) -> None:
    """The worker's entry point: LibreOffice, then the PDF or a Vietnamese error in the row; never raises."""
    from piiplan.reports import ReportError
    from piiplan.reports.pdf import to_pdf

    copy = PdfCopy.objects.filter(pk=pk).first()
    if copy is None or copy.status == JobStatus.DONE:
        return
    PdfCopy.objects.filter(pk=pk).update(status=JobStatus.RUNNING)
    try:
        with tempfile.TemporaryDirectory(prefix="piiplan-pdf-") as folder:
            source = Path(folder) / copy.source_name
            source.write_bytes(bytes(copy.source))
            pdf = to_pdf(source, Path(folder) / "pdf").read_bytes()
    except ReportError as exc:
        PdfCopy.objects.filter(pk=pk).update(status=JobStatus.FAILED, error=str(exc)[:2000],
                                             finished_at=timezone.now())
        return
    except Exception:  # a bug must not leave the page waiting forever
        log.exception("PDF copy %s failed", pk)
        PdfCopy.objects.filter(pk=pk).update(status=JobStatus.FAILED, finished_at=timezone.now(),
                                             error="Lỗi khi chuyển sang PDF; đã ghi nhật ký hệ thống.")
        return
    PdfCopy.objects.filter(pk=pk).update(status=JobStatus.DONE, pdf=pdf, source=b"", error="",
                                         finished_at=timezone.now())

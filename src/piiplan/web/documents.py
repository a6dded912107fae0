"""Official documents as downloads: ``piiplan.reports`` writers turned into HTTP responses.

Every app that offers a DOCX, PDF or XLSX goes through here, so file names, content types, the
issuing body printed on documents (``organisation()``) and the PDF conversion (LibreOffice, which may be
missing on a workstation) behave the same everywhere. The writers take plain data and a path; this
module runs them in a temporary folder and returns the bytes.

PDF copies take LibreOffice a few seconds, so no request converts: :func:`pdf_response` asks the background
worker (``piiplan.web.ops.pdf_jobs``) and serves the copy at once when this content was converted before (the
writers are deterministic: same content, same parts), else sends the reader to a page that waits for it.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
CONTENT_TYPES = {".docx": DOCX, ".xlsx": XLSX, ".pdf": PDF}



def organisation(province: str | None = None):
    """The issuing organisation of ``province`` (default: the workspace's, ``PIIPLAN_PROVINCE``): the row
    the DoST admin saved for it, else the defaults of the province file. Every document asks here."""
    from piiplan.reference import ReferenceDataError, resolve_province
    from piiplan.reports.organisation import Organisation, defaults
    from piiplan.web.plan.models import IssuingOrganisation

    name = str(province or settings.PIIPLAN_PROVINCE)
    try:
        name = resolve_province(name)
    except ReferenceDataError:  # a misconfigured PIIPLAN_PROVINCE: pages still render, documents say so
        known = False
    else:
        known = True
    row = IssuingOrganisation.objects.filter(province=name).first()
    if row is None:
        if not known:
            return Organisation(province=name, superior=f"UBND {name.upper()}", name="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
                                symbol="SKHCN", place=name)
        return defaults(name)
    return Organisation(**{f: getattr(row, f) for f in IssuingOrganisation.FIELDS})


def issuer():
    """The issuing body printed on documents (see :func:`organisation`)."""
    return organisation().issuer()


def signature():
    """The signature block of documents (see :func:`organisation`)."""
    return organisation().signature()


def written(write, data, filename: str, **options) -> bytes:
    """Run ``write(data, path, **options)`` in a temporary folder and return the file's bytes."""
    with tempfile.TemporaryDirectory(prefix="piiplan-doc-") as folder:
        path = write(data, Path(folder) / filename, **options)
        return Path(path).read_bytes()


def pdf_response(request, body: bytes, source_name: str, *, policies: tuple[str, ...], back: str = ""):
    """The PDF copy of a DOCX/XLSX (``body``, named ``source_name``) for the reader: the file when it exists,
    the Vietnamese reason when the conversion failed (LibreOffice missing), else a redirect to the page that
    waits for the background conversion. ``policies``: who may fetch the copy (those of the calling view)."""
    from django.shortcuts import redirect

    from piiplan.web.ops.models import JobStatus
    from piiplan.web.ops.pdf_jobs import request_copy

    key = f"{Path(source_name).suffix.lower().lstrip('.')}-{content_hash(body)}"
    copy = request_copy(key, body, source_name, str(Path(source_name).with_suffix(".pdf")), policies, back)
    if copy.status == JobStatus.DONE:
        return download(bytes(copy.pdf), copy.filename)
    if copy.status == JobStatus.FAILED:
        return failed(request, copy.error, back=back)
    return redirect("ops:pdf", key=copy.key)


def content_hash(body: bytes) -> str:
    """A hash of what a DOCX/XLSX holds: its parts' names and bytes, without the ZIP entries' time
    stamps (python-docx stamps every part with the time of saving, so equal documents written two
    seconds apart differ byte for byte). Other files hash as they are."""
    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                digest.update(info.filename.encode("utf-8") + b"\0")
                digest.update(archive.read(info) + b"\0")
    except zipfile.BadZipFile:
        return hashlib.sha256(body).hexdigest()
    return digest.hexdigest()


def download(body: bytes, filename: str) -> HttpResponse:
    """An attachment response; the content type follows the file name's suffix."""
    response = HttpResponse(body, content_type=CONTENT_TYPES.get(Path(filename).suffix.lower(),
                                                                 "application/octet-stream"))
    ascii_name = filename.encode("ascii", "replace").decode("ascii").replace("?", "_")
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return response


def failed(request, error, *, back: str = "", status: int = 503) -> HttpResponse:
    """A page saying why a document could not be produced (the DOCX, when there is one, still works)."""
    return render(request, "document_error.html", {"message": str(error), "back": back}, status=status)


def slug(text: str) -> str:
    """An ASCII file-name part: "Lạng Sơn" → "lang-son" (đ → d, which NFKD does not decompose)."""
    from django.utils.text import slugify

    return slugify(str(text).replace("đ", "d").replace("Đ", "D")) or "tep"

"""Official documents as downloads: ``piiplan.reports`` writers turned into HTTP responses.

Every app that offers a DOCX, PDF or XLSX goes through here, so file names, content types, the
issuing body printed on documents (``organisation()``) and the PDF conversion (LibreOffice, which may be
missing on a workstation) behave the same everywhere. The writers take plain data and a path; this
module runs them in a temporary folder and returns the bytes.

PDF copies take LibreOffice a few seconds; the writers are deterministic (same content, same parts),
so each PDF is converted once per source content and memoised in the process (a handful of files).
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import threading
import zipfile
from collections import OrderedDict
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
CONTENT_TYPES = {".docx": DOCX, ".xlsx": XLSX, ".pdf": PDF}

_PDF_MEMO_SIZE = 16
_pdf_lock = threading.Lock()
_pdf_memo: OrderedDict[tuple, bytes] = OrderedDict()


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


def pdf_of(body: bytes, filename: str) -> bytes:
    """The PDF copy of a DOCX/XLSX given as bytes (``filename`` names the source). Raises
    ``piiplan.reports.ReportError`` (Vietnamese) when LibreOffice is missing or fails.

    The writers produce the same parts for the same content, so the PDF is memoised by the hash of
    the source's content: a second download of an unchanged document does not start LibreOffice again."""
    from piiplan.reports.pdf import to_pdf

    key = (Path(filename).suffix.lower(), content_hash(body))
    with _pdf_lock:
        hit = _pdf_memo.get(key)
        if hit is not None:
            _pdf_memo.move_to_end(key)
            return hit
    with tempfile.TemporaryDirectory(prefix="piiplan-pdf-") as folder:
        source = Path(folder) / filename
        source.write_bytes(body)
        pdf = to_pdf(source, Path(folder) / "pdf").read_bytes()
    with _pdf_lock:
        _pdf_memo[key] = pdf
        while len(_pdf_memo) > _PDF_MEMO_SIZE:
            _pdf_memo.popitem(last=False)
    return pdf


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


def clear_memo() -> None:
    """Forget the memoised PDF copies (tests)."""
    with _pdf_lock:
        _pdf_memo.clear()


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

"""Evidence uploads: allowed types, size limit, content sniffing, safe display names.

A file is accepted only if its extension is allowed, its size is within
``settings.PIIPLAN_UPLOAD_MAX_BYTES``, and its content is of that type: images decode (Pillow), a PDF
has its ``%PDF-`` header and ``%%EOF`` marker, a DOCX/XLSX is a zip whose ``[Content_Types].xml``
declares the Word/Excel main part. The name the user gave is kept for display only, cleaned of any path; the file is
stored under MEDIA_ROOT with a random name (``models.reporting.evidence_path``) and served only by the
access-checked ``evidence_download`` view.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings

ALLOWED = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
ALLOWED_TEXT = "PDF, DOCX, XLSX, PNG, JPEG"
MAX_NAME = 150
FALLBACK_STEM = "tai-lieu-minh-chung"


class UploadError(ValueError):
    """The upload is refused; ``str()`` is the Vietnamese message shown to the user."""


@dataclass
class CheckedUpload:
    display_name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def clean_name(name: str) -> str:
    """The user's file name without any directory part, control characters or leading dots.

    ``"../../etc/passwd.pdf"`` → ``"passwd.pdf"``; ``"C:\\Users\\a\\Báo cáo.pdf"`` → ``"Báo cáo.pdf"``.
    Vietnamese letters are kept (NFC-normalised).
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    if len(name) > MAX_NAME:
        path = PurePosixPath(name)
        suffix = path.suffix[:10]
        name = path.stem[: MAX_NAME - len(suffix)] + suffix
    return name


ZIP_MAIN_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
# The main document's content type that [Content_Types].xml must declare (a DOCX renamed .xlsx fails).
ZIP_MAIN_TYPE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
MAX_DECODE_PIXELS = 40_000_000  # ~120 MB of RGB; larger photos are only verified
PDF_TAIL = 2048  # %%EOF must appear in the last bytes (trailing whitespace or junk from some writers)


def _zip_ok(upload, extension: str) -> bool:
    """An Office Open XML package: a readable zip with [Content_Types].xml declaring the main part."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or ZIP_MAIN_PART[extension] not in names:
                return False
            types = archive.read("[Content_Types].xml")[:200_000]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError, EOFError):
        return False
    return ZIP_MAIN_TYPE[extension].encode() in types


def _pdf_ok(upload) -> bool:
    """A PDF header and an end-of-file marker near the end (a truncated or fake PDF has none)."""
    upload.seek(0)
    if not upload.read(5) == b"%PDF-":
        return False
    size = upload.size
    upload.seek(max(0, size - PDF_TAIL))
    return b"%%EOF" in upload.read(PDF_TAIL)


def _image_ok(upload, fmt: str) -> bool:
    """Decodable by Pillow (a declared dependency: the check never silently weakens)."""
    from PIL import Image

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.format != fmt:
                return False
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            # verify() skips a JPEG's pixel data: decode it to catch truncation (bounded memory).
            if image.width * image.height <= MAX_DECODE_PIXELS:
                image.load()
    except Exception:  # Pillow raises many kinds (SyntaxError, OSError, DecompressionBombError, …)
        return False
    return True


def content_matches(upload, extension: str) -> bool:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    try:
        if extension == ".pdf":
            return _pdf_ok(upload)
        if extension == ".png":
            return head.startswith(b"\x89PNG\r\n\x1a\n") and _image_ok(upload, "PNG")
        if extension in (".jpg", ".jpeg"):
            return head.startswith(b"\xff\xd8\xff") and _image_ok(upload, "JPEG")
        if extension in (".docx", ".xlsx"):
            return head.startswith(b"PK\x03\x04") and _zip_ok(upload, extension)
        return False
    finally:
        upload.seek(0)


def check_upload(upload) -> CheckedUpload:
    """Validate an uploaded file (a Django ``UploadedFile``); raise :class:`UploadError` if refused."""
    if upload is None:
        raise UploadError("Chưa chọn tệp minh chứng.")
    name = clean_name(upload.name)
    extension = PurePosixPath(name.lower()).suffix
    if extension not in ALLOWED:
        shown = extension or "(không có phần mở rộng)"
        raise UploadError(f"Loại tệp {shown} không được chấp nhận. Chỉ nhận: {ALLOWED_TEXT}.")
    limit = settings.PIIPLAN_UPLOAD_MAX_BYTES
    if upload.size > limit:
        size_mb = f"{upload.size / 1048576:.1f}".replace(".", ",")
        raise UploadError(f"Tệp «{name}» có dung lượng {size_mb} MB, vượt giới hạn {limit // 1048576} MB.")
    if upload.size == 0:
        raise UploadError(f"Tệp «{name}» rỗng.")
    if not content_matches(upload, extension):
        raise UploadError(
            f"Nội dung tệp «{name}» không đúng định dạng {extension[1:].upper()} như phần mở rộng của tên tệp."
        )
    if PurePosixPath(name).stem == "":
        name = FALLBACK_STEM + extension
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(name, extension, ALLOWED[extension], upload.size, digest.hexdigest())

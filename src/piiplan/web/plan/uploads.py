"""Evidence uploads: allowed types, size limit, content sniffing, safe display names.

A file is accepted only if its extension is allowed, its size is within
``settings.PIIPLAN_UPLOAD_MAX_BYTES``, and its first bytes (and, for DOCX/XLSX, its zip contents) are
those of that type. The name the user gave is kept for display only, cleaned of any path; the file is
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


def _zip_has(head_file, member: str) -> bool:
    try:
        with zipfile.ZipFile(head_file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and member in names


def content_matches(upload, extension: str) -> bool:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if extension == ".pdf":
        return head.startswith(b"%PDF-")
    if extension == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension in (".docx", ".xlsx"):
        if not head.startswith(b"PK\x03\x04"):
            return False
        ok = _zip_has(upload, "word/document.xml" if extension == ".docx" else "xl/workbook.xml")
        upload.seek(0)
        return ok
    return False


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

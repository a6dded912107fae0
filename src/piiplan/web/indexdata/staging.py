"""Checks on an uploaded file before any reader sees it, and the private temporary copy readers use.

Nothing here writes under MEDIA_ROOT: an upload is copied into a temporary folder that is removed
when the ``with`` block ends (refused, failed or killed mid-way alike), so no import leaves a file
behind. A preview waiting for confirmation keeps its bytes in the database (``ImportBatch.content``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from django.conf import settings

from piiplan import upload_limits
from piiplan.web.indexdata.models import ImportBatch

DATA_SUFFIXES = {".csv", ".xlsx", ".xlsm", ".txt"}
FRAMEWORK_SUFFIXES = {".csv", ".xlsx", ".xlsm", ".yaml", ".yml"}
XLSX_MAGIC = b"PK\x03\x04"
XLSX_BROKEN = "Tệp không phải Excel hợp lệ hoặc bị hỏng: hãy mở lại bằng Excel và lưu thành .xlsx."
FRAMEWORK_HEADERS = {"code", "parent", "level"}


class UploadRejected(Exception):
    """The file is refused before reading (type, size): one Vietnamese message."""


def check_upload(name: str, size: int, head: bytes, max_bytes: int | None = None) -> str:
    """The file's suffix if acceptable, else :class:`UploadRejected` with the reason."""
    suffix = Path(name).suffix.lower()
    limit = settings.PIIPLAN_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    if size > limit:
        raise UploadRejected(f"Tệp quá lớn ({size / 1048576:.1f} MB); giới hạn là {limit / 1048576:.0f} MB."
                             .replace(".", ","))
    if size == 0:
        raise UploadRejected("Tệp rỗng.")
    if suffix == ".xls":
        raise UploadRejected("Tệp Excel 97–2003 (.xls) không được hỗ trợ: hãy lưu lại thành .xlsx.")
    if suffix not in DATA_SUFFIXES | FRAMEWORK_SUFFIXES:
        raise UploadRejected(f"Loại tệp «{suffix or name}» không được hỗ trợ; dùng .xlsx, .csv (hoặc .yaml cho "
                             "khung chỉ số).")
    if suffix in (".xlsx", ".xlsm") and not head.startswith(XLSX_MAGIC):
        raise UploadRejected("Tệp có đuôi .xlsx nhưng nội dung không phải bảng tính Excel.")
    if suffix not in (".xlsx", ".xlsm") and head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise UploadRejected("Tệp văn bản được mã hoá UTF-16: hãy lưu lại với mã hoá UTF-8 («CSV UTF-8» trong Excel).")
    if suffix not in (".xlsx", ".xlsm") and (head.startswith(XLSX_MAGIC) or b"\0" in head[:2048]):
        raise UploadRejected(f"Tệp có đuôi {suffix} nhưng nội dung là tệp nhị phân, không phải văn bản.")
    return suffix


def check_workbook(source) -> None:
    """Refuse an .xlsx that is damaged or hostile before parsing (:class:`UploadRejected`): zip bomb,
    too many members, XML entities (XXE, billion laughs), declared sheet size over the limits. Reads
    only the zip directory and the head of each member, so it answers in milliseconds."""
    try:
        upload_limits.check_xlsx(source)
    except upload_limits.UnsafeFile as exc:
        raise UploadRejected(str(exc)) from None


def detect_kind(path: Path) -> str:
    """``agency_template`` for a data-collection template made by piiplan (its hidden sheet says so),
    ``framework`` when the header has code/parent/level columns (or the file is YAML), else ``dataset``."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return ImportBatch.Kind.FRAMEWORK
    header: set[str] = set()
    try:
        if suffix in (".xlsx", ".xlsm"):
            from openpyxl import load_workbook

            from piiplan.reports.agency_template import KIND as TEMPLATE_KIND, META_SHEET

            wb = load_workbook(path, read_only=True)
            try:
                if META_SHEET in wb.sheetnames:
                    meta = {str(r[0]): r[1] for r in wb[META_SHEET].iter_rows(max_row=20, values_only=True)
                            if r and r[0] is not None}
                    if meta.get("kind") == TEMPLATE_KIND:
                        return ImportBatch.Kind.AGENCY_TEMPLATE
                first = next(wb.worksheets[0].iter_rows(max_row=1, values_only=True), ())
            finally:
                wb.close()
            header = {str(v).strip().lower() for v in first if v is not None}
        else:
            with open(path, encoding="utf-8-sig", errors="replace") as fh:
                line = fh.readline()
            header = {h.strip().lower() for h in line.replace(";", ",").replace("\t", ",").split(",")}
    except Exception:  # noqa: BLE001 - unreadable files are reported by the engine reader
        return ImportBatch.Kind.DATASET
    return ImportBatch.Kind.FRAMEWORK if FRAMEWORK_HEADERS <= header else ImportBatch.Kind.DATASET




def safe_name(name: str, suffix: str) -> str:
    base = Path(name).name.replace(os.sep, "_") or "tep"
    return base if base.lower().endswith(suffix.lower()) else base + suffix


@contextlib.contextmanager
def staged(display_name: str, *, upload=None, content: bytes | None = None):
    """A private temporary copy of the file under the name the user knows (the readers name it in
    their messages); the folder is removed when the block ends, whatever happens."""
    suffix = Path(display_name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="piiplan-import-") as folder:
        path = Path(folder) / safe_name(display_name, suffix)
        with open(path, "wb") as out:
            if content is not None:
                out.write(content)
            else:
                for chunk in upload.chunks():
                    out.write(chunk)
        yield path

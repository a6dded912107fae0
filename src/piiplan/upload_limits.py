"""Limits on uploaded spreadsheets, checked before anything parses them (no Django, no engine).

An .xlsx file is a zip of XML documents. A small file can declare gigabytes of XML (a "zip bomb")
or XML entities that expand exponentially ("billion laughs") or read local files (XXE). Every
import path (data, agency template, plan appendix) calls :func:`check_xlsx` first; it reads only
the zip directory and the first bytes of each XML member, so a hostile file is refused in
milliseconds with a Vietnamese message. The row and column caps are applied again while the
sheets are streamed (:func:`check_shape`), because the declared dimension of a sheet may be absent
or false. ``defusedxml`` (a dependency) makes openpyxl's own parser refuse entities as a second line.

The limits are plain numbers: the web app copies its settings into :data:`LIMITS` at start-up
(``configure``); the CLI and the tests use the defaults.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, replace

MB = 1024 * 1024
BROKEN = "Tệp không phải Excel hợp lệ hoặc bị hỏng: hãy mở lại bằng Excel và lưu thành .xlsx."


@dataclass(frozen=True)
class Limits:
    max_members: int = 300                 # files inside the zip (a 60-sheet workbook has ~70)
    max_uncompressed: int = 64 * MB        # sum of the declared uncompressed sizes
    max_ratio: float = 100.0               # uncompressed / compressed, for members over 1 MB
    max_rows: int = 200_000                # per workbook (every sheet) or CSV
    max_columns: int = 1_000               # per sheet
    max_problems: int = 200                # problems listed; the rest are counted


LIMITS = Limits()


def configure(**values) -> Limits:
    """Replace the process-wide limits (the web app calls this with its settings)."""
    global LIMITS
    LIMITS = replace(LIMITS, **{k: v for k, v in values.items() if v is not None})
    return LIMITS


class UnsafeFile(ValueError):
    """A file refused before parsing; ``str()`` is the Vietnamese reason."""

    def __init__(self, message: str, sheet: str | None = None, broken: bool = False):
        self.sheet = sheet
        self.broken = broken  # not a workbook at all (rather than a workbook over a limit)
        super().__init__(message)


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?\"")
_ROOT = re.compile(rb"<[A-Za-z_]")       # the first element (after the prolog)
_DECL = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_HEAD_BYTES = 64 * 1024


def _mb(n: float) -> str:
    return f"{n / MB:.1f}".replace(".", ",")


def _column_number(letters: bytes | None) -> int:
    n = 0
    for ch in (letters or b"A").decode():
        n = n * 26 + ord(ch) - 64
    return n


def check_xlsx(source, limits: Limits | None = None) -> None:
    """Refuse (:class:`UnsafeFile`) a workbook whose container or XML prolog is hostile or damaged.

    ``source``: a path or a seekable binary file (rewound afterwards)."""
    limits = limits or LIMITS
    try:
        with zipfile.ZipFile(source) as archive:
            _check_archive(archive, limits)
    except UnsafeFile:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, KeyError,
            NotImplementedError, RuntimeError):
        raise UnsafeFile(BROKEN, broken=True) from None
    finally:
        if hasattr(source, "seek"):
            source.seek(0)


def _check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise UnsafeFile(f"Tệp Excel chứa {len(members)} thành phần (giới hạn {limits.max_members}): "
                         "không phải bảng tính thông thường.")
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed:
        raise UnsafeFile(f"Tệp Excel khi giải nén lớn {_mb(total)} MB (giới hạn {_mb(limits.max_uncompressed)} MB): "
                         "hãy chia nhỏ tệp hoặc xoá các trang tính, định dạng không cần thiết.")
    for m in members:
        if m.file_size > MB and m.file_size > limits.max_ratio * max(m.compress_size, 1):
            raise UnsafeFile(f"Thành phần «{m.filename[:80]}» của tệp Excel nén bất thường (tỉ lệ "
                             f"{m.file_size / max(m.compress_size, 1):.0f}:1, giới hạn {limits.max_ratio:.0f}:1): "
                             "tệp bị từ chối vì có thể là «bom nén».")
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names:
        raise UnsafeFile(BROKEN, broken=True)
    rows = 0
    for m in members:
        if not m.filename.lower().endswith((".xml", ".rels", ".vml")) or m.is_dir():
            continue
        head = _head(archive, m)
        root = _ROOT.search(head)
        prolog = head[: root.start()] if root else head
        if _DECL.search(prolog):
            raise UnsafeFile(f"Thành phần «{m.filename[:80]}» của tệp Excel khai báo DOCTYPE/ENTITY (có thể là tấn "
                             "công XXE hoặc «billion laughs»): tệp bị từ chối.")
        if root is None and m.file_size > 0:
            raise UnsafeFile(f"Thành phần «{m.filename[:80]}» của tệp Excel không phải XML hợp lệ: tệp bị hỏng.")
        if m.filename.startswith("xl/worksheets/"):
            found = _DIMENSION.search(head)
            if found:
                n_rows = int(found.group(4) or found.group(2) or 0)
                n_cols = _column_number(found.group(3) or found.group(1))
                if n_cols > limits.max_columns:
                    raise UnsafeFile(f"Trang tính ({m.filename.rsplit('/', 1)[-1]}) khai báo {n_cols} cột "
                                     f"(giới hạn {limits.max_columns}).")
                rows += n_rows
    if rows > limits.max_rows:
        raise UnsafeFile(f"Tệp Excel khai báo {rows} dòng (giới hạn {limits.max_rows}): hãy chia nhỏ tệp.")


def _head(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    with archive.open(member) as fh:
        return fh.read(_HEAD_BYTES)


def check_shape(n_rows: int, n_columns: int, *, limits: Limits | None = None, sheet: str | None = None) -> None:
    """Raise :class:`UnsafeFile` when a sheet being read passes the row or column cap."""
    limits = limits or LIMITS
    if n_rows > limits.max_rows:
        raise UnsafeFile(f"Tệp có hơn {limits.max_rows} dòng (giới hạn): hãy chia nhỏ tệp.", sheet=sheet)
    if n_columns > limits.max_columns:
        raise UnsafeFile(f"Trang tính có {n_columns} cột (giới hạn {limits.max_columns}).", sheet=sheet)


def cap(problems: list, limit: int | None = None, make_more=None) -> list:
    """The first ``limit`` problems, plus one closing entry "… và N lỗi khác" built by ``make_more(text)``."""
    limit = (limits_or_default().max_problems) if limit is None else limit
    if len(problems) <= limit:
        return problems
    text = f"… và {len(problems) - limit} lỗi khác (sửa các lỗi trên rồi tải lại tệp để xem tiếp)."
    return problems[:limit] + [make_more(text) if make_more else text]


def limits_or_default() -> Limits:
    return LIMITS


def form_limits() -> Limits:
    """Tighter limits for one-sheet forms (the agency template, the plan appendix): a filled form is a
    few hundred rows and well under a megabyte of XML, and these readers load the whole sheet."""
    return replace(LIMITS, max_uncompressed=min(LIMITS.max_uncompressed, 16 * MB),
                   max_rows=min(LIMITS.max_rows, 10_000), max_columns=min(LIMITS.max_columns, 200))

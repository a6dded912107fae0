"""Hostile spreadsheets built in the test (nothing large is stored in the repository)."""

from __future__ import annotations

import functools
import io
import zipfile

from openpyxl import Workbook


def workbook(rows: list[list], title: str = "2025") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite(content: bytes, member_prefix: str, transform) -> bytes:
    """A copy of the zip where each member starting with ``member_prefix`` is passed through ``transform``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith(member_prefix):
                data = transform(data)
            dst.writestr(info.filename, data)
    return out.getvalue()


GOOD_ROWS = [["Tỉnh", "1.1.1"], ["Lạng Sơn", 3]]


@functools.lru_cache(maxsize=2)
def zip_bomb(uncompressed_mb: int = 100) -> bytes:
    """A valid workbook whose sheet XML is padded with ``uncompressed_mb`` MB of whitespace
    (deflate squeezes it ~1000:1, so the upload is a few hundred kB)."""
    pad = b" " * (uncompressed_mb * 1024 * 1024)
    return rewrite(workbook(GOOD_ROWS), "xl/worksheets/sheet1.xml",
                   lambda data: data.replace(b"<sheetData>", b"<sheetData>" + pad, 1))


def huge_dimension() -> bytes:
    """A sheet that declares a million rows and 16k columns."""
    return rewrite(workbook(GOOD_ROWS), "xl/worksheets/sheet1.xml",
                   lambda data: data.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>'))


def _with_doctype(doctype: bytes):
    def transform(data: bytes) -> bytes:
        if data.startswith(b"<?xml"):
            head, _, rest = data.partition(b"?>")
            return head + b"?>" + doctype + rest
        return doctype + data
    return transform


XXE = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')


def xxe() -> bytes:
    return rewrite(workbook(GOOD_ROWS), "xl/worksheets/sheet1.xml", _with_doctype(XXE))


def billion_laughs() -> bytes:
    return rewrite(workbook(GOOD_ROWS), "xl/workbook.xml", _with_doctype(LAUGHS))


def malformed_xml() -> bytes:
    return rewrite(workbook(GOOD_ROWS), "xl/worksheets/sheet1.xml", lambda data: data.replace(b"</row>", b"</rwo>", 1))


def bad_namespace() -> bytes:
    return rewrite(workbook(GOOD_ROWS), "xl/worksheets/sheet1.xml",
                   lambda data: data.replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                                             b"urn:not-excel", 1))


def many_members(n: int = 400) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook(GOOD_ROWS))) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        for i in range(n):
            dst.writestr(f"xl/media/pad{i}.bin", b"x")
    return out.getvalue()


HOSTILE = {
    "zip-bomb": (zip_bomb, "giải nén"),
    "huge-dimension": (huge_dimension, "giới hạn"),
    "xxe": (xxe, "DOCTYPE/ENTITY"),
    "billion-laughs": (billion_laughs, "DOCTYPE/ENTITY"),
    "malformed-xml": (malformed_xml, "bị hỏng"),
    "bad-namespace": (bad_namespace, "Excel"),
    "many-members": (many_members, "thành phần"),
}

"""Evidence uploads: type, size, content sniffing, path tricks, Vietnamese names, storage and serving."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from piiplan.web.plan.models import Evidence
from piiplan.web.plan.uploads import UploadError, check_upload, clean_name

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def image_bytes(fmt: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


def upload(client, report, name, content, **extra):
    data = {"file": SimpleUploadedFile(name, content), "document_number": "15/BC-STN", "document_date": "20/06/2026",
            "issuer": "Sở Thử nghiệm", **extra}
    # The evidence fields sit inside the report form, prefixed "ev-" (views/entry.py).
    data = {f"ev-{key}": value for key, value in data.items()}
    return client.post(reverse("plan:evidence_upload", kwargs={"pk": report.pk}), data)


@pytest.mark.parametrize("name,content", [("bao-cao.pdf", PDF), ("anh.png", PNG), ("anh.JPG", JPEG),
                                          ("bieu.xlsx", None), ("van-ban.docx", None)])
def test_allowed_types_are_accepted(name, content):
    if content is None:
        content = xlsx_bytes() if name.endswith("xlsx") else docx_bytes()
    checked = check_upload(SimpleUploadedFile(name, content))
    assert checked.display_name == name and checked.size == len(content)


@pytest.mark.parametrize("name,content,message", [
    ("script.exe", b"MZ\x90\x00", "Loại tệp .exe không được chấp nhận"),
    ("bao-cao.pdf.exe", PDF, "Loại tệp .exe"),
    ("ghi-chu.txt", b"hello", "Loại tệp .txt"),
    ("khong-duoi", PDF, "không có phần mở rộng"),
    ("gia-mao.pdf", b"MZ\x90\x00 this is an executable", "không đúng định dạng PDF"),
    ("anh.png", JPEG, "không đúng định dạng PNG"),
    ("bieu.xlsx", None, "không đúng định dạng XLSX"),   # a DOCX renamed .xlsx
    ("van-ban.docx", b"PK\x03\x04 not really a zip", "không đúng định dạng DOCX"),
    ("rong.pdf", b"", "rỗng"),
    # Right magic bytes, wrong body: the reviewer's 11-byte photo, a header-only PNG, truncated files.
    ("photo.jpg", b"\xff\xd8\xff\xe0garbage", "không đúng định dạng JPG"),
    ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "không đúng định dạng PNG"),
    ("anh.jpeg", "truncated-jpeg", "không đúng định dạng JPEG"),
    ("cat-ngang.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\n", "không đúng định dạng PDF"),
    ("gia.docx", "zip-without-content-types", "không đúng định dạng DOCX"),
])
def test_refused_uploads_say_why(name, content, message):
    if content is None:
        content = docx_bytes()
    elif content == "truncated-jpeg":
        content = JPEG[: len(JPEG) // 2]
    elif content == "zip-without-content-types":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        content = buffer.getvalue()
    with pytest.raises(UploadError, match=message):
        check_upload(SimpleUploadedFile(name, content))


def test_oversized_file_is_refused(settings):
    settings.PIIPLAN_UPLOAD_MAX_BYTES = 1024 * 1024
    content = PDF + b"0" * (1024 * 1024)
    with pytest.raises(UploadError, match=r"vượt giới hạn 1 MB"):
        check_upload(SimpleUploadedFile("lon.pdf", content))


@pytest.mark.parametrize("raw,clean", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
    ("C:\\Users\\cb\\Báo cáo 6 tháng.pdf", "Báo cáo 6 tháng.pdf"),
    ("/abs/path/Quyết định số 12.docx", "Quyết định số 12.docx"),
    ("..pdf", "pdf"),
    ("a\x00b\nc.pdf", "abc.pdf"),
    ("Ba\u0301o ca\u0301o.pdf", "Báo cáo.pdf"),  # decomposed diacritics (macOS) become NFC
])
def test_clean_name_removes_paths_and_controls(raw, clean):
    assert clean_name(raw) == clean


def test_upload_stores_random_name_keeps_vietnamese_display_name_and_serves_it(client_for, world, settings):
    client = client_for("agency")
    name = "../../Báo cáo kết quả 6 tháng đầu năm.pdf"
    response = upload(client, world.report_a, name, PDF)
    assert response.status_code == 302
    evidence = Evidence.objects.filter(report=world.report_a).latest("uploaded_at")
    assert evidence.original_name == "Báo cáo kết quả 6 tháng đầu năm.pdf"
    stored = Path(evidence.file.path)
    assert stored.is_file() and stored.read_bytes() == PDF
    assert Path(settings.MEDIA_ROOT) in stored.parents
    assert "Báo" not in stored.name and ".." not in evidence.file.name and len(stored.stem) == 32
    assert evidence.document_number == "15/BC-STN" and evidence.document_date.isoformat() == "2026-06-20"
    download = client.get(reverse("plan:evidence_download", kwargs={"pk": evidence.pk}))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment") and "filename*=utf-8''B%C3%A1o" in disposition
    assert download["X-Content-Type-Options"] == "nosniff"


def test_refused_upload_shows_message_and_stores_nothing(client_for, world, settings):
    before = Evidence.objects.count()
    files_before = sorted(Path(settings.MEDIA_ROOT).rglob("*"))
    response = upload(client_for("agency"), world.report_a, "gia-mao.pdf", b"<html>not a pdf</html>")
    assert response.status_code == 400
    assert "không đúng định dạng PDF" in response.content.decode()
    assert Evidence.objects.count() == before
    assert sorted(Path(settings.MEDIA_ROOT).rglob("*")) == files_before


def test_no_upload_to_a_submitted_report(client_for, world, personas):
    response = upload(client_for(personas.other_agency), world.report_b, "them.pdf", PDF)
    assert response.status_code == 302
    assert not Evidence.objects.filter(report=world.report_b, original_name="them.pdf").exists()


def test_media_is_not_served_publicly(client, world):
    assert client.get("/media/" + world.evidence_a.file.name).status_code == 404


def test_evidence_upload_and_deletion_appear_in_the_reports_history(client_for, world):
    client = client_for("agency")
    assert upload(client, world.report_a, "Quyết định 12.pdf", PDF).status_code == 302
    evidence = Evidence.objects.get(report=world.report_a, original_name="Quyết định 12.pdf")
    client.post(reverse("plan:evidence_delete", kwargs={"pk": evidence.pk}))
    page = client.get(reverse("plan:report_detail", kwargs={"pk": world.report_a.pk}))
    rows = [(e.label, e.note) for e in page.context["history"]]
    assert ("Xoá minh chứng", "«Quyết định 12.pdf»") in rows
    assert ("Tải lên minh chứng", "«Quyết định 12.pdf»") in rows
    assert [label for label, _ in rows].index("Xoá minh chứng") < [label for label, _ in rows].index("Tải lên minh chứng")
    assert "Quyết định 12.pdf" in page.content.decode().split("Lịch sử")[-1]

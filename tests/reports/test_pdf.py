"""PDF copies through LibreOffice, rendered to PNG pages kept under artifacts/reports/ for review."""

import pytest
from PIL import Image, ImageStat

from piiplan.reports import pdf as pdfmod
from piiplan.reports.errors import ReportError
from piiplan.reports.half_year import write_half_year_report
from piiplan.reports.profile import write_profile
from piiplan.reports.reminder import write_reminder_letter

needs_office = pytest.mark.skipif(pdfmod.find_libreoffice() is None, reason="LibreOffice chưa được cài")


@needs_office
def test_pdf_copies_render_to_png(half_year, profile, reminder, artifacts):
    docs = {
        "bao-cao-6-thang": write_half_year_report(half_year, artifacts / "bao-cao-6-thang.docx"),
        "ho-so-tinh": write_profile(profile, artifacts / "ho-so-tinh.docx"),
        "cong-van-don-doc": write_reminder_letter(reminder, artifacts / "cong-van-don-doc.docx"),
    }
    pages = {}
    for name, docx in docs.items():
        out = pdfmod.to_pdf(docx, artifacts / "pdf")
        assert out.read_bytes().startswith(b"%PDF")
        pngs = pdfmod.render_pages(out, artifacts / "png", dpi=50)
        assert len(pngs) == pdfmod.page_count(out)
        pages[name] = pngs
        for png in pngs:
            img = Image.open(png).convert("L")
            assert ImageStat.Stat(img).extrema[0][0] < 100  # something dark is printed on every page
    assert len(pages["ho-so-tinh"]) == 2  # the profile keeps to two pages
    assert len(pages["cong-van-don-doc"]) <= 2
    # the appendices of the report are landscape pages
    w, h = Image.open(pages["bao-cao-6-thang"][-1]).size
    assert w > h
    w, h = Image.open(pages["bao-cao-6-thang"][0]).size
    assert h > w


def test_missing_libreoffice_is_a_clear_vietnamese_error(monkeypatch, tmp_path):
    monkeypatch.setattr(pdfmod.shutil, "which", lambda name: None)
    src = tmp_path / "a.docx"
    src.write_bytes(b"x")
    with pytest.raises(ReportError, match="Không tìm thấy LibreOffice"):
        pdfmod.to_pdf(src, tmp_path)
    with pytest.raises(ReportError, match="pdftoppm"):
        pdfmod.render_pages(src, tmp_path)


def test_missing_source_file(tmp_path):
    with pytest.raises(ReportError, match="Không tìm thấy tệp"):
        pdfmod.to_pdf(tmp_path / "khong-co.docx", tmp_path)

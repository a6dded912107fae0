"""The CLI's documents read back as the reader gets them: the DOCX (python-docx) and the PDF (pdftotext,
pdffonts) — the overall score and rank, the issuing body from one source, one serif family embedded."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from docx import Document

from piiplan.cli import main
from piiplan.reports import pdf as pdfmod
from tests.reports.docx_checks import all_text

needs_pdf_tools = pytest.mark.skipif(
    pdfmod.find_libreoffice() is None or shutil.which("pdffonts") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice / poppler-utils chưa được cài")


def font_families(pdf) -> set[str]:
    """Embedded font families: "BAAAAA+LiberationSerif-Bold" → "LiberationSerif"."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    return {re.sub(r"[-,](Bold|Italic|BoldItalic|Regular|Roman|BoldItalicMT|BoldMT|ItalicMT|MT)+$", "",
                   name.split("+", 1)[-1]) for name in names}


@pytest.fixture
def no_web_db(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("PIIPLAN_PROVINCE", raising=False)


@needs_pdf_tools
def test_half_year_pdf_states_score_rank_target_and_embeds_one_serif_family(tmp_path, no_web_db):
    assert main(["report", "half-year", "--out", str(tmp_path), "--pdf", "--target-rank", "25",
                 "--target-year", "2026"]) == 0
    docx_path = next(tmp_path.glob("*.docx"))
    text = all_text(Document(docx_path))
    pdf = next(tmp_path.glob("*.pdf"))
    pdf_text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for body in (text, pdf_text):
        flat = " ".join(body.split())
        assert "tỉnh đạt 33,12 điểm, xếp hạng 29/34" in flat
        assert "Mục tiêu của Kế hoạch: năm 2026 xếp hạng 25/34; tỉnh còn cách mục tiêu 4 bậc" in flat
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
        assert "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn." in flat
        assert "Chỉ số Đổi mới sáng tạo cấp địa phương (PII)" in flat
        assert "- Lưu: VT, QLKH." in flat
    # No header word broken across lines in the PDF ("Hạn" / "g").
    assert not re.search(r"Hạn\s*\n\s*g\b", pdf_text)
    assert "Hạng" in pdf_text
    families = font_families(pdf)
    assert len(families) == 1, families  # ế, ồ, ở come from the same font as the rest
    assert families <= {"LiberationSerif", "TimesNewRoman", "TimesNewRomanPS"}


@needs_pdf_tools
def test_profile_and_reminder_pdfs_embed_one_serif_family(tmp_path, no_web_db):
    assert main(["report", "profile", "--out", str(tmp_path), "--pdf"]) == 0
    pdf = next(tmp_path.glob("*.pdf"))
    assert len(font_families(pdf)) == 1, font_families(pdf)


def test_workspace_province_changes_the_cli_documents_issuing_body(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PIIPLAN_PROVINCE", "Cao Bằng")
    assert main(["report", "ad-hoc", "--out", str(tmp_path)]) == 0
    text = all_text(Document(next(tmp_path.glob("bao-cao-dot-xuat-*.docx"))))
    assert "UBND TỈNH CAO BẰNG" in text and "Kính gửi: Ủy ban nhân dân tỉnh Cao Bằng." in text
    assert "LẠNG SƠN" not in text
    assert "(báo cáo đột xuất)" in text and "6 tháng đầu năm" not in text


@needs_pdf_tools
@pytest.mark.parametrize("kind,title,period,closing", [
    ("annual", "bao-cao-nam-", "địa phương (PII) năm 2025", "Trên đây là báo cáo năm 2025"),
    ("ad-hoc", "bao-cao-dot-xuat-", "(báo cáo đột xuất)", "Trên đây là báo cáo đột xuất"),
])
def test_annual_and_ad_hoc_pdfs_read_as_the_reader_gets_them(tmp_path, no_web_db, kind, title, period, closing):
    assert main(["report", kind, "--out", str(tmp_path), "--pdf"]) == 0
    pdf = next(tmp_path.glob(f"{title}*.pdf"))
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn." in text
    assert period in text and "6 tháng đầu năm" not in text
    assert "tỉnh đạt 33,12 điểm, xếp hạng 29/34" in text
    assert closing in text and "xem xét, chỉ đạo./." in text
    # every appendix says what it holds, even when it is empty (no bare header row)
    assert "Kế hoạch chưa có nhiệm vụ nào được giao đến kỳ báo cáo này." in text
    assert "Chưa có văn bản, tài liệu minh chứng nào được gửi." in text
    assert "Phụ lục III" in text and "Dữ liệu mô phỏng" in text
    assert len(font_families(pdf)) == 1, font_families(pdf)

import io

from docx import Document
from PIL import Image

from piiplan.reports.chart import pillar_chart_png
from piiplan.reports.profile import headline_sentence, write_profile

from .docx_checks import all_text, order_violations, run_fonts


def test_headline_sentence(profile):
    assert headline_sentence(profile) == (
        "Năm 2025, Lạng Sơn đạt 35,20 điểm Chỉ số PII, xếp thứ 29/34 (tăng 2 bậc so với năm trước); "
        f"{sum(p.score > p.national_average for p in profile.pillars)}/7 trụ cột cao hơn mức trung bình cả nước.")


def test_profile_document(profile, tmp_path):
    doc = Document(write_profile(profile, tmp_path / "hs.docx"))
    text = all_text(doc)
    assert "HỒ SƠ CHỈ SỐ ĐỔI MỚI SÁNG TẠO CẤP ĐỊA PHƯƠNG (PII) NĂM 2025" in text
    assert "Dữ liệu mô phỏng — không phải số liệu chính thức" in text
    headline = doc.tables[0]
    assert [c.text for c in headline.rows[0].cells] == ["", "Chỉ số PII", "Chỉ số đầu vào", "Chỉ số đầu ra"]
    assert [c.text for c in headline.rows[1].cells] == ["Điểm", "35,20", "37,85", "32,55"]
    assert [c.text for c in headline.rows[2].cells] == ["Xếp hạng", "29/34", "27/34", "30/34"]
    sw = doc.tables[1]
    assert [c.text for c in sw.rows[0].cells] == ["Điểm mạnh", "Điểm yếu"]
    assert sw.rows[1].cells[0].text.startswith(profile.strengths[0].code)
    ind = doc.tables[2]
    data_rows = [r for r in ind.rows[1:] if not r.cells[0].text.startswith("Trụ cột")]
    assert len(data_rows) == len(profile.indicators) == 52
    first = profile.indicators[0]
    assert data_rows[0].cells[0].text == first.code
    assert data_rows[0].cells[3].text == f"{first.score:.2f}".replace(".", ",")
    assert data_rows[0].cells[4].text == str(first.rank)
    # the chart is embedded as a PNG picture
    blips = [r for r in doc.part.rels.values() if "image" in r.reltype]
    assert len(blips) == 1 and blips[0].target_part.content_type == "image/png"
    assert run_fonts(doc) == {("Times New Roman",) * 4}
    assert order_violations(doc) == []


def test_profile_without_synthetic_flag_has_no_label(profile, tmp_path):
    profile.synthetic = False
    assert "Dữ liệu mô phỏng" not in all_text(Document(write_profile(profile, tmp_path / "hs.docx")))


def test_pillar_chart_png(profile):
    png = pillar_chart_png(profile.pillars, profile.unit)
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG" and img.width > 1000
    # not blank: the bars are drawn in the province colour
    colours = {c for _, c in img.convert("RGB").getcolors(maxcolors=1_000_000)}
    assert (0x1F, 0x4E, 0x79) in colours
    # a missing score still draws
    profile.pillars[0].score = None
    Image.open(io.BytesIO(pillar_chart_png(profile.pillars, profile.unit))).verify()

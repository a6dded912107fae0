from datetime import date

from docx import Document
from docx.oxml.ns import qn

from piiplan.reports import layout
from piiplan.reports.model import DocumentHeader, Issuer, Signature

from .docx_checks import all_text, order_violations, run_fonts

ISSUER = Issuer("UBND TỈNH CAO BẰNG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Cao Bằng", "SKHCN",
                "Sở Khoa học và Công nghệ")


def _saved(doc, tmp_path):
    path = tmp_path / "doc.docx"
    doc.save(path)
    return Document(path)


def test_page_setup_a4_margins_and_numbering(tmp_path):
    doc = layout.new_document()
    layout.body(doc, "Nội dung")
    layout.add_section(doc, landscape=True)
    doc = _saved(doc, tmp_path)
    first, appendix = doc.sections
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert (round(appendix.page_width.mm), round(appendix.page_height.mm)) == (297, 210)
    for s in doc.sections:
        assert [round(m.mm) for m in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == \
               [20, 20, 30, 15]
    assert first.different_first_page_header_footer
    assert not first.first_page_header.paragraphs[0].text
    # the running header holds a PAGE field, centred
    header = first.header._element
    assert "PAGE" in "".join(t.text for t in header.iter(qn("w:instrText")))
    assert first.header.paragraphs[0].alignment == 1


def test_fonts_on_every_script_slot(tmp_path):
    doc = layout.new_document()
    layout.body(doc, "Tiếng Việt có dấu: ắ ằ ẳ ẵ ặ ố ồ ổ ỗ ộ")
    doc = _saved(doc, tmp_path)
    assert run_fonts(doc) == {("Times New Roman",) * 4}
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    rfonts = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(
        qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "Times New Roman" and rfonts.get(qn("w:asciiTheme")) is None


def test_header_block_and_signature_come_from_input(tmp_path):
    doc = layout.new_document()
    header = DocumentHeader(date=date(2026, 1, 5), subject="", recipients=["Sở Tài chính"], number="7",
                            kind="", copies_to=["Như trên"])
    layout.header_block(doc, ISSUER, header, subject_line="V/v thử nghiệm")
    layout.recipients_block(doc, header.recipients)
    layout.signature_block(doc, Signature(["GIÁM ĐỐC"], "Trần Thị B", signed=True), header)
    doc = _saved(doc, tmp_path)
    text = all_text(doc)
    for expected in ("UBND TỈNH CAO BẰNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "Số: 7/SKHCN", "V/v thử nghiệm", "Cao Bằng, ngày 05 tháng 01 năm 2026",
                     "Kính gửi: Sở Tài chính.", "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "(Đã ký)", "Trần Thị B"):
        assert expected in text
    assert "LẠNG SƠN" not in text
    top = doc.tables[0]
    body_run = top.cell(0, 0).paragraphs[1].runs[0]
    assert body_run.text == "SỞ KHOA HỌC VÀ CÔNG NGHỆ" and body_run.bold
    date_run = top.cell(1, 1).paragraphs[0].runs[0]
    assert date_run.italic
    sig = doc.tables[1]
    noi_nhan = sig.cell(0, 0).paragraphs[0].runs[0]
    assert noi_nhan.bold and noi_nhan.italic and noi_nhan.font.size.pt == 12
    assert sig.cell(0, 0).paragraphs[1].runs[0].font.size.pt == 11
    # the rules under the issuing body and the motto are bordered paragraphs
    assert top.cell(0, 0).paragraphs[2]._p.pPr.find(qn("w:pBdr")) is not None
    assert top.cell(0, 1).paragraphs[2]._p.pPr.find(qn("w:pBdr")) is not None


def test_several_recipients_are_a_list(tmp_path):
    doc = layout.new_document()
    layout.recipients_block(doc, ["Sở Tài chính", "Sở Công Thương"])
    text = all_text(_saved(doc, tmp_path))
    assert "Kính gửi:" in text and "- Sở Tài chính;" in text and "- Sở Công Thương." in text


def test_property_elements_in_schema_order(tmp_path):
    doc = layout.new_document()
    layout.header_block(doc, ISSUER, DocumentHeader(date=date(2026, 6, 1), subject="x"))
    layout.data_table(doc, ["A", "B"], [["1", "2"], ["nhóm"]], [3, 3], group_rows={1})
    layout.synthetic_banner(doc, "Dữ liệu mô phỏng")
    layout.signature_block(doc, Signature(["GIÁM ĐỐC"]), DocumentHeader(date=date(2026, 6, 1), subject="x"))
    assert order_violations(_saved(doc, tmp_path)) == []

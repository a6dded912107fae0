from docx import Document

from piiplan.reports.reminder import write_reminder_letter

from .docx_checks import all_text, order_violations, paragraph_texts, run_fonts


def test_reminder_letter(reminder, tmp_path):
    doc = Document(write_reminder_letter(reminder, tmp_path / "cv.docx"))
    text = all_text(doc)
    lines = paragraph_texts(doc)
    assert "Số: 215/SKHCN" in lines
    # the V/v line sits under the number, in the left header column
    left = doc.tables[0].cell(1, 0).text
    assert left.startswith("Số: 215/SKHCN") and "V/v đôn đốc thực hiện nhiệm vụ" in left
    assert "Kính gửi: Sở Công Thương." in lines
    assert "Lạng Sơn, ngày 05 tháng 6 năm 2026" in text
    n = len(reminder.items)
    overdue = sum(1 for t in reminder.items if t.status_code == "overdue")
    assert f"Sở Công Thương còn {n} nhiệm vụ 6 tháng đầu năm 2026 chưa hoàn thành, trong đó {overdue} " \
           "nhiệm vụ đã quá thời hạn" in text
    assert "trước ngày 12 tháng 6 năm 2026" in text
    items = doc.tables[1]
    assert [c.text for c in items.rows[0].cells] == ["STT", "Chỉ số", "Nhiệm vụ", "Thời hạn", "Tình trạng",
                                                     "Tỷ lệ (%)"]
    assert len(items.rows) == 1 + n
    assert {r.cells[4].text for r in items.rows[1:]} <= {"Quá hạn", "Đang thực hiện", "Chưa thực hiện"}
    assert "Nơi nhận:" in text and "- Như trên;" in text and "- Lưu: VT, QLKH." in text
    assert "(Đã ký)" not in text  # a draft for signature
    assert "BÁO CÁO" not in text
    assert run_fonts(doc) == {("Times New Roman",) * 4}
    assert order_violations(doc) == []


def test_subject_gets_vv_prefix(reminder, tmp_path):
    reminder.header.subject = "Đôn đốc gửi số liệu"
    doc = Document(write_reminder_letter(reminder, tmp_path / "cv.docx"))
    assert "V/v đôn đốc gửi số liệu" in doc.tables[0].cell(1, 0).text

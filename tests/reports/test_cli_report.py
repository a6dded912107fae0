"""`piiplan report …` end to end on the shipped demo panel."""

import pytest
from docx import Document
from openpyxl import load_workbook

from piiplan.cli import main
from piiplan.reports.agency_template import SHEET, read_agency_template

from .docx_checks import all_text

pytest.importorskip("piiplan.demo")


def test_profile_from_demo(tmp_path, capsys):
    assert main(["report", "profile", "--unit", "Lạng Sơn", "--out", str(tmp_path)]) == 0
    path = tmp_path / "ho-so-lang-son-2025.docx"
    assert f"Đã ghi {path}" in capsys.readouterr().out
    doc = Document(path)
    text = all_text(doc)
    assert "Dữ liệu mô phỏng — không phải số liệu chính thức" in text and "UBND TỈNH LẠNG SƠN" in text
    ranks = doc.tables[0].rows[2].cells
    assert ranks[0].text == "Xếp hạng" and all(c.text.endswith("/34") for c in ranks[1:])
    assert len([r for r in doc.tables[2].rows[1:] if not r.cells[0].text.startswith("Trụ cột")]) == 52


def test_half_year_from_demo_and_input(tmp_path):
    assert main(["report", "half-year", "--out", str(tmp_path)]) == 0
    text = all_text(Document(tmp_path / "bao-cao-6-thang-2025.docx"))
    assert "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn." in text
    assert "Trụ cột 7: Tác động" in text and "Điểm trụ cột đạt" in text
    src = tmp_path / "nd.yaml"
    src.write_text("year: 2026\nkind: annual\nproposals: [Bổ sung kinh phí thu thập số liệu]\n"
                   "tasks:\n- {agency: Sở Tài chính, indicator_codes: ['1.2.1'], task: Rà soát, status: done}\n"
                   "- {agency: Sở Tài chính, indicator_codes: ['4.2.2'], task: Hỗ trợ DN, status: overdue}\n",
                   encoding="utf-8")
    assert main(["report", "annual", "--input", str(src), "--out", str(tmp_path)]) == 0
    text = all_text(Document(tmp_path / "bao-cao-nam-2026.docx"))
    assert "- Bổ sung kinh phí thu thập số liệu." in text
    assert "Đến hết kỳ báo cáo, 1/2 (50,0%) nhiệm vụ đã hoàn thành; 1 nhiệm vụ quá hạn." in text
    assert "Còn 1 nhiệm vụ quá hạn chưa hoàn thành, thuộc: Sở Tài chính (1)" in text


def test_template_round_trips_through_the_import(tmp_path):
    assert main(["report", "template", "--agency", "stc", "--indicators", "1.2.1,4.2.2",
                 "--out", str(tmp_path)]) == 0
    # One rule with the web (agency_template.template_year): the latest data year, which the web import accepts.
    path = tmp_path / "bieu-so-lieu-STC-2025.xlsx"
    wb = load_workbook(path)
    ws = wb[SHEET]
    rows = {ws.cell(row=r, column=2).value: r for r in range(1, ws.max_row + 1)}
    assert isinstance(ws.cell(row=rows["1.2.1"], column=6).value, float)  # last year's value from the data
    ws.cell(row=rows["4.2.2"], column=7, value=6.5)
    wb.save(path)
    df = read_agency_template(path)
    assert df[["unit", "indicator", "year", "value", "agency"]].values.tolist() == [
        ["Lạng Sơn", "4.2.2", 2025, 6.5, "Sở Tài chính"]]


def test_ministry_form_and_results(tmp_path):
    assert main(["report", "ministry-form", "--out", str(tmp_path)]) == 0
    ws = load_workbook(tmp_path / "nhap-lieu-bo-lang-son-2025.xlsx")["Nhập liệu"]
    codes = [ws.cell(row=r, column=2).value for r in range(1, ws.max_row + 1)]
    assert codes.count("1.1.1") == 1 and len([c for c in codes if c and c[0].isdigit()]) == 52
    assert main(["report", "results", "--out", str(tmp_path)]) == 0
    wb = load_workbook(tmp_path / "ket-qua-PII-2025.xlsx", read_only=True)
    assert {"Điểm", "Xếp hạng", "Công thức"} <= set(wb.sheetnames)


def test_user_errors_exit_2_in_vietnamese(tmp_path, capsys):
    assert main(["report", "profile", "--unit", "Atlantis", "--out", str(tmp_path)]) == 2
    assert "Không có tỉnh, thành phố «Atlantis»" in capsys.readouterr().err
    assert main(["report", "template", "--agency", "XYZ", "--out", str(tmp_path)]) == 2
    assert "Không có cơ quan mã «XYZ»" in capsys.readouterr().err
    assert main(["report", "template", "--agency", "STC", "--indicators", "9.9.9", "--out", str(tmp_path)]) == 2
    assert "9.9.9" in capsys.readouterr().err
    assert main(["report", "reminder", "--input", str(tmp_path / "khong.yaml"), "--out", str(tmp_path)]) == 2


def test_reminder_from_input(tmp_path):
    from pathlib import Path

    src = Path(__file__).parent / "fixtures" / "reminder.yaml"
    assert main(["report", "reminder", "--input", str(src), "--out", str(tmp_path)]) == 0
    text = all_text(Document(tmp_path / "cong-van-don-doc-so-cong-thuong.docx"))
    assert "Kính gửi: Sở Công Thương." in text

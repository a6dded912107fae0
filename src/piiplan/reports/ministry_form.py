"""The province's indicator values laid out for entry into the Ministry's online data-collection form.

One row per indicator in code order: code, name, unit, value, evidence reference and lead agency, so that
the DoST officer can copy them field by field into the form and upload the matching evidence files.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from piiplan.reports import xlsx
from piiplan.reports.model import SYNTHETIC_NOTE, MinistryForm

COLUMNS = ["STT", "Mã chỉ số", "Tên chỉ số", "Đơn vị tính", "Giá trị", "Minh chứng (số, ngày, cơ quan ban hành)",
           "Cơ quan chủ trì", "Ghi chú"]
WIDTHS = [6, 10, 50, 14, 14, 40, 30, 24]


def _code_key(code: str) -> list:
    return [int(x) if x.isdigit() else x for x in code.split(".")]


def write_ministry_form(form: MinistryForm, path: str | Path) -> Path:
    """Write the entry sheet XLSX; missing values are left blank and counted in the title block."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhập liệu"
    rows = sorted(form.rows, key=lambda r: _code_key(r.code))
    missing = sum(1 for r in rows if r.value is None)
    lines = [(f"SỐ LIỆU CHỈ SỐ PII NĂM {form.year} — {form.unit.upper()}", {"size": 14, "bold": True}),
             ("Dùng để nhập vào biểu mẫu trực tuyến của Bộ Khoa học và Công nghệ", {"size": 12, "italic": True}),
             (f"{len(rows) - missing}/{len(rows)} chỉ số có số liệu", {"size": 12})]
    if form.synthetic:
        lines.append((SYNTHETIC_NOTE, {"size": 11, "italic": True, "bold": True, "color": "C00000"}))
    header = xlsx.title_rows(ws, lines, len(COLUMNS))
    xlsx.header_row(ws, header, COLUMNS, WIDTHS)
    for i, r in enumerate(rows, start=1):
        row = header + i
        for j, v in enumerate([i, r.code, r.name, r.unit, r.value, r.evidence, r.lead_agency, r.note], start=1):
            cell = xlsx.body_cell(ws, row, j, v, number=j == 5, wrap=j in (3, 6, 7))
            if j == 5:
                # The stored value with every decimal it has: the Ministry's form takes it as it is.
                cell.number_format = xlsx.exact_number_format(v)
    ws.auto_filter.ref = f"A{header}:H{header + len(rows)}"
    xlsx.print_setup(ws, header)
    wb.save(path)
    return path

from openpyxl import load_workbook

from piiplan.reports.ministry_form import write_ministry_form
from piiplan.reports.model import MinistryForm, MinistryFormRow


def test_ministry_form(tmp_path):
    rows = [MinistryFormRow("2.1.10", "Chỉ số mười", "%", 12.5, "5/BC-SGDĐT ngày 02/06/2026", "Sở Giáo dục và Đào tạo"),
            MinistryFormRow("1.2.1", "Chi phí gia nhập thị trường", "điểm", 7.25, "12/BC-STC", "Sở Tài chính"),
            MinistryFormRow("2.1.2", "Tỷ lệ lao động qua đào tạo", "%", None, "", "Sở Nội vụ", "Chưa có số liệu")]
    path = write_ministry_form(MinistryForm("Lạng Sơn", 2026, rows, synthetic=True), tmp_path / "nhap.xlsx")
    ws = load_workbook(path)["Nhập liệu"]
    header = next(r for r in range(1, 20) if ws.cell(row=r, column=1).value == "STT")
    assert [c.value for c in ws[header]] == ["STT", "Mã chỉ số", "Tên chỉ số", "Đơn vị tính", "Giá trị",
                                             "Minh chứng (số, ngày, cơ quan ban hành)", "Cơ quan chủ trì", "Ghi chú"]
    body = [[c.value for c in ws[r]] for r in range(header + 1, ws.max_row + 1)]
    # natural code order: 2.1.2 before 2.1.10
    assert [r[1] for r in body] == ["1.2.1", "2.1.2", "2.1.10"]
    assert body[0][4] == 7.25 and body[0][5] == "12/BC-STC" and body[0][6] == "Sở Tài chính"
    assert body[1][4] is None and body[1][7] == "Chưa có số liệu"
    assert ws.cell(row=header + 1, column=5).number_format == "#,##0.00"
    titles = " ".join(str(ws.cell(row=r, column=1).value) for r in range(1, header))
    assert "NĂM 2026 — LẠNG SƠN" in titles and "2/3 chỉ số có số liệu" in titles and "Dữ liệu mô phỏng" in titles
    assert ws.page_setup.orientation == "landscape" and ws.auto_filter.ref == f"A{header}:H{header + 3}"

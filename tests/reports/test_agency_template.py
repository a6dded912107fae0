from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from piiplan.engine.errors import DataError
from piiplan.reports.agency_template import SHEET, read_agency_template, write_agency_template
from piiplan.reports.errors import ReportInputError
from piiplan.reports.model import AgencyTemplate, Issuer, TemplateIndicator

CODES = ["1.2.1", "4.2.2", "5.5.2"]


def _template(**kw) -> AgencyTemplate:
    inds = [TemplateIndicator("1.2.1", "Chi phí gia nhập thị trường", "điểm (0–10)", "VCCI (PCI)", 7.25),
            TemplateIndicator("4.2.2", "Mật độ doanh nghiệp/1.000 dân", "DN/1.000 dân", "Thống kê tỉnh", 3.1),
            TemplateIndicator("5.5.2", "Số dự án đầu tư trong khu công nghiệp", "dự án", "Ban Quản lý KKT", None)]
    args = dict(agency="Sở Tài chính", agency_code="STC", unit="Lạng Sơn", year=2026, indicators=inds,
                deadline=date(2026, 6, 10), issuer=Issuer("UBND TỈNH LẠNG SƠN", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
                                                          "Lạng Sơn"))
    args.update(kw)
    return AgencyTemplate(**args)


def _rows(ws):
    """Data rows by indicator code: {code: row number}."""
    header = next(r for r in range(1, 20) if ws.cell(row=r, column=2).value == "Mã chỉ số")
    return header, {ws.cell(row=r, column=2).value: r for r in range(header + 1, ws.max_row + 1)
                    if ws.cell(row=r, column=2).value}


def test_template_layout(tmp_path):
    path = write_agency_template(_template(synthetic=True), tmp_path / "bieu.xlsx")
    wb = load_workbook(path)
    ws = wb[SHEET]
    header, rows = _rows(ws)
    assert [c.value for c in ws[header]][:7] == ["STT", "Mã chỉ số", "Tên chỉ số", "Đơn vị tính", "Nguồn số liệu",
                                                  "Giá trị năm 2025", "Giá trị năm 2026"]
    assert list(rows) == CODES
    assert ws.cell(row=rows["1.2.1"], column=6).value == 7.25
    assert ws.cell(row=rows["5.5.2"], column=6).value is None
    titles = " ".join(str(ws.cell(row=r, column=1).value) for r in range(1, header))
    assert "Sở Tài chính" in titles and "10/06/2026" in titles and "Dữ liệu mô phỏng" in titles
    # protected sheet: header and codes locked, input cells open
    assert ws.protection.sheet
    assert ws.cell(row=header, column=7).protection.locked
    assert ws.cell(row=rows["1.2.1"], column=2).protection.locked
    for col in range(7, 12):
        assert not ws.cell(row=rows["1.2.1"], column=col).protection.locked
    # the value column accepts numbers only, the date column dates only
    kinds = {dv.type: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    first, last = rows["1.2.1"], rows["5.5.2"]
    assert kinds["decimal"] == f"G{first}:G{last}" and kinds["date"] == f"I{first}:I{last}"
    assert wb["_piiplan"].sheet_state == "hidden"
    assert ws.cell(row=header, column=1).font.name == "Times New Roman"


def test_empty_template_reads_as_no_values(tmp_path):
    df = read_agency_template(write_agency_template(_template(), tmp_path / "bieu.xlsx"))
    assert df.empty and list(df.columns)[:4] == ["unit", "indicator", "year", "value"]


def test_round_trip(tmp_path):
    path = write_agency_template(_template(), tmp_path / "bieu.xlsx")
    wb = load_workbook(path)
    ws = wb[SHEET]
    _, rows = _rows(ws)
    ws.cell(row=rows["1.2.1"], column=7, value=7.5)
    ws.cell(row=rows["1.2.1"], column=8, value="12/BC-STC")
    ws.cell(row=rows["1.2.1"], column=9, value=datetime(2026, 6, 1))
    ws.cell(row=rows["1.2.1"], column=10, value="Sở Tài chính")
    ws.cell(row=rows["4.2.2"], column=7, value=3)
    ws.cell(row=rows["4.2.2"], column=9, value="02/06/2026")
    ws.cell(row=rows["4.2.2"], column=11, value="Số liệu sơ bộ")
    wb.save(tmp_path / "da-dien.xlsx")
    df = read_agency_template(tmp_path / "da-dien.xlsx")
    assert df[["unit", "indicator", "year", "value"]].to_dict("records") == [
        {"unit": "Lạng Sơn", "indicator": "1.2.1", "year": 2026, "value": 7.5},
        {"unit": "Lạng Sơn", "indicator": "4.2.2", "year": 2026, "value": 3.0}]
    first = df.iloc[0]
    assert (first.evidence_number, first.evidence_date, first.evidence_issuer) == \
           ("12/BC-STC", date(2026, 6, 1), "Sở Tài chính")
    assert df.iloc[1].evidence_date == date(2026, 6, 2) and df.iloc[1].note == "Số liệu sơ bộ"
    assert set(df.agency) == {"Sở Tài chính"} and list(df.row) == [rows["1.2.1"], rows["4.2.2"]]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.tuples(*[st.one_of(st.none(), st.floats(0, high, allow_nan=False)) for high in (10, 1e9, 1e9)]))
def test_round_trip_any_values(tmp_path, values):
    # Any value the units allow (1.2.1 is "điểm (0–10)", the others counts): see the plausibility tests below.
    path = write_agency_template(_template(), tmp_path / "bieu.xlsx")
    wb = load_workbook(path)
    ws = wb[SHEET]
    _, rows = _rows(ws)
    for code, v in zip(CODES, values):
        ws.cell(row=rows[code], column=7, value=v)
    wb.save(path)
    df = read_agency_template(path)
    expected = {c: v for c, v in zip(CODES, values) if v is not None}
    # Excel keeps 15 significant digits
    assert dict(zip(df.indicator, df.value)) == pytest.approx(expected, rel=1e-14)


def test_every_problem_is_reported_with_its_place(tmp_path):
    path = write_agency_template(_template(), tmp_path / "bieu.xlsx")
    wb = load_workbook(path)
    ws = wb[SHEET]
    _, rows = _rows(ws)
    r1, r2, r3 = rows["1.2.1"], rows["4.2.2"], rows["5.5.2"]
    ws.cell(row=r1, column=7, value="=1+2")          # formula
    ws.cell(row=r2, column=7, value="ba phẩy một")    # text in a number cell
    ws.cell(row=r3, column=7, value=5)
    ws.cell(row=r3, column=9, value="hôm qua")       # not a date
    ws.cell(row=r3 + 1, column=2, value="9.9.9")     # unknown code
    ws.cell(row=r3 + 1, column=7, value=1)
    ws.cell(row=r3 + 2, column=2, value="4.2.2")     # repeated code
    ws.cell(row=r3 + 2, column=7, value=2)
    wb.save(path)
    with pytest.raises(ReportInputError) as err:
        read_agency_template(path)
    problems = err.value.problems
    assert isinstance(err.value, DataError)  # the data import catches one exception type
    where = {(p.row, p.column[0]): p.message for p in problems}
    assert set(where) == {(r1, "G"), (r2, "G"), (r3, "I"), (r3 + 1, "B"), (r3 + 2, "B")}
    assert "công thức" in where[(r1, "G")]
    assert "«ba phẩy một», không phải số" in where[(r2, "G")]
    assert "không phải ngày" in where[(r3, "I")]
    assert "«9.9.9» không có trong biểu mẫu" in where[(r3 + 1, "B")]
    assert f"lặp lại (đã có ở dòng {r2})" in where[(r3 + 2, "B")]
    assert all(p.file == "bieu.xlsx" and p.sheet == SHEET for p in problems)
    assert "bieu.xlsx" in str(err.value) and "dòng" in str(err.value)


def test_known_codes_narrow_the_template(tmp_path):
    path = write_agency_template(_template(), tmp_path / "bieu.xlsx")
    wb = load_workbook(path)
    ws = wb[SHEET]
    _, rows = _rows(ws)
    ws.cell(row=rows["5.5.2"], column=7, value=1)
    wb.save(path)
    with pytest.raises(ReportInputError, match="5.5.2"):
        read_agency_template(path, known_codes={"1.2.1", "4.2.2"})


def test_edited_header_and_foreign_files(tmp_path):
    path = write_agency_template(_template(), tmp_path / "bieu.xlsx")
    wb = load_workbook(path)
    header, _ = _rows(wb[SHEET])
    wb[SHEET].cell(row=header, column=7, value="Giá trị")
    wb.save(path)
    with pytest.raises(ReportInputError, match="Tiêu đề cột đã bị sửa"):
        read_agency_template(path)
    other = tmp_path / "khac.xlsx"
    Workbook().save(other)
    with pytest.raises(ReportInputError, match="không phải biểu mẫu"):
        read_agency_template(other)
    junk = tmp_path / "hong.xlsx"
    junk.write_text("không phải excel", encoding="utf-8")
    with pytest.raises(ReportInputError, match="không phải tệp Excel \\(.xlsx\\) hợp lệ"):
        read_agency_template(junk)


def test_result_feeds_a_long_dataset(tmp_path):
    path = write_agency_template(_template(), tmp_path / "bieu.xlsx")
    wb = load_workbook(path)
    ws = wb[SHEET]
    _, rows = _rows(ws)
    ws.cell(row=rows["1.2.1"], column=7, value=7.5)
    wb.save(path)
    df = read_agency_template(path)
    assert df.dtypes["value"] == float and pd.api.types.is_integer_dtype(df.dtypes["year"])


def test_plausibility_errors_and_warnings_name_sheet_row_column(tmp_path):
    path = write_agency_template(_template(), tmp_path / "bieu.xlsx")
    wb = load_workbook(path)
    ws = wb[SHEET]
    _, rows = _rows(ws)
    ws.cell(row=rows["1.2.1"], column=7, value=12.5)   # "điểm (0–10)": out of range
    ws.cell(row=rows["4.2.2"], column=7, value=-1)     # a count below zero
    wb.save(tmp_path / "sai.xlsx")
    with pytest.raises(ReportInputError) as err:
        read_agency_template(tmp_path / "sai.xlsx")
    text = [str(p) for p in err.value.problems]
    assert len(text) == 2
    assert f"dòng {rows['1.2.1']}" in text[0] and "cột «G" in text[0] and "nằm ngoài khoảng 0–10" in text[0]
    assert "không được âm" in text[1] and "trang tính «Số liệu»" in text[1]

    ws.cell(row=rows["1.2.1"], column=7, value=7.5)
    ws.cell(row=rows["4.2.2"], column=7, value=9.3)    # last year 3,1: +200 %
    wb.save(tmp_path / "tang.xlsx")
    df = read_agency_template(tmp_path / "tang.xlsx")
    warnings = dict(zip(df.indicator, df.warnings))
    assert warnings["1.2.1"] == []
    (line,) = warnings["4.2.2"]
    assert "tăng 200% so với năm trước (3,1)" in line and f"dòng {rows['4.2.2']}" in line
    assert read_agency_template(tmp_path / "tang.xlsx", max_change=3).warnings.map(len).sum() == 0

"""Malformed inputs: each gets a clear Vietnamese message naming where the problem is."""

from pathlib import Path

import pytest
from openpyxl import Workbook

from piiplan.engine import DataError, Framework, FrameworkError, read_data

FW_HEADER = "code,parent,level,name_vi,name_en,unit,direction,weight,source,confidence\n"
FW_OK = (FW_HEADER
         + "a,P,1,Chỉ số A,A,%,1,1,x,confirmed\n"
         + "b,P,1,Chỉ số B,B,%,-1,1,x,inferred\n"
         + "P,,2,Tổng,Total,,,1,,\n")


@pytest.fixture
def fw(tmp_path) -> Framework:
    p = tmp_path / "fw.csv"
    p.write_text(FW_OK, encoding="utf-8")
    return Framework.from_csv(p)


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def xlsx(tmp_path: Path, name: str, sheets: dict[str, list[list]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    p = tmp_path / name
    wb.save(p)
    return p


def problems(exc) -> list[str]:
    return [str(p) for p in exc.value.problems]


# ---- frameworks ---------------------------------------------------------------------------------

FRAMEWORK_CASES = {
    "duplicate code": (FW_HEADER + "a,P,1,A,A,%,1,1,x,confirmed\na,P,1,A,A,%,1,1,x,confirmed\nP,,2,T,T,,,1,,\n",
                       "dòng 3, cột «code»: Mã «a» bị trùng (đã có ở dòng 2)."),
    "unknown parent": (FW_HEADER + "a,Q,1,A,A,%,1,1,x,confirmed\nP,,2,T,T,,,1,,\n",
                       "dòng 2, cột «parent»: Nút cha «Q» của «a» không tồn tại."),
    "cycle": (FW_HEADER + "a,P,1,A,A,%,1,1,x,\nP,Q,2,T,T,,,1,,\nQ,P,3,U,U,,,1,,\n", "Vòng lặp trong cây"),
    "mixed levels": (FW_HEADER + "a,P,1,A,A,%,1,1,x,\nb,S,1,B,B,%,1,1,x,\nS,P,2,S,S,,,1,,\nP,,3,T,T,,,1,,\n",
                     "Cấp không nhất quán: «a» ở cấp 1 nhưng nút cha «P» ở cấp 3"),
    "missing weight": (FW_HEADER + "a,P,1,A,A,%,1,,x,\nP,,2,T,T,,,1,,\n",
                       "dòng 2, cột «weight»: Trọng số của «a» bị thiếu hoặc không phải số."),
    "negative weight": (FW_HEADER + "a,P,1,A,A,%,1,-2,x,\nP,,2,T,T,,,1,,\n",
                        "Trọng số của «a» phải là số không âm (đang là -2)."),
    "direction not ±1": (FW_HEADER + "a,P,1,A,A,%,2,1,x,\nP,,2,T,T,,,1,,\n",
                         "dòng 2, cột «direction»: Chiều tác động của chỉ số «a» phải là 1 hoặc -1 (đang là «2»)."),
    "no indicators": ("code,parent,level,weight\nP,,2,1\n", "Nút tổng hợp «P» (cấp 2) không có nút con nào."),
    "wrong header": ("ma,cha,cap\n1,,1\n", "Thiếu cột bắt buộc: code, parent."),
    "bad confidence": (FW_HEADER + "a,P,1,A,A,%,1,1,x,maybe\nP,,2,T,T,,,1,,\n", "Mức tin cậy «maybe» không hợp lệ"),
    "empty file": ("", "Tệp rỗng."),
}


@pytest.mark.parametrize("case", list(FRAMEWORK_CASES))
def test_framework_problem_is_reported(tmp_path, case):
    text, message = FRAMEWORK_CASES[case]
    path = write(tmp_path, "khung.csv", text)
    with pytest.raises(FrameworkError) as exc:
        Framework.from_csv(path)
    assert any(message in p for p in problems(exc)), problems(exc)
    assert all(p.startswith("tệp khung.csv") for p in problems(exc))


def test_framework_with_no_indicator_at_all(tmp_path):
    path = write(tmp_path, "khung.yaml", "nodes:\n  - {code: P, parent: null, level: 1, weight: 1}\n")
    with pytest.raises(FrameworkError) as exc:
        Framework.from_yaml(path)
    assert "Chiều tác động của chỉ số «P» phải là 1 hoặc -1" in exc.value.problems[0].message


# ---- data ---------------------------------------------------------------------------------------

LONG = "unit,indicator,year,value\n"
DATA_CASES = {
    "text in a number cell": (LONG + "X,a,2025,1\nX,b,2025,mười hai\n",
                              "dòng 3, cột «value»: «mười hai» không phải là số."),
    "ambiguous comma": (LONG + "X,a,2025,\"1,234\"\n",
                        "«1,234» không rõ là số thập phân hay có dấu phân cách hàng nghìn"),
    "english thousands": (LONG + "X,a,2025,\"1,234.5\"\n",
                          "«1,234.5» không phải là số (dấu thập phân là dấu phẩy hoặc dấu chấm"),
    "NaN string": (LONG + "X,a,2025,NaN\n", "Giá trị «NaN» không được chấp nhận; để trống ô nếu thiếu số liệu."),
    "inf string": (LONG + "X,a,2025,inf\n", "Giá trị «inf» không được chấp nhận"),
    "huge number": (LONG + "X,a,2025,1e300\n", "quá lớn (giới hạn ±1e+15); kiểm tra lại đơn vị."),
    "unknown code": (LONG + "X,z.9,2025,1\n", "dòng 2, cột «indicator»: Mã chỉ số «z.9» không có trong khung chỉ số."),
    "duplicate": (LONG + "X,a,2025,1\nX,a,2025,2\n", "dòng 3, cột «value»: Trùng số liệu: X, chỉ số a, năm 2025 đã có ở dòng 2."),
    "missing year": (LONG + "X,a,,1\n", "dòng 2, cột «year»: Thiếu năm."),
    "bad year": (LONG + "X,a,20x5,1\n", "Năm «20x5» không hợp lệ."),
    "wrong header": ("tinh,chi_so,gia_tri\nX,a,1\n", "Thiếu cột: year (năm). Bảng dạng dài cần 4 cột"),
    "ragged row": (LONG + "X,a,2025\n", "dòng 2: Dòng có 3 ô trong khi tiêu đề có 4 cột."),
    "empty file": ("   \n", "Tệp rỗng."),
    "header only": (LONG, "Không có dòng số liệu nào."),
}


@pytest.mark.parametrize("case", list(DATA_CASES))
def test_data_problem_is_reported(tmp_path, fw, case):
    text, message = DATA_CASES[case]
    path = write(tmp_path, "so-lieu.csv", text)
    with pytest.raises(DataError) as exc:
        read_data(path, fw)
    assert any(message in p for p in problems(exc)), problems(exc)


def test_bad_encoding_names_the_file(tmp_path, fw):
    path = write(tmp_path, "cp1258.csv", (LONG + "Sơn La,a,2025,1\n").encode("cp1258"))
    with pytest.raises(DataError) as exc:
        read_data(path, fw)
    assert "tệp cp1258.csv" in problems(exc)[0]
    assert "không được mã hoá UTF-8" in problems(exc)[0]


def test_unknown_unit_against_the_unit_list(tmp_path, fw):
    import pandas as pd

    units = pd.DataFrame({"name": ["Lạng Sơn"]}, index=pd.Index(["Lạng Sơn"], name="unit"))
    path = write(tmp_path, "d.csv", LONG + "Lang Son,a,2025,1\n")
    with pytest.raises(DataError) as exc:
        read_data(path, fw, units=units)
    assert "Đơn vị «Lang Son» không có trong danh sách đơn vị." in problems(exc)[0]


def test_excel_formula_cell(tmp_path, fw):
    path = xlsx(tmp_path, "d.xlsx", {"Số liệu": [["unit", "indicator", "year", "value"], ["X", "a", 2025, "=1+1"]]})
    with pytest.raises(DataError) as exc:
        read_data(path, fw)
    assert problems(exc) == ["tệp d.xlsx, trang tính «Số liệu», dòng 2, cột «value»: Ô chứa công thức Excel (=1+1); "
                             "hãy dán giá trị thay cho công thức."]


def test_wide_workbook_sheet_must_be_a_year(tmp_path, fw):
    path = xlsx(tmp_path, "w.xlsx", {"2025": [["unit", "a", "b"], ["X", 1, 2]], "Năm nay": [["unit", "a"], ["X", 1]]})
    with pytest.raises(DataError) as exc:
        read_data(path, fw)
    assert any("Tên trang tính «Năm nay» phải là năm" in p for p in problems(exc))


def test_wide_workbook_text_cell_names_sheet_row_and_column(tmp_path, fw):
    path = xlsx(tmp_path, "w.xlsx", {"2024": [["unit", "a", "b"], ["X", 1, 2]],
                                     "2025": [["unit", "a", "b"], ["X", 1, 2], ["Y", "n/a?", 3]]})
    with pytest.raises(DataError) as exc:
        read_data(path, fw)
    assert problems(exc) == ["tệp w.xlsx, trang tính «2025», dòng 3, cột «a»: «n/a?» không phải là số."]


def test_not_an_excel_file(tmp_path, fw):
    path = write(tmp_path, "gia.xlsx", "this is not a zip")
    with pytest.raises(DataError) as exc:
        read_data(path, fw)
    assert "không phải tệp Excel (.xlsx) hợp lệ hoặc tệp bị hỏng" in problems(exc)[0]
    assert "BadZip" not in problems(exc)[0]


def test_all_problems_reported_at_once_and_nothing_returned(tmp_path, fw):
    path = write(tmp_path, "d.csv", LONG + "X,a,2025,x\nX,q,2025,1\nX,b,,2\n")
    with pytest.raises(DataError) as exc:
        read_data(path, fw)
    assert len(exc.value.problems) == 3


@pytest.mark.parametrize("text,value", [("65,68", 65.68), ("-0,5", -0.5), ("1.297.800,4", 1297800.4),
                                        ("1.297.800", 1297800.0), ("12.5", 12.5), ("1e3", 1000.0)])
def test_vietnamese_number_writing_is_read(tmp_path, fw, text, value):
    ds = read_data(write(tmp_path, "d.csv", LONG + f'X,a,2025,"{text}"\n'), fw)
    assert ds.wide(2025).loc["X", "a"] == pytest.approx(value)


def test_good_files_read(tmp_path, fw):
    long = read_data(write(tmp_path, "d.csv", LONG + "X,a,2025,1.5\nX,b,2025,\nY,a,2025,2\n"), fw)
    assert long.years == [2025] and long.wide(2025).loc["X", "a"] == 1.5
    wide = read_data(xlsx(tmp_path, "w.xlsx", {"2024": [["unit", "a", "b"], ["X", 1, 2]],
                                               "2025": [["unit", "a", "b"], ["X", 3, None]]}), fw)
    assert wide.years == [2024, 2025] and wide.wide(2024).loc["X", "b"] == 2

from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from piiplan.engine import Framework, Recipe, build, preset, read_data
from piiplan.reports.results_workbook import read_recipe_json, recipe_rows, write_results_workbook

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "coinr-asem"


@pytest.fixture(scope="module")
def asem():
    fw = Framework.from_csv(GOLDEN / "asem_imeta.csv")
    ds = read_data(GOLDEN / "asem_raw_idata.csv", fw)
    return fw, ds.wide(ds.years[-1]), build(fw, ds.wide(ds.years[-1]), preset("coinr"))


def _sheet_frame(ws):
    rows = list(ws.iter_rows(values_only=True))
    return rows[0], {r[0]: r[1:] for r in rows[1:]}


def test_results_workbook_holds_every_table(asem, tmp_path):
    fw, wide, res = asem
    path = write_results_workbook(res, tmp_path / "kq.xlsx", synthetic=True, names={"AUT": "Áo"})
    wb = load_workbook(path)
    for sheet in ("Thông tin", "Khung chỉ số", "Số liệu gốc", "Sau xử lý ngoại lai", "Chuẩn hoá", "Điểm",
                  "Xếp hạng", "Nhật ký xử lý", "Điểm bị xử lý", "Trọng số", "Công thức"):
        assert sheet in wb.sheetnames
    assert wb.sheetnames[-1] == "Công thức (JSON)"
    header, rows = _sheet_frame(wb["Điểm"])
    assert header[:2] == ("Mã", "Tỉnh, thành phố") and list(header[2:]) == list(res.aggregated.columns)
    assert len(rows) == len(res.aggregated)
    got = np.array([[np.nan if v is None else v for v in rows[u][1:]] for u in res.aggregated.index], dtype=float)
    np.testing.assert_allclose(got, res.aggregated.to_numpy(dtype=float), equal_nan=True)
    assert rows["AUT"][0] == "Áo"
    header, ranks = _sheet_frame(wb["Xếp hạng"])
    root = fw.root
    best = min(ranks, key=lambda u: ranks[u][header.index(root) - 1])
    assert best == res.ranking(root).index[0]
    _, treat = _sheet_frame(wb["Nhật ký xử lý"])
    assert set(treat) == set(res.treatment.index)
    info = [r for r in wb["Thông tin"].iter_rows(values_only=True)]
    assert info[1][0] == "Dữ liệu mô phỏng — không phải số liệu chính thức"
    assert ("Số đơn vị", len(res.aggregated)) in info


def test_recipe_in_workbook_rebuilds_the_same_results(asem, tmp_path):
    fw, wide, res = asem
    recipe = preset("coinr").set("treat.winmax", 3)
    res2 = build(fw, wide, recipe)
    path = write_results_workbook(res2, tmp_path / "kq.xlsx")
    again = build(fw, wide, Recipe.from_json(read_recipe_json(path)))
    np.testing.assert_allclose(again.aggregated.to_numpy(dtype=float), res2.aggregated.to_numpy(dtype=float),
                               equal_nan=True)


VI_LETTERS = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"


@pytest.fixture(scope="module")
def pii_book(tmp_path_factory):
    from piiplan.demo import load_demo
    from piiplan.engine import build_dataset, load_framework

    res = build_dataset(load_framework("pii-2025"), load_demo(), 2024, preset("pii"))
    path = write_results_workbook(res, tmp_path_factory.mktemp("kq") / "kq.xlsx",
                                  names={u: u for u in res.units})
    return res, load_workbook(path), path


def test_framework_sheet_reads_in_vietnamese(pii_book):
    res, wb, _ = pii_book
    header, rows = _sheet_frame(wb["Khung chỉ số"])
    assert header[:9] == ("Mã", "Mã cha", "Cấp", "Tên chỉ số", "Đơn vị tính", "Chiều",
                          "Trọng số", "Nguồn", "Độ tin cậy")
    assert "source_vi" not in header and "confidence" not in header
    fw = res.framework
    assert len(rows) == len(fw.nodes)
    r = rows["1.1.1"]
    assert r[header.index("Nguồn") - 1] == "Bộ Nội vụ (Chỉ số CCHC – PAR INDEX)"
    assert r[header.index("Độ tin cậy") - 1] == "xác nhận tên"
    assert r[header.index("Chiều") - 1].startswith("thuận")
    confidence = {v[header.index("Độ tin cậy") - 1] for v in rows.values()}
    assert confidence <= {"đã xác nhận", "xác nhận tên", "suy luận", "tạm thời"}
    assert "tạm thời" in confidence
    for code in fw.indicators:
        want = "thuận" if int(fw.nodes.at[code, "direction"]) == 1 else "nghịch"
        assert rows[code][header.index("Chiều") - 1].startswith(want), code


def test_treatment_log_reads_in_vietnamese(pii_book):
    res, wb, _ = pii_book
    header, rows = _sheet_frame(wb["Nhật ký xử lý"])
    assert header[:6] == ("Mã chỉ số", "Xử lý", "Đạt kiểm tra lần 0", "Độ lệch lần 0", "Độ nhọn lần 0",
                          "Số điểm bị cắt")
    assert set(rows) == set(res.treatment.index)
    fired = {v[0] for v in rows.values()}
    assert fired <= {"không xử lý", "cắt giá trị ngoại lai về giá trị kế tiếp", "biến đổi logarit",
                     "bỏ qua (không kiểm tra)", "không xử lý được"}
    assert "cắt giá trị ngoại lai về giá trị kế tiếp" in fired
    assert {v[1] for v in rows.values()} <= {"Có", "Không", None}
    for code, row in rows.items():
        assert row[1] == ("Có" if res.treatment.at[code, "pass0"] else "Không")
    points = list(wb["Điểm bị xử lý"].iter_rows(values_only=True))
    labels = {v for r in points[1:] for v in r[1:] if v}
    assert labels and not labels & {"winhi", "winlo", "log_CT"}


def test_unit_sheets_are_headed_by_province(pii_book):
    res, wb, _ = pii_book
    for sheet in ("Số liệu gốc", "Chuẩn hoá", "Điểm", "Xếp hạng", "Điểm bị xử lý"):
        header = next(wb[sheet].iter_rows(values_only=True))
        assert header[0] == "Tỉnh, thành phố" and header[1] != "Tên", sheet
    header, rows = _sheet_frame(wb["Điểm"])
    assert set(rows) == set(res.units)


def test_recipe_sheet_is_a_readable_table_and_the_json_rebuilds(pii_book):
    res, wb, path = pii_book
    table = list(wb["Công thức"].iter_rows(values_only=True))
    head = table.index(("Bước", "Tham số", "Giá trị", "Khoá (piiplan compute --set)"))
    body = table[head + 1:]
    assert len(body) == len(recipe_rows(res.recipe)) > 10
    keys = {r[3]: r for r in body}
    assert keys["normalise.method"][1:3] == ("Phương pháp", "min-max")
    assert keys["normalise.upper"][2] == 100
    assert keys["treat.skew"][0].endswith("Xử lý ngoại lai")
    for step, param, value, key in body:
        assert any(ch in (step + param).lower() for ch in VI_LETTERS), (step, param)
    assert read_recipe_json(path) == res.recipe.to_json(indent=2)


def _all_cells(wb) -> list[str]:
    return [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]


def test_public_workbook_is_vietnamese_only_and_prints_sensibly(tmp_path):
    import re

    from piiplan.demo import load_demo
    from piiplan.engine import build_dataset, load_framework, preset
    from piiplan.reports import pdf as pdfmod

    res = build_dataset(load_framework("pii-2025"), load_demo(), 2025, preset("pii"))
    path = write_results_workbook(res, tmp_path / "kq.xlsx", names={u: u for u in res.units}, public=True)
    wb = load_workbook(path)
    assert wb["Công thức (JSON)"].sheet_state == "hidden"  # machine-readable, not shown nor printed
    cells = [str(c) for ws in wb.worksheets if ws.sheet_state == "visible"
             for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    text = "\n".join(cells)
    assert "http" not in text and "winsorise" not in text.lower()
    for english in ("raw", "treated", "normalised", "denominated", "imputed", "screened"):
        assert not re.search(rf"\b{english}\b", text), english
    assert "Tên tiếng Anh" not in text
    for ws in [w for w in wb.worksheets if w.sheet_state == "visible"]:
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows and ws.print_area, ws.title
    if pdfmod.find_libreoffice() is not None:
        pages = pdfmod.page_count(pdfmod.to_pdf(path, tmp_path / "pdf"))
        assert pages <= 40, pages  # was 129 pages

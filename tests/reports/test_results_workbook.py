from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from piiplan.engine import Framework, Recipe, build, preset, read_data
from piiplan.reports.results_workbook import read_recipe_json, write_results_workbook

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
    header, rows = _sheet_frame(wb["Điểm"])
    assert header[:2] == ("uCode", "Tên") and list(header[2:]) == list(res.aggregated.columns)
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

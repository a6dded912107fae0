"""The full results workbook of one build (XLSX): every stage, every level's scores and ranks, the
treatment log, the weights and the recipe, so the numbers can be checked and the index regenerated.

Written against the engine contract (docs/engine-api.md): ``res.stages``, ``res.stage(name)``,
``res.aggregated``, ``res.ranks``, ``res.treatment``, ``res.treated_points``, ``res.weights``, ``res.recipe``.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from piiplan.reports import xlsx
from piiplan.reports.model import SYNTHETIC_NOTE

STAGE_SHEETS = {
    "raw": "Số liệu gốc",
    "denominated": "Sau chia mẫu số",
    "screened": "Sau sàng lọc",
    "imputed": "Sau ước lượng thiếu",
    "treated": "Sau xử lý ngoại lai",
    "normalised": "Chuẩn hoá",
}
SHEET_NOTES = {
    "Khung chỉ số": "Cây mã chỉ số: cấp, mã cha, tên, đơn vị, chiều tác động, trọng số, nguồn.",
    "Điểm": "Điểm chuẩn hoá của chỉ số và điểm tổng hợp của mọi cấp (bố cục COINr).",
    "Xếp hạng": "Thứ hạng theo mọi mã (1 là cao nhất; bằng điểm thì cùng hạng thấp nhất).",
    "Nhật ký xử lý": "Chỉ số được xử lý ngoại lai: quy tắc áp dụng, số điểm bị thay, độ lệch, độ nhọn.",
    "Điểm bị xử lý": "Ô nào bị thay (winhi, winlo) hoặc biến đổi logarit.",
    "Trọng số": "Trọng số dùng khi tổng hợp.",
    "Công thức": "Công thức tính (recipe) dạng JSON: dựng lại đúng kết quả này bằng «piiplan compute».",
}


def _cell_value(v):
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):  # numpy scalar
        v = v.item()
        if isinstance(v, float) and math.isnan(v):
            return None
    if isinstance(v, (list, dict, tuple)):
        return str(v)
    return v


def _write_frame(wb: Workbook, title: str, df: pd.DataFrame, *, index_label: str | None = None,
                 number_format: str | None = "0.00", widths: dict[int, float] | None = None):
    ws = wb.create_sheet(title)
    frame = df.reset_index() if index_label is not None else df
    if index_label is not None:
        frame = frame.rename(columns={frame.columns[0]: index_label})
    cols = [str(c) for c in frame.columns]
    for j, c in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=j, value=c)
        cell.font = xlsx.font(11, bold=True)
        cell.fill = xlsx.HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = (widths or {}).get(j, 12 if j > 1 else 18)
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        for j, v in enumerate(row, start=1):
            cell = ws.cell(row=i, column=j, value=_cell_value(v))
            if number_format and isinstance(cell.value, float):
                cell.number_format = number_format
    ws.freeze_panes = "B2"
    return ws


def write_results_workbook(res, path: str | Path, *, title: str = "", synthetic: bool = False,
                           names: dict[str, str] | None = None) -> Path:
    """Write the results workbook; ``names`` maps unit codes to display names (default: the codes)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    info = wb.active
    info.title = "Thông tin"
    fw = res.framework
    year = getattr(res, "year", None)
    heading = title or f"KẾT QUẢ TÍNH TOÁN CHỈ SỐ {fw.root}" + (f" NĂM {year}" if year else "")
    fingerprint = res.recipe.fingerprint
    fingerprint = fingerprint() if callable(fingerprint) else fingerprint
    rows = [(heading, None)]
    if synthetic:
        rows.append((SYNTHETIC_NOTE, None))
    rows += [("Khung chỉ số", getattr(fw, "name", fw.root)), ("Mã chỉ số tổng hợp", fw.root),
             ("Số đơn vị", len(res.aggregated.index)), ("Số chỉ số thành phần", len(fw.indicators)),
             ("Năm số liệu", year), ("Mã vân tay công thức", fingerprint), (None, None),
             ("Trang tính", "Nội dung")]
    stage_names = [s for s in STAGE_SHEETS if s in res.stages]
    rows += [(STAGE_SHEETS[s], f"Bảng đơn vị × chỉ số ở bước «{s}».") for s in stage_names]
    rows += list(SHEET_NOTES.items())
    for i, (a, b) in enumerate(rows, start=1):
        info.cell(row=i, column=1, value=a).font = xlsx.font(12, bold=i == 1 or a == "Trang tính")
        info.cell(row=i, column=2, value=_cell_value(b)).font = xlsx.font(12)
    if synthetic:
        info.cell(row=2, column=1).font = xlsx.font(12, bold=True, italic=True, color="C00000")
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 90

    nodes = fw.nodes.copy()
    nodes.index.name = "code"
    _write_frame(wb, "Khung chỉ số", nodes, index_label="Mã", number_format=None, widths={3: 8, 4: 60, 5: 40})

    def labelled(df: pd.DataFrame) -> pd.DataFrame:
        out = df.copy()
        if names:
            out.insert(0, "Tên", [names.get(u, u) for u in out.index])
        return out

    for s in stage_names:
        _write_frame(wb, STAGE_SHEETS[s], labelled(res.stage(s)), index_label="uCode")
    _write_frame(wb, "Điểm", labelled(res.aggregated), index_label="uCode")
    _write_frame(wb, "Xếp hạng", labelled(res.ranks), index_label="uCode", number_format="0")
    if not res.treatment.empty:
        _write_frame(wb, "Nhật ký xử lý", res.treatment, index_label="iCode", number_format="0.000")
    _write_frame(wb, "Điểm bị xử lý", labelled(res.treated_points), index_label="uCode", number_format=None)
    _write_frame(wb, "Trọng số", res.weights.rename("Trọng số").to_frame(), index_label="Mã",
                 number_format="0.###")
    recipe = wb.create_sheet("Công thức")
    for i, line in enumerate(res.recipe.to_json(indent=2).splitlines(), start=1):
        recipe.cell(row=i, column=1, value=line).font = xlsx.Font(name="Courier New", size=10)
    recipe.column_dimensions["A"].width = 100
    wb.save(path)
    return path


def read_recipe_json(path: str | Path) -> str:
    """The recipe JSON stored in a results workbook (to rebuild the same results)."""
    from openpyxl import load_workbook

    ws = load_workbook(path, read_only=True)["Công thức"]
    return "\n".join(str(r[0]) if r[0] is not None else "" for r in ws.iter_rows(values_only=True))

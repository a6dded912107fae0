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

from piiplan.safe_cells import set_text
from openpyxl.utils import get_column_letter

from piiplan.engine.treat import FIRED_VI
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
RECIPE_SHEET = "Công thức"
RECIPE_JSON_SHEET = "Công thức (JSON)"
SHEET_NOTES = {
    "Khung chỉ số": "Cây mã chỉ số: cấp, mã cha, tên, đơn vị, chiều tác động, trọng số, nguồn, độ tin cậy.",
    "Điểm": "Điểm chuẩn hoá của chỉ số và điểm tổng hợp của mọi cấp (bố cục COINr).",
    "Xếp hạng": "Thứ hạng theo mọi mã (1 là cao nhất; bằng điểm thì cùng hạng thấp nhất).",
    "Nhật ký xử lý": "Chỉ số được xử lý ngoại lai: cách xử lý, số điểm bị thay, độ lệch, độ nhọn.",
    "Điểm bị xử lý": "Ô nào bị thay bằng giá trị kế tiếp (cắt giá trị ngoại lai) hoặc biến đổi logarit.",
    "Trọng số": "Trọng số dùng khi tổng hợp.",
    RECIPE_SHEET: "Công thức tính: từng bước, tham số và giá trị.",
    RECIPE_JSON_SHEET: "Công thức tính dạng JSON: dựng lại đúng kết quả này bằng «piiplan compute».",
}

# Framework sheet: column → Vietnamese header, in this order; other metadata columns follow.
FRAMEWORK_HEADERS = {
    "code": "Mã", "parent": "Mã cha", "level": "Cấp", "name_vi": "Tên chỉ số", "unit": "Đơn vị tính",
    "direction": "Chiều", "weight": "Trọng số", "source": "Nguồn", "confidence": "Độ tin cậy",
    "target": "Mục tiêu", "denominator": "Mẫu số", "goalpost_lo": "Cận dưới", "goalpost_hi": "Cận trên",
}
# Columns of the framework file kept out of the workbook: the English name and the English research
# notes with their web addresses (the workbook is a public download, in Vietnamese only), the
# technical merge rule.
FRAMEWORK_DROPPED = ("name_en", "note", "merge", "source_en")
CONFIDENCE_VI = {"confirmed": "đã xác nhận", "name-confirmed": "xác nhận tên", "inferred": "suy luận",
                 "placeholder": "tạm thời"}
DIRECTION_VI = {1: "thuận (cao hơn là tốt hơn)", -1: "nghịch (thấp hơn là tốt hơn)"}

# Treatment log: engine column → Vietnamese header (check 0 = before treatment, 1 = after winsorising,
# 2 = after the log transform).
TREATMENT_HEADERS = {
    "fired": "Xử lý", "pass0": "Đạt kiểm tra lần 0", "skew0": "Độ lệch lần 0", "kurt0": "Độ nhọn lần 0",
    "nwin": "Số điểm bị cắt", "pass1": "Đạt kiểm tra sau khi cắt", "skew1": "Độ lệch sau khi cắt",
    "kurt1": "Độ nhọn sau khi cắt", "pass2": "Đạt kiểm tra sau logarit", "skew2": "Độ lệch sau logarit",
    "kurt2": "Độ nhọn sau logarit", "note": "Ghi chú",
}
# Treatment in plain Vietnamese ("winsorise" is the method's English name: cut to the next value).
FIRED_WORDS = {**FIRED_VI, "winsorise": "cắt giá trị ngoại lai về giá trị kế tiếp"}
POINT_VI = {"winhi": "cắt giá trị cao", "winlo": "cắt giá trị thấp",
            "log_CT": "biến đổi logarit", "log_GII": "biến đổi logarit (GII)"}

STEP_VI = {"denominate": "Chia mẫu số", "impute": "Ước lượng giá trị thiếu", "screen": "Sàng lọc",
           "treat": "Xử lý ngoại lai", "normalise": "Chuẩn hoá", "aggregate": "Tổng hợp"}
PARAM_VI = {
    "method": "Phương pháp", "by": "Mẫu số theo chỉ số", "scale": "Hệ số nhân", "group": "Nhóm tham chiếu",
    "threshold": "Ngưỡng tỷ lệ có số liệu", "include": "Luôn giữ", "exclude": "Luôn loại",
    "skew": "Ngưỡng độ lệch", "kurt": "Ngưỡng độ nhọn", "winmax": "Số điểm cắt tối đa",
    "log": "Phép biến đổi logarit", "overrides": "Cách xử lý riêng theo chỉ số",
    "lower": "Cận dưới", "upper": "Cận trên", "mean": "Trung bình (z-score)", "sd": "Độ lệch chuẩn (z-score)",
    "p": "Số mũ (trung bình lũy thừa)", "min_coverage": "Tỷ lệ số liệu tối thiểu", "weights": "Trọng số riêng",
}
METHOD_VI = {"minmax": "min-max", "zscore": "z-score", "amean": "trung bình cộng có trọng số",
             "gmean": "trung bình nhân có trọng số", "none": "không", "coinr": "mặc định COINr",
             "gii": "kiểu GII"}


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


def _yes_no(v):
    v = _cell_value(v)
    return None if v is None else ("Có" if v else "Không")


def _framework_frame(fw) -> pd.DataFrame:
    nodes = fw.nodes.copy()
    nodes.index.name = "code"
    nodes = nodes.reset_index()
    nodes = nodes.drop(columns=[c for c in FRAMEWORK_DROPPED if c in nodes.columns])
    if "source_vi" in nodes.columns:    # users read the Vietnamese source; the English original stays in the CSV
        vi = nodes["source_vi"].where(nodes["source_vi"].notna() & (nodes["source_vi"].astype(str) != ""))
        nodes["source"] = vi.fillna(nodes["source"])
        nodes = nodes.drop(columns="source_vi")
    if "confidence" in nodes.columns:
        nodes["confidence"] = [CONFIDENCE_VI.get(c, _cell_value(c)) for c in nodes["confidence"]]
    if "direction" in nodes.columns:
        nodes["direction"] = [DIRECTION_VI.get(int(d), d) if _cell_value(d) not in (None, "") else None
                              for d in nodes["direction"]]
    first = [c for c in FRAMEWORK_HEADERS if c in nodes.columns]
    nodes = nodes[first]  # only the columns with a Vietnamese header
    return nodes.rename(columns=FRAMEWORK_HEADERS)


def _treatment_frame(treatment: pd.DataFrame) -> pd.DataFrame:
    out = treatment.copy()
    out["fired"] = [FIRED_WORDS.get(f, f) for f in out["fired"]]
    for c in ("pass0", "pass1", "pass2"):
        if c in out.columns:
            out[c] = [_yes_no(v) for v in out[c]]
    return out.rename(columns=TREATMENT_HEADERS)


def _param_value(v) -> str | float | int | None:
    if v is None:
        return "mặc định"
    if isinstance(v, bool):
        return "Có" if v else "Không"
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, dict):
        return "; ".join(f"{k}: {_param_value(x)}" for k, x in v.items()) or "không có"
    if isinstance(v, (list, tuple)):
        return ", ".join(str(_param_value(x)) for x in v) or "không có"
    return METHOD_VI.get(str(v), str(v))


def recipe_rows(recipe) -> list[tuple]:
    """(step, parameter, value, code) rows of the recipe in Vietnamese, one per parameter."""
    rows = []
    for i, step in enumerate(recipe.to_dict()["steps"], start=1):
        name = step["step"]
        for key, value in step.items():
            if key == "step":
                continue
            if name == "treat" and key == "winmax" and value == -1:
                shown = "mặc định"
            else:
                shown = _param_value(value)
            rows.append((f"{i}. {STEP_VI.get(name, name)}", PARAM_VI.get(key, key), shown, f"{name}.{key}"))
    return rows


def _write_recipe(wb: Workbook, recipe, *, public: bool = False) -> None:
    ws = wb.create_sheet(RECIPE_SHEET)
    set_text(ws.cell(row=1, column=1), f"Công thức «{recipe.name}»").font = xlsx.font(12, bold=True)
    if recipe.notes and not public:
        set_text(ws.cell(row=2, column=1), recipe.notes).font = xlsx.font(11, italic=True)
    headers, widths = ["Bước", "Tham số", "Giá trị", "Khoá (piiplan compute --set)"], [28, 36, 40, 26]
    if public:
        headers, widths = headers[:3], widths[:3]
    xlsx.header_row(ws, 4, headers, widths)
    for r, row in enumerate(recipe_rows(recipe), start=5):
        for j, v in enumerate(row[:len(headers)], start=1):
            xlsx.body_cell(ws, r, j, v, wrap=j == 3)
    _print(ws, 4, portrait=True)
    raw = wb.create_sheet(RECIPE_JSON_SHEET)
    for i, line in enumerate(recipe.to_json(indent=2).splitlines(), start=1):
        set_text(raw.cell(row=i, column=1), line).font = xlsx.Font(name="Courier New", size=10)
    raw.column_dimensions["A"].width = 100
    if public:
        # Machine-readable (rebuilds the same results with read_recipe_json); hidden from readers and
        # from printing in the public download.
        raw.sheet_state = "hidden"


def _write_frame(wb: Workbook, title: str, df: pd.DataFrame, *, index_label: str | None = None,
                 number_format: str | None = "0.00", widths: dict[int, float] | None = None):
    ws = wb.create_sheet(title)
    frame = df.reset_index() if index_label is not None else df
    if index_label is not None:
        frame = frame.rename(columns={frame.columns[0]: index_label})
    cols = [str(c) for c in frame.columns]
    for j, c in enumerate(cols, start=1):
        cell = set_text(ws.cell(row=1, column=j), c)
        cell.font = xlsx.font(11, bold=True)
        cell.fill = xlsx.HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = (widths or {}).get(j, 12 if j > 1 else 18)
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        for j, v in enumerate(row, start=1):
            cell = set_text(ws.cell(row=i, column=j), _cell_value(v))
            if number_format and isinstance(cell.value, float):
                cell.number_format = number_format
    _print(ws, 1)
    return ws


def _print(ws, header: int, *, portrait: bool = False) -> None:
    """A4, fit to the page width, the header row repeated on every page, the used range as print area."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait" if portrait else "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header}:{header}"
    ws.print_area = f"A1:{get_column_letter(max(ws.max_column, 1))}{max(ws.max_row, 1)}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.freeze_panes = ws.cell(row=header + 1, column=2)


def write_results_workbook(res, path: str | Path, *, title: str = "", synthetic: bool = False,
                           names: dict[str, str] | None = None, unit_label: str = "Tỉnh, thành phố",
                           public: bool = False) -> Path:
    """Write the results workbook; ``names`` maps unit codes to display names (default: the codes).

    Data sheets start with the unit (header ``unit_label``); when ``names`` differ from the codes, a
    «Mã» column with the code comes first. The recipe is written twice: a readable table (step,
    parameter, value) on «Công thức» and the JSON on the last sheet, «Công thức (JSON)», for
    :func:`read_recipe_json`. ``public=True`` (the workspace's public download) hides what only
    the command line needs: the recipe's JSON sheet (kept, hidden, for :func:`read_recipe_json`), its
    ``--set`` keys and its notes. Every sheet prints on A4,
    fitted to the page width, with its header row repeated.
    """
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
    rows += [(STAGE_SHEETS[s], f"Bảng tỉnh, thành phố × chỉ số: {STAGE_SHEETS[s].lower()}.") for s in stage_names]
    rows += [(k, v) for k, v in SHEET_NOTES.items() if not (public and k == RECIPE_JSON_SHEET)]
    for i, (a, b) in enumerate(rows, start=1):
        set_text(info.cell(row=i, column=1), a).font = xlsx.font(12, bold=i == 1 or a == "Trang tính")
        set_text(info.cell(row=i, column=2), _cell_value(b)).font = xlsx.font(12)
    if synthetic:
        info.cell(row=2, column=1).font = xlsx.font(12, bold=True, italic=True, color="C00000")
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 90
    _print(info, 1, portrait=True)

    _write_frame(wb, "Khung chỉ số", _framework_frame(fw), number_format=None,
                 widths={1: 9, 2: 9, 3: 6, 4: 62, 5: 18, 6: 26, 7: 9, 8: 44, 9: 14})

    # Units are shown by name under «Tỉnh, thành phố»; when codes differ from names the code comes first.
    coded = bool(names) and any(names.get(u, u) != u for u in res.aggregated.index)

    def labelled(df: pd.DataFrame) -> pd.DataFrame:
        out = df.copy()
        if coded:
            out.insert(0, unit_label, [names.get(u, u) for u in out.index])
        return out

    unit_header = "Mã" if coded else unit_label
    for s in stage_names:
        _write_frame(wb, STAGE_SHEETS[s], labelled(res.stage(s)), index_label=unit_header)
    _write_frame(wb, "Điểm", labelled(res.aggregated), index_label=unit_header)
    _write_frame(wb, "Xếp hạng", labelled(res.ranks), index_label=unit_header, number_format="0")
    if not res.treatment.empty:
        _write_frame(wb, "Nhật ký xử lý", _treatment_frame(res.treatment), index_label="Mã chỉ số",
                     number_format="0.000", widths={2: 30, 13: 50})
    points = res.treated_points.replace(POINT_VI)
    _write_frame(wb, "Điểm bị xử lý", labelled(points), index_label=unit_header, number_format=None)
    _write_frame(wb, "Trọng số", res.weights.rename("Trọng số").to_frame(), index_label="Mã",
                 number_format="0.###")
    _write_recipe(wb, res.recipe, public=public)
    wb.save(path)
    return path


def read_recipe_json(path: str | Path) -> str:
    """The recipe JSON stored in a results workbook (to rebuild the same results)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    # Workbooks written before the readable recipe table held the JSON on «Công thức».
    ws = wb[RECIPE_JSON_SHEET] if RECIPE_JSON_SHEET in wb.sheetnames else wb[RECIPE_SHEET]
    return "\n".join(str(r[0]) if r[0] is not None else "" for r in ws.iter_rows(values_only=True))

"""Data-collection template for one agency (XLSX) and the reader that takes a filled copy back.

The template lists the agency's indicators with unit, source and last year's value, and leaves yellow cells
for the new value and its evidence (document number, date, issuer). Only those cells are unlocked; the
sheet is protected so nobody edits a code or a header by mistake, and the value column only accepts
numbers. A hidden sheet ``_piiplan`` records what the template is (agency, unit, year, codes), so the
reader knows what to expect and can name every problem by file, sheet, row and column.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from piiplan.analysis import plausibility
from piiplan.safe_cells import set_text, unquote
from piiplan.reports import xlsx
from piiplan.reports.errors import Problem, ReportInputError
from piiplan.reports.formatting import format_date, format_number
from piiplan.reports.model import SYNTHETIC_NOTE, AgencyTemplate

SHEET = "Số liệu"
META_SHEET = "_piiplan"
KIND = "agency-template"
VERSION = 1

# Column keys in order; headers carry the years, so the reader finds columns by key from the metadata.
COLUMNS = ["stt", "code", "name", "unit", "source", "last_value", "value", "evidence_number", "evidence_date",
           "evidence_issuer", "note"]
WIDTHS = [6, 10, 48, 14, 26, 14, 14, 20, 14, 26, 24]
INPUT_KEYS = {"value", "evidence_number", "evidence_date", "evidence_issuer", "note"}
VALUE_LIMIT = 1e15

RESULT_COLUMNS = ["unit", "indicator", "year", "value", "agency", "evidence_number", "evidence_date",
                  "evidence_issuer", "note", "file", "row", "warnings"]


def template_year(years) -> int:
    """The year an agency template collects (the ONE rule, web and CLI): the latest year of the data in
    use. The web import only accepts a year the data already hold (an index year is computed over every
    province), so the template asks for that year and shows the year before as "last year's value"."""
    years = [int(y) for y in years]
    if not years:
        raise ValueError("Bộ dữ liệu chưa có năm nào.")
    return max(years)


def _headers(year: int) -> list[str]:
    return ["STT", "Mã chỉ số", "Tên chỉ số", "Đơn vị tính", "Nguồn số liệu", f"Giá trị năm {year - 1}",
            f"Giá trị năm {year}", "Số, ký hiệu văn bản minh chứng", "Ngày văn bản", "Cơ quan ban hành",
            "Ghi chú"]


def write_agency_template(t: AgencyTemplate, path: str | Path) -> Path:
    """Write the template XLSX for one agency; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    lines = []
    if t.issuer:
        lines.append((f"{t.issuer.parent_body.upper()} — {t.issuer.body.upper()}", {"size": 11}))
    lines.append((f"BIỂU THU THẬP SỐ LIỆU CHỈ SỐ ĐỔI MỚI SÁNG TẠO CẤP ĐỊA PHƯƠNG (PII) NĂM {t.year}",
                  {"size": 14, "bold": True}))
    sub = f"Cơ quan: {t.agency} — Địa phương: {t.unit}"
    if t.deadline:
        sub += f" — Hạn gửi: {format_date(t.deadline)}"
    lines.append((sub, {"size": 12, "bold": True}))
    lines.append(("Chỉ nhập vào các ô màu vàng; giá trị là số (không nhập công thức, không kèm đơn vị). "
                  "Không sửa mã chỉ số và tiêu đề cột.", {"size": 11, "italic": True}))
    if t.synthetic:
        lines.append((SYNTHETIC_NOTE, {"size": 11, "italic": True, "bold": True, "color": "C00000"}))
    header = xlsx.title_rows(ws, lines, len(COLUMNS))
    xlsx.header_row(ws, header, _headers(t.year), WIDTHS)
    first = header + 1
    for i, ind in enumerate(t.indicators):
        r = first + i
        values = [i + 1, ind.code, ind.name, ind.unit, ind.source, ind.last_value, None, None, None, None, None]
        for j, (key, v) in enumerate(zip(COLUMNS, values), start=1):
            c = xlsx.body_cell(ws, r, j, v, number=key in ("last_value", "value"), date=key == "evidence_date",
                               wrap=key in ("name", "source"), fill=xlsx.INPUT_FILL if key in INPUT_KEYS else None)
            if key in INPUT_KEYS:
                c.protection = Protection(locked=False)
    last = first + max(len(t.indicators), 1) - 1
    vcol = get_column_letter(COLUMNS.index("value") + 1)
    dcol = get_column_letter(COLUMNS.index("evidence_date") + 1)
    dv = DataValidation(type="decimal", operator="between", formula1=str(-VALUE_LIMIT), formula2=str(VALUE_LIMIT),
                        allow_blank=True, showErrorMessage=True, errorTitle="Giá trị không hợp lệ",
                        error="Chỉ nhập số (không nhập chữ, đơn vị hay công thức).",
                        promptTitle="Giá trị chỉ số", prompt="Nhập số liệu của năm báo cáo.", showInputMessage=True)
    dv.add(f"{vcol}{first}:{vcol}{last}")
    ws.add_data_validation(dv)
    dd = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True, showErrorMessage=True,
                        errorTitle="Ngày không hợp lệ", error="Nhập ngày theo dạng ngày/tháng/năm, ví dụ 25/06/2026.")
    dd.add(f"{dcol}{first}:{dcol}{last}")
    ws.add_data_validation(dd)
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths may still be changed
    ws.protection.formatRows = False
    xlsx.print_setup(ws, header)

    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    rows = [("kind", KIND), ("version", VERSION), ("agency", t.agency), ("agency_code", t.agency_code),
            ("unit", t.unit), ("year", t.year), ("header_row", header), ("first_row", first),
            ("codes", ",".join(i.code for i in t.indicators))]
    for r, (k, v) in enumerate(rows, start=1):
        set_text(meta.cell(row=r, column=1), k)
        set_text(meta.cell(row=r, column=2), v)
    meta.protection.sheet = True
    wb.save(path)
    return path


# --------------------------------------------------------------------------- reading back


def _meta(wb, name: str) -> tuple[dict, list[Problem]]:
    if META_SHEET not in wb.sheetnames:
        return {}, [Problem("Tệp không phải biểu mẫu thu thập số liệu do piiplan tạo (thiếu trang tính ẩn "
                            f"«{META_SHEET}»). Hãy dùng biểu mẫu đã được gửi.", file=name)]
    ws = wb[META_SHEET]
    meta = {str(r[0]): unquote(r[1]) for r in ws.iter_rows(values_only=True) if r and r[0] is not None}
    if meta.get("kind") != KIND:
        return {}, [Problem("Tệp không phải biểu mẫu thu thập số liệu của cơ quan.", file=name, sheet=META_SHEET)]
    if SHEET not in wb.sheetnames:
        return {}, [Problem(f"Thiếu trang tính «{SHEET}».", file=name, sheet=SHEET)]
    return meta, []


def _number(cell, name: str, where) -> tuple[float | None, Problem | None]:
    v = cell.value
    if v is None or (isinstance(v, str) and not v.strip()):
        return None, None
    if cell.data_type == "f" or (isinstance(v, str) and v.startswith("=")):
        return None, where(f"Ô {cell.coordinate} chứa công thức «{v}»; hãy nhập giá trị số.")
    if isinstance(v, bool):
        return None, where(f"Ô {cell.coordinate} chứa giá trị đúng/sai, không phải số.")
    if isinstance(v, (int, float)):
        if abs(v) > VALUE_LIMIT:
            return None, where(f"Ô {cell.coordinate} có giá trị quá lớn ({v}).")
        return float(v), None
    return None, where(f"Ô {cell.coordinate} chứa chữ «{v}», không phải số; hãy nhập số, không kèm đơn vị.")


def _date(cell, where) -> tuple[date | None, Problem | None]:
    v = cell.value
    if v is None or (isinstance(v, str) and not v.strip()):
        return None, None
    if cell.data_type == "f" or (isinstance(v, str) and v.startswith("=")):
        return None, where(f"Ô {cell.coordinate} chứa công thức; hãy nhập ngày.")
    if isinstance(v, datetime):
        return v.date(), None
    if isinstance(v, date):
        return v, None
    if isinstance(v, str):
        try:
            return datetime.strptime(v.strip(), "%d/%m/%Y").date(), None
        except ValueError:
            pass
    return None, where(f"Ô {cell.coordinate} chứa «{v}», không phải ngày (dạng ngày/tháng/năm, ví dụ 25/06/2026).")


def _text(v) -> str:
    return "" if v is None else unquote(str(v).strip())


def read_agency_template(path: str | Path, *, known_codes: set[str] | None = None,
                         max_change: float = plausibility.DEFAULT_MAX_CHANGE) -> pd.DataFrame:
    """Read a filled template into a long DataFrame (``RESULT_COLUMNS``), one row per value given.

    Rows with no value are skipped. Raises ``ReportInputError`` listing every problem (file, sheet, row,
    column, Vietnamese message): a formula or text in a number cell, a bad date, an unknown or repeated
    indicator code, a changed header, a value its unit rules out (``analysis.plausibility``). A change
    from last year's value past ``max_change`` is not refused: it is listed, with sheet, row and column,
    in the row's ``warnings``. ``known_codes`` (e.g. the framework's indicators) narrows the codes
    accepted further than the template's own list.
    """
    import zipfile

    from piiplan.upload_limits import UnsafeFile, check_xlsx, form_limits

    path = Path(path)
    name = path.name
    limits = form_limits()
    broken = Problem("Không mở được tệp: không phải tệp Excel (.xlsx) hợp lệ hoặc tệp bị hỏng.", file=name)
    try:
        if not zipfile.is_zipfile(path):
            raise ReportInputError(broken)
        check_xlsx(path, limits)  # zip bomb, XXE, declared size: before openpyxl loads the whole book
        wb = load_workbook(path, data_only=False)
    except ReportInputError:
        raise
    except UnsafeFile as exc:
        raise ReportInputError(Problem(str(exc), file=name)) from None
    except Exception:  # noqa: BLE001 - openpyxl/XML raise many kinds for a non-XLSX or malformed file
        raise ReportInputError(broken) from None
    meta, problems = _meta(wb, name)
    if problems:
        raise ReportInputError(problems)
    year = int(meta["year"])
    header = int(meta["header_row"])
    codes = set(str(meta.get("codes") or "").split(",")) - {""}
    if known_codes is not None:
        codes &= set(known_codes)
    ws = wb[SHEET]
    expected = _headers(year)
    for j, title in enumerate(expected, start=1):
        got = _text(ws.cell(row=header, column=j).value)
        if got != title:
            problems.append(Problem(f"Tiêu đề cột đã bị sửa: cần «{title}», thấy «{got}».", file=name,
                                    sheet=SHEET, row=header, column=get_column_letter(j)))
    if problems:
        raise ReportInputError(problems)

    col = {key: j for j, key in enumerate(COLUMNS, start=1)}
    records, seen = [], {}
    if ws.max_row - header > limits.max_rows or ws.max_column > limits.max_columns:
        raise ReportInputError(Problem(f"Trang tính có {ws.max_row} dòng, {ws.max_column} cột: quá lớn cho một biểu "
                                       f"mẫu (giới hạn {limits.max_rows} dòng).", file=name, sheet=SHEET))
    for r in range(header + 1, ws.max_row + 1):
        cells = {key: ws.cell(row=r, column=j) for key, j in col.items()}
        if all(_text(c.value) == "" for c in cells.values()):
            continue

        def where(msg, key, r=r):
            return Problem(msg, file=name, sheet=SHEET, row=r,
                           column=f"{get_column_letter(col[key])} ({expected[col[key] - 1]})")

        code = _text(cells["code"].value)
        value, p = _number(cells["value"], name, lambda m: where(m, "value"))
        if p:
            problems.append(p)
        ev_date, p = _date(cells["evidence_date"], lambda m: where(m, "evidence_date"))
        if p:
            problems.append(p)
        if not code:
            if value is not None:
                problems.append(where("Dòng có giá trị nhưng không có mã chỉ số.", "code"))
            continue
        if code not in codes:
            problems.append(where(f"Mã chỉ số «{code}» không có trong biểu mẫu của cơ quan.", "code"))
            continue
        if code in seen:
            problems.append(where(f"Mã chỉ số «{code}» lặp lại (đã có ở dòng {seen[code]}).", "code"))
            continue
        seen[code] = r
        if value is None:
            continue
        previous, _ = _number(cells["last_value"], name, lambda m: None)
        findings = plausibility.check(value, unit=_text(cells["unit"].value), previous=previous,
                                      max_change=max_change, fmt=lambda v: format_number(v, 6, strip=True))
        for message in plausibility.errors(findings):
            problems.append(where(f"Chỉ số {code}: {message}", "value"))
        warned = [str(where(f"Chỉ số {code}: {m}", "value")) for m in plausibility.warnings(findings)]
        records.append({"unit": str(meta["unit"]), "indicator": code, "year": year, "value": value,
                        "agency": str(meta["agency"]), "evidence_number": _text(cells["evidence_number"].value),
                        "evidence_date": ev_date, "evidence_issuer": _text(cells["evidence_issuer"].value),
                        "note": _text(cells["note"].value), "file": name, "row": r, "warnings": warned})
    if problems:
        raise ReportInputError(problems)
    return pd.DataFrame(records, columns=RESULT_COLUMNS)

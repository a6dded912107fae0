"""Low-level readers of tabular files: CSV text and Excel sheets, cell by cell, with locations.

Values come back as they were written (strings, numbers, or formula markers) so that callers can
validate every cell and report its file, sheet, row and column.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import pandas as pd

from piiplan.engine.errors import DataError, InputError, Problem

MAX_ABS_VALUE = 1e15
MISSING_TOKENS = {"", "na", "n/a", "#n/a"}
BAD_NUMBER_TOKENS = {"nan", "inf", "+inf", "-inf", "infinity", "-infinity", "+infinity"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# Vietnamese writing: decimal comma, thousands dots ("82,5", "1.297.800,4")
_VI_DECIMAL = re.compile(r"^[+-]?\d+,\d+$")
_VI_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")


class Formula(str):
    """An Excel cell that holds a formula rather than a value."""


def read_csv_text(path: Path, error_cls: type[InputError] = DataError) -> pd.DataFrame:
    """Read a CSV as strings (no type guessing). Raises on bad encoding, empty file or ragged rows."""
    header, body = read_csv_rows(path, error_cls)
    df = pd.DataFrame(body, columns=header, dtype=object)
    df.attrs["rows"] = range(2, 2 + len(body))  # a range: pandas deep-copies attrs on every slice
    return df


def _delimiter(text: str) -> str:
    """The field separator: the only one of , ; tab in the header line, else what csv.Sniffer finds."""
    first = text.split("\n", 1)[0]
    present = [d for d in ",;\t" if d in first]
    if len(present) == 1:
        return present[0]
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def read_csv_rows(path: Path, error_cls: type[InputError] = DataError) -> tuple[list[str], list[list[str]]]:
    """``read_csv_text`` without the DataFrame: the header and the body rows (row i of the body is line
    i + 2 of the file, blank lines aside), every cell a stripped string."""
    path = Path(path)
    raw = path.read_bytes()
    if not raw.strip():
        raise error_cls(Problem("Tệp rỗng.", file=path.name))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error_cls(Problem(
            "Tệp không được mã hoá UTF-8 (có thể đang là Windows-1258 hoặc TCVN3). Hãy lưu lại tệp với mã hoá "
            "UTF-8 («CSV UTF-8» trong Excel).", file=path.name, row=line)) from None
    delim = _delimiter(text)
    from piiplan.upload_limits import LIMITS

    rows = []
    try:
        for r in csv.reader(io.StringIO(text), delimiter=delim):
            if any(c.strip() for c in r):
                rows.append(r)
            if len(rows) > LIMITS.max_rows + 1:
                raise error_cls(Problem(f"Tệp có hơn {LIMITS.max_rows} dòng (giới hạn): hãy chia nhỏ tệp.",
                                        file=path.name, row=len(rows)))
            if len(r) > LIMITS.max_columns:
                raise error_cls(Problem(f"Dòng có {len(r)} cột (giới hạn {LIMITS.max_columns}).", file=path.name,
                                        row=len(rows)))
    except csv.Error as exc:
        raise error_cls(Problem(f"Tệp CSV không đúng định dạng ({exc}).", file=path.name, row=len(rows) + 1)) \
            from None
    if not rows:
        raise error_cls(Problem("Tệp rỗng.", file=path.name))
    header = [h.strip() for h in rows[0]]
    problems = []
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        problems.append(Problem(f"Tiêu đề có cột trùng tên: {', '.join(dup)}.", file=path.name, row=1))
    body = []
    for i, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            problems.append(Problem(f"Dòng có {len(r)} ô trong khi tiêu đề có {len(header)} cột.", file=path.name,
                                    row=i))
            continue
        body.append([c.strip() for c in r])
    if problems:
        raise error_cls(problems)
    return header, body


def read_xlsx_sheets(path: Path, error_cls: type[InputError] = DataError) -> dict[str, pd.DataFrame]:
    """Every sheet of a workbook as a DataFrame of raw cell values; formula cells become ``Formula``.

    The container is checked first (``piiplan.upload_limits.check_xlsx``: zip bomb, entities, declared
    size), rows and columns are capped while streaming, and any parser failure on a malformed file
    becomes one Vietnamese problem naming the file and sheet."""
    from openpyxl import load_workbook

    from piiplan.upload_limits import UnsafeFile, check_shape, check_xlsx

    name = Path(path).name
    broken = Problem("Không mở được tệp: không phải tệp Excel (.xlsx) hợp lệ hoặc tệp bị hỏng; hãy lưu lại bằng Excel "
                     "dưới dạng «Sổ làm việc Excel (.xlsx)».", file=name)
    try:
        check_xlsx(path)
    except UnsafeFile as exc:
        raise error_cls(broken if exc.broken else Problem(str(exc), file=name)) from None
    try:
        wb = load_workbook(path, data_only=False, read_only=True)
    except Exception:  # noqa: BLE001 - openpyxl/XML raise many kinds for a hostile or damaged file
        raise error_cls(broken) from None
    out = {}
    total = 0
    title = None
    try:
        for ws in wb.worksheets:
            title = ws.title
            rows = []
            for row in ws.iter_rows():
                total += 1
                check_shape(total, len(row), sheet=title)
                vals = []
                for cell in row:
                    v = cell.value
                    if getattr(cell, "data_type", None) == "f" or (isinstance(v, str) and v.startswith("=")):
                        v = Formula(str(v))
                    vals.append(v)
                rows.append(vals)
            rows = [r for r in rows if any(v is not None and str(v).strip() != "" for v in r)]
            if not rows:
                out[ws.title] = pd.DataFrame()
                continue
            width = max(len(r) for r in rows)
            header = [("" if h is None else str(h).strip()) for h in rows[0]] + [""] * (width - len(rows[0]))
            while header and header[-1] == "":
                header.pop()
            body = [list(r[: len(header)]) + [None] * (len(header) - len(r)) for r in rows[1:]]
            df = pd.DataFrame(body, columns=header, dtype=object)
            df.attrs["rows"] = range(2, 2 + len(body))  # a range: pandas deep-copies attrs on every slice
            out[ws.title] = df
    except UnsafeFile as exc:
        raise error_cls(Problem(str(exc), file=name, sheet=exc.sheet)) from None
    except Exception:  # noqa: BLE001 - malformed XML, bad namespace, entity refused by defusedxml
        raise error_cls(Problem("Nội dung trang tính bị hỏng hoặc không đúng định dạng Excel (XML không hợp lệ); hãy "
                                "mở bằng Excel và lưu lại thành .xlsx.", file=name, sheet=title)) from None
    finally:
        wb.close()
    return out


def read_xlsx_sheet(path: Path, error_cls: type[InputError] = DataError) -> pd.DataFrame:
    sheets = read_xlsx_sheets(path, error_cls)
    first = next(iter(sheets.values()))
    if first.empty:
        raise error_cls(Problem("Trang tính đầu tiên rỗng.", file=Path(path).name, sheet=next(iter(sheets))))
    return first


def parse_number(value, *, file=None, sheet=None, row=None, column=None) -> tuple[float, Problem | None]:
    """One cell to a float. Missing → NaN. Returns (value, problem)."""
    where = dict(file=file, sheet=sheet, row=row, column=column)
    if value is None:
        return math.nan, None
    if isinstance(value, Formula):
        return math.nan, Problem(f"Ô chứa công thức Excel ({value}); hãy dán giá trị thay cho công thức.", **where)
    if isinstance(value, bool):
        return math.nan, Problem(f"Ô chứa giá trị logic ({value}) thay cho số.", **where)
    if isinstance(value, (int, float)):
        f = float(value)
    else:
        s = str(value).strip().replace("\u00a0", "")
        if s.lower() in MISSING_TOKENS:
            return math.nan, None
        if s.lower() in BAD_NUMBER_TOKENS:
            return math.nan, Problem(f"Giá trị «{s}» không được chấp nhận; để trống ô nếu thiếu số liệu.", **where)
        if _VI_DECIMAL.match(s):
            if len(s.split(",")[1]) == 3:
                return math.nan, Problem(
                    f"«{s}» không rõ là số thập phân hay có dấu phân cách hàng nghìn; hãy viết không có dấu phân "
                    f"cách hàng nghìn, với dấu phẩy hoặc dấu chấm thập phân (ví dụ 1234 hoặc 1,2345).", **where)
            s = s.replace(",", ".")
        elif _VI_GROUPED.match(s) and ("," in s or s.count(".") > 1):
            s = s.replace(".", "").replace(",", ".")
        if not _NUMBER.match(s):
            hint = " (dấu thập phân là dấu phẩy hoặc dấu chấm; không dùng dấu phẩy phân cách hàng nghìn)" \
                if "," in s else ""
            return math.nan, Problem(f"«{s[:40]}» không phải là số{hint}.", **where)
        f = float(s)
    if not math.isfinite(f):
        return math.nan, Problem("Giá trị vô hạn hoặc NaN không được chấp nhận; để trống ô nếu thiếu số liệu.",
                                 **where)
    if abs(f) > MAX_ABS_VALUE:
        return math.nan, Problem(f"Giá trị {f:.3g} quá lớn (giới hạn ±{MAX_ABS_VALUE:.0e}); kiểm tra lại đơn vị.",
                                 **where)
    return f, None

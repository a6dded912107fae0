"""The plan appendix as an Excel sheet (Phụ lục: nhiệm vụ, giải pháp), read and written as plain rows.

Columns: STT | Chỉ số | Nhiệm vụ, giải pháp | Cơ quan chủ trì | Cơ quan phối hợp | Sản phẩm | Thời gian.
An export also writes each task's version in a hidden, protected eighth column («Phiên bản») so an
import can tell a row from an old export; files without it (older exports, the sample) read as
"unknown version" (``None``).
Pillar heading rows ("I", "Trụ cột 1: Thể chế") may sit between tasks and are skipped on reading.
This module knows nothing about Django: agencies are names here; ``appendix_sync`` maps them onto the
database. Every problem found while reading names its row and column in Vietnamese.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

from piiplan.safe_cells import set_text, unquote
from openpyxl.utils import get_column_letter

from piiplan.web.plan.indicators import CODE_RE, indicator_codes, indicator_name, pillar_name, sort_codes

SHEET = "Phụ lục"
COLUMNS = ["STT", "Chỉ số", "Nhiệm vụ, giải pháp", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời gian"]
WIDTHS = [6, 34, 60, 26, 34, 34, 16]
VERSION_COLUMN = "Phiên bản"  # optional, hidden: the task's version when it was exported
GENERAL = "Chung"  # the "Chỉ số" cell of a task not tied to one indicator
SAMPLE_MARK = "MẪU — Phụ lục minh hoạ do piiplan sinh ra, không phải phụ lục chính thức của UBND tỉnh"
MAX_ROWS = 5000

RECURRENCE_WORDS = {
    "thường xuyên": "continuous",
    "hằng năm": "yearly", "hàng năm": "yearly",
    "6 tháng/lần": "half_yearly", "định kỳ 6 tháng": "half_yearly", "6 tháng một lần": "half_yearly",
    "hằng quý": "quarterly", "hàng quý": "quarterly",
    "hằng tháng": "monthly", "hàng tháng": "monthly",
}
RECURRENCE_TEXT = {
    "continuous": "Thường xuyên", "yearly": "Hằng năm", "half_yearly": "6 tháng/lần",
    "quarterly": "Hằng quý", "monthly": "Hằng tháng",
}
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
TIMING_HELP = (
    "ghi ngày (30/06/2026), «Quý II/2026», «Tháng 6/2026», «Năm 2026» hoặc «Thường xuyên», «Hằng năm», "
    "«6 tháng/lần», «Hằng quý», «Hằng tháng»"
)


@dataclass
class AppendixRow:
    number: int
    indicators: list[str]
    content: str
    lead: str
    coordinating: list[str] = field(default_factory=list)
    output: str = ""
    deadline: date | None = None
    recurrence: str = ""
    line: int = 0  # the sheet row it was read from (0 when built in memory)
    version: int | None = None  # the task's version at export; None when the file does not say

    @property
    def timing(self) -> str:
        if self.recurrence:
            return RECURRENCE_TEXT[self.recurrence]
        return self.deadline.strftime("%d/%m/%Y") if self.deadline else ""


@dataclass
class Problem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Dòng {self.line}" if self.line else "Tệp"
        if self.column:
            where += f", cột «{self.column}»"
        return f"{where}: {self.message}"


class AppendixError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _key(text) -> str:
    text = unicodedata.normalize("NFC", str(text or "")).lower()
    return re.sub(r"[^\w]+", "", text)


HEADER_KEYS = {_key(c): c for c in COLUMNS}
HEADER_KEYS[_key(VERSION_COLUMN)] = VERSION_COLUMN
HEADER_KEYS.update({_key("Nhiệm vụ/giải pháp"): "Nhiệm vụ, giải pháp", _key("Số TT"): "STT",
                    _key("Thời gian thực hiện"): "Thời gian", _key("Thời hạn"): "Thời gian",
                    _key("Sản phẩm, kết quả đầu ra"): "Sản phẩm", _key("Kết quả đầu ra"): "Sản phẩm",
                    _key("Mã chỉ số"): "Chỉ số", _key("Chỉ số thành phần"): "Chỉ số"})


def parse_timing(value) -> tuple[date | None, str]:
    """``"30/06/2026"`` → (date, ""); ``"Hằng quý"`` → (None, "quarterly"); raise ValueError otherwise."""
    if value is None or value == "":
        return None, ""
    if isinstance(value, datetime):
        return value.date(), ""
    if isinstance(value, date):
        return value, ""
    text = unicodedata.normalize("NFC", str(value)).strip()
    low = re.sub(r"\s+", " ", text.lower())
    if low in RECURRENCE_WORDS:
        return None, RECURRENCE_WORDS[low]
    m = re.fullmatch(r"(?:trước (?:ngày )?)?(\d{1,2})/(\d{1,2})/(\d{4})", low)
    if m:
        day, month, year = map(int, m.groups())
        try:
            return date(year, month, day), ""
        except ValueError:
            raise ValueError(f"ngày «{text}» không có thật") from None
    m = re.fullmatch(r"quý (i|ii|iii|iv|[1-4])\s*/\s*(\d{4})", low)
    if m:
        q = ROMAN.get(m.group(1).upper()) or int(m.group(1))
        year, month = int(m.group(2)), q * 3
        return date(year, month, calendar.monthrange(year, month)[1]), ""
    m = re.fullmatch(r"tháng (\d{1,2})\s*/\s*(\d{4})", low)
    if m and 1 <= int(m.group(1)) <= 12:
        year, month = int(m.group(2)), int(m.group(1))
        return date(year, month, calendar.monthrange(year, month)[1]), ""
    m = re.fullmatch(r"năm (\d{4})", low)
    if m:
        return date(int(m.group(1)), 12, 31), ""
    raise ValueError(f"không hiểu thời gian «{text}»; {TIMING_HELP}")


def split_agencies(value) -> list[str]:
    text = unicodedata.normalize("NFC", str(value or ""))
    return [part.strip(" -–•\t") for part in re.split(r"[;\n]+", text) if part.strip(" -–•\t")]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unquote(unicodedata.normalize("NFC", str(value)).strip()).strip()


def read_appendix(source, framework: str = "pii-2025") -> list[AppendixRow]:
    """Read the appendix from a path or file object; raise :class:`AppendixError` with every problem."""
    from piiplan.upload_limits import UnsafeFile, check_xlsx, form_limits

    limits = form_limits()
    try:
        check_xlsx(source, limits)  # zip bomb, XXE, declared size: refused before openpyxl parses anything
        book = load_workbook(source, read_only=True, data_only=True)
    except UnsafeFile as exc:
        if exc.broken:
            raise AppendixError([Problem(0, "", "không đọc được tệp; hãy chọn tệp Excel (.xlsx) của phụ lục.")]) \
                from None
        raise AppendixError([Problem(0, "", str(exc))]) from None
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
        raise AppendixError([Problem(0, "", "không đọc được tệp; hãy chọn tệp Excel (.xlsx) của phụ lục.")]) from None
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 50):
            if len(row) > limits.max_columns:
                raise AppendixError([Problem(len(rows) + 1, "", f"trang tính có {len(row)} cột (giới hạn "
                                                                f"{limits.max_columns}).")])
            rows.append(row)
    except AppendixError:
        raise
    except Exception:  # noqa: BLE001 - malformed XML, bad namespace, entity refused by defusedxml
        raise AppendixError([Problem(0, "", "nội dung trang tính bị hỏng (XML không hợp lệ); hãy mở bằng Excel và "
                                            "lưu lại thành .xlsx.")]) from None
    finally:
        book.close()
    header_at, columns = None, {}
    for i, row in enumerate(rows[:30]):
        found = {HEADER_KEYS[_key(v)]: j for j, v in enumerate(row) if _key(v) in HEADER_KEYS}
        if "STT" in found and len(found) >= 3:
            header_at, columns = i, found
            break
    if header_at is None:
        raise AppendixError([Problem(0, "", "không tìm thấy dòng tiêu đề (STT, Chỉ số, Nhiệm vụ, giải pháp, …).")])
    missing = [c for c in COLUMNS if c not in columns]
    if missing:
        raise AppendixError([Problem(header_at + 1, c, "thiếu cột này trong dòng tiêu đề.") for c in missing])

    known = set(indicator_codes(framework))
    problems: list[Problem] = []
    out: list[AppendixRow] = []
    seen: dict[int, int] = {}

    def cell(row, name):
        j = columns[name]
        return row[j] if j < len(row) else None

    for i, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        texts = {name: _cell_text(cell(row, name)) for name in COLUMNS}
        if not any(texts.values()):
            continue
        stt = texts["STT"]
        if not texts["Nhiệm vụ, giải pháp"] and not texts["Cơ quan chủ trì"] and not stt.isdigit():
            continue  # a pillar heading such as "I | Trụ cột 1: Thể chế"
        before = len(problems)
        try:
            number = int(stt)
            if number < 1:
                raise ValueError
        except ValueError:
            problems.append(Problem(i, "STT", f"«{stt}» không phải số thứ tự (số nguyên dương)."))
            number = 0
        if number and number in seen:
            problems.append(Problem(i, "STT", f"số thứ tự {number} trùng với dòng {seen[number]}."))
        seen.setdefault(number, i)
        ind_text = texts["Chỉ số"]
        codes = CODE_RE.findall(ind_text)
        if not codes and ind_text and _key(ind_text) != _key(GENERAL):
            problems.append(Problem(i, "Chỉ số", f"không đọc được mã chỉ số trong «{ind_text[:60]}» (ví dụ 1.2.1, hoặc «{GENERAL}»)."))
        unknown = [c for c in codes if c not in known]
        if unknown:
            problems.append(Problem(i, "Chỉ số", f"mã chỉ số không có trong bộ chỉ số: {', '.join(unknown)}."))
        if not texts["Nhiệm vụ, giải pháp"]:
            problems.append(Problem(i, "Nhiệm vụ, giải pháp", "chưa ghi nội dung nhiệm vụ, giải pháp."))
        leads = split_agencies(texts["Cơ quan chủ trì"])
        if len(leads) != 1:
            problems.append(Problem(i, "Cơ quan chủ trì", "mỗi nhiệm vụ phải có đúng một cơ quan chủ trì"
                                    + (f" (đang ghi {len(leads)})." if leads else ".")))
        try:
            deadline, recurrence = parse_timing(cell(row, "Thời gian"))
        except ValueError as exc:
            problems.append(Problem(i, "Thời gian", str(exc) + "."))
            deadline, recurrence = None, ""
        version = None
        if VERSION_COLUMN in columns:
            raw = _cell_text(cell(row, VERSION_COLUMN))
            if raw:
                if raw.isdigit() and int(raw) >= 1:
                    version = int(raw)
                else:
                    problems.append(Problem(i, VERSION_COLUMN, f"«{raw}» không phải phiên bản hợp lệ; "
                                            "không sửa cột ẩn này (để trống nếu là nhiệm vụ mới)."))
        if len(problems) == before:
            out.append(AppendixRow(number, sort_codes(codes), texts["Nhiệm vụ, giải pháp"], leads[0],
                                   split_agencies(texts["Cơ quan phối hợp"]), texts["Sản phẩm"],
                                   deadline, recurrence, line=i, version=version))
    if not out and not problems:
        problems.append(Problem(0, "", "phụ lục không có nhiệm vụ nào."))
    if problems:
        raise AppendixError(problems)
    return out


def write_appendix(rows: list[AppendixRow], target=None, *, title: str, subtitle: str = "",
                   sample: bool = False, framework: str = "pii-2025"):
    """Write the appendix (rows grouped under their pillar's heading); returns bytes if ``target`` is None."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=11)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    lines = ["PHỤ LỤC", title.upper()] + ([subtitle] if subtitle else [])
    if sample:
        lines.append(SAMPLE_MARK)
    for r, text in enumerate(lines, start=1):
        set_text(sheet.cell(r, 1), text).font = Font(name="Times New Roman", bold=r <= 2, italic=r > 2, size=13,
                                           color="C00000" if text == SAMPLE_MARK else None)
        sheet.cell(r, 1).alignment = Alignment(horizontal="center", wrap_text=True)
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(COLUMNS))
    header = len(lines) + 2
    for j, (name, width) in enumerate(zip(COLUMNS, WIDTHS), start=1):
        c = sheet.cell(header, j, name)
        c.font, c.alignment, c.border = bold, centre, border
        c.fill = PatternFill("solid", fgColor="DDEBF7")
        sheet.column_dimensions[get_column_letter(j)].width = width
    with_version = any(r.version is not None for r in rows)
    version_col = len(COLUMNS) + 1
    if with_version:
        c = sheet.cell(header, version_col, VERSION_COLUMN)
        c.font, c.protection = bold, Protection(locked=True, hidden=True)
        dim = sheet.column_dimensions[get_column_letter(version_col)]
        dim.hidden, dim.width = True, 10
        for j in range(1, len(COLUMNS) + 1):  # the visible columns stay editable under sheet protection
            sheet.column_dimensions[get_column_letter(j)].protection = Protection(locked=False)
    sheet.freeze_panes = sheet.cell(header + 1, 1)
    r = header + 1
    current_pillar = None
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
    for row in sorted(rows, key=lambda x: x.number):
        pillar = row.indicators[0].split(".")[0] if row.indicators else ""
        if pillar != current_pillar:
            current_pillar = pillar
            label = f"Trụ cột {pillar}: {pillar_name(pillar, framework)}" if pillar else "Nhiệm vụ chung"
            mark = roman[int(pillar) - 1] if pillar.isdigit() and 0 < int(pillar) <= len(roman) else "*"
            sheet.cell(r, 1, mark).font = bold
            set_text(sheet.cell(r, 2), label).font = bold
            sheet.merge_cells(start_row=r, start_column=2, end_row=r, end_column=len(COLUMNS))
            for j in range(1, len(COLUMNS) + 1):
                sheet.cell(r, j).border = border
            r += 1
        indicators = "\n".join(f"{c} - {indicator_name(c, framework)}" for c in row.indicators) or GENERAL
        values = [row.number, indicators, row.content, row.lead, "; ".join(row.coordinating), row.output, row.timing]
        for j, value in enumerate(values, start=1):
            c = set_text(sheet.cell(r, j), value)
            c.font, c.border = normal, border
            c.alignment = centre if j in (1, 7) else wrap
            if j == 7:
                c.number_format = "@"
            if with_version:
                c.protection = Protection(locked=False)
        if with_version and row.version is not None:
            sheet.cell(r, version_col, row.version).protection = Protection(locked=True, hidden=True)
        r += 1
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = f"{header}:{header}"
    if with_version:  # protect the hidden version column; rows may still be added, deleted and formatted
        p = sheet.protection
        p.sheet = True
        p.formatCells = p.formatColumns = p.formatRows = p.insertRows = p.deleteRows = False
        p.sort = p.autoFilter = False
    if target is None:
        buffer = BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    book.save(target)
    return None

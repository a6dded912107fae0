"""Shared look of the Excel outputs (openpyxl): fonts, header rows, borders, widths, print set-up."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # noqa: F401 (Font re-exported)
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from piiplan.safe_cells import set_text

FONT = "Times New Roman"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # cells the agency fills in
GROUP_FILL = PatternFill("solid", fgColor="EDEDED")
NUMBER_FORMAT = "#,##0.00"
DATE_FORMAT = "dd/mm/yyyy"


def font(size: float = 12, bold: bool = False, italic: bool = False, color: str | None = None) -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic, color=color)


def title_rows(ws: Worksheet, lines: list[tuple[str, dict]], n_cols: int) -> int:
    """Merged title lines at the top; each is (text, font kwargs). Returns the next free row."""
    for i, (text, kw) in enumerate(lines, start=1):
        set_text(ws.cell(row=i, column=1), text).font = font(**kw)
        ws.cell(row=i, column=1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=n_cols)
    return len(lines) + 2


def header_row(ws: Worksheet, row: int, columns: list[str], widths: list[float]) -> None:
    for j, (name, width) in enumerate(zip(columns, widths), start=1):
        c = set_text(ws.cell(row=row, column=j), name)
        c.font = font(bold=True)
        c.fill = HEADER_FILL
        c.border = BORDER
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.row_dimensions[row].height = 36


def body_cell(ws: Worksheet, row: int, col: int, value, *, number: bool = False, date: bool = False,
              wrap: bool = False, bold: bool = False, fill: PatternFill | None = None):
    c = set_text(ws.cell(row=row, column=col), value)
    c.font = font(bold=bold)
    c.border = BORDER
    if number:
        c.number_format = NUMBER_FORMAT
    if date:
        c.number_format = DATE_FORMAT
    c.alignment = Alignment(vertical="top", wrap_text=wrap)
    if fill is not None:
        c.fill = fill
    return c


def print_setup(ws: Worksheet, header_row_: int, *, landscape: bool = True) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row_}:{header_row_}"
    ws.freeze_panes = ws.cell(row=header_row_ + 1, column=3)


def exact_number_format(value, *, max_decimals: int = 10) -> str:
    """A number format that shows ``value`` as stored (0,0182 → "#,##0.0000"; 0,658 → "#,##0.000"; 12 →
    "#,##0"), so nobody copies a rounded figure out of the sheet. Excel shows it with the reader's
    separators (vi-VN: 0,0182)."""
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return NUMBER_FORMAT
    text = repr(float(value))
    if "e" in text or "E" in text:
        from decimal import Decimal

        text = format(Decimal(text), "f")
    frac = text.partition(".")[2].rstrip("0")
    decimals = min(len(frac), max_decimals)
    return "#,##0" + ("." + "0" * decimals if decimals else "")

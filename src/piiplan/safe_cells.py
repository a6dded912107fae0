"""One rule for text written into spreadsheets and CSV files: never a live formula.

OWASP "CSV injection" guidance: a cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read as a formula by Excel/LibreOffice. Every XLSX/CSV writer passes free text through
:func:`safe_text` (numbers, dates and ``None`` pass unchanged); openpyxl cells are written with
:func:`set_text`, which also forces the string type so openpyxl never turns ``"=..."`` into a formula.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def is_dangerous(text: str) -> bool:
    return text.lstrip(" ").startswith(FORMULA_STARTS)


def safe_text(value):
    """``value`` unchanged unless it is text a spreadsheet would run as a formula; then quoted with ``'``."""
    if isinstance(value, str) and value and is_dangerous(value):
        return "'" + value
    return value


def set_text(cell, value):
    """Write ``value`` into an openpyxl cell as inert text (numbers and dates unchanged)."""
    cell.value = safe_text(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def unquote(text):
    """The inverse of :func:`safe_text` for a reader of our own exports: ``"'=x"`` → ``"=x"``."""
    if isinstance(text, str) and text.startswith("'") and is_dangerous(text[1:]):
        return text[1:]
    return text


def safe_row(values):
    """A CSV row with every text cell made inert."""
    return [safe_text(v) for v in values]


def safe_frame(frame):
    """A copy of a pandas DataFrame (index included) whose text cells are inert, for ``to_csv``/``to_excel``."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = frame.copy()
    for column in out.columns:
        if is_object_dtype(out[column].dtype) or is_string_dtype(out[column].dtype):
            out[column] = out[column].map(safe_text)
    if is_object_dtype(out.index.dtype) or is_string_dtype(out.index.dtype):
        out.index = out.index.map(safe_text)
    return out

"""Numbers in table cells kept on one line: which cell texts are numbers, how wide they are, and the
no-wrap mark (``w:noWrap``) that tells Word and LibreOffice not to break them."""

from __future__ import annotations

import re

from docx.oxml import OxmlElement

# A number as the reports write it (vi-VN): "1.297.800,4", "-12,5", "65%".
NUMBER_RE = re.compile(r"^[-\u2212]?\d[\d.]*(,\d+)?%?$")
CELL_MARGINS_CM = 0.38 + 0.1  # Word's default left + right cell margins, and a little slack


def number_width_cm(text: str, size: float) -> float:
    """The width a number needs on one line in Times New Roman at ``size`` pt: digits are half an em,
    the separators a quarter, plus the cell margins."""
    ems = sum(0.25 if ch in ".,:" else 0.5 for ch in text)
    return ems * size * 2.54 / 72 + CELL_MARGINS_CM


def fit_number_columns(widths_cm: list[float], rows: list[list[str]], columns: list[int], flexible: int,
                       size: float, *, min_flexible: float = 4.0) -> list[float]:
    """Widen the ``columns`` that hold numbers so the longest fits on one line, taking the room from
    the ``flexible`` (text) column, never below ``min_flexible``; the total width is unchanged."""
    widths = list(widths_cm)
    for j in columns:
        longest = max((number_width_cm(r[j], size) for r in rows
                       if len(r) > j and NUMBER_RE.match(r[j] or "")), default=0.0)
        extra = min(max(0.0, longest - widths[j]), max(0.0, widths[flexible] - min_flexible))
        widths[j] += extra
        widths[flexible] -= extra
    return [round(w, 2) for w in widths]


def no_wrap(cell) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    tcpr.append(OxmlElement("w:noWrap"))


_WIDE = set("MWmwĐĐÂĂÊÔƠƯ")


def word_width_cm(word: str, size: float, *, bold: bool = True) -> float:
    """A generous width of one word in Times New Roman at ``size`` pt (capitals 0.72 em, others 0.5 em,
    bold 8 % wider), plus the cell margins: a column narrower than this breaks the word ("Hạn/g")."""
    ems = sum(0.8 if ch in _WIDE else 0.72 if ch.isupper() else 0.3 if ch in ".,:;()" else 0.52 for ch in word)
    if bold:
        ems *= 1.08
    return ems * size * 2.54 / 72 + CELL_MARGINS_CM


def fit_header_words(widths_cm: list[float], columns: list[str], size: float, flexible: int, *,
                     min_flexible: float = 3.0) -> list[float]:
    """Widen every column whose header's longest word would not fit on one line, taking the room from
    the ``flexible`` column (never below ``min_flexible``); the total width is unchanged."""
    widths = list(widths_cm)
    for j, header in enumerate(columns):
        if j == flexible:
            continue
        need = max((word_width_cm(w, size) for w in header.split()), default=0.0)
        extra = min(max(0.0, need - widths[j]), max(0.0, widths[flexible] - min_flexible))
        widths[j] += extra
        widths[flexible] -= extra
    return [round(w, 2) for w in widths]

"""State-document layout (Decree 30/2020/NĐ-CP) on python-docx.

A4, margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 14 for the body (13 in the
header block); the two-column header with the issuing body and the national title and motto, each with a
short rule under it; number and symbol; place and date in italics; title; "Kính gửi"; page numbers centred
at the top from page 2; signature block and "Nơi nhận" (12 pt bold italic, items 11 pt).

All fonts are set on the ASCII, high-ANSI, East-Asian and complex-script slots so that Word and LibreOffice
render Vietnamese in Times New Roman (or its metric twin Liberation Serif) and never fall back to a theme font.
"""

from __future__ import annotations

import copy
import functools

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor

from piiplan.reports.cell_fit import NUMBER_RE, no_wrap
from piiplan.reports.formatting import place_date_line
from piiplan.reports.model import DocumentHeader, Issuer, Signature

FONT = "Times New Roman"
BODY_SIZE = 14
HEADER_SIZE = 13
TABLE_SIZE = 12
PAGE_W_MM, PAGE_H_MM = 210, 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
FIRST_LINE_INDENT = Cm(1.0)


# --------------------------------------------------------------------------- raw XML in schema order

# Word rejects a file whose property elements are out of schema order, so every element this module adds
# by hand goes through ``_insert`` with the order of its parent.
_ORDER = {
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
           "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
           "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
           "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
           "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
           "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
             "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
}


def _insert(parent, el):
    """Insert (or replace) ``el`` among ``parent``'s children in schema order; return it."""
    order = _ORDER[parent.tag.split("}")[1]].split()
    name = el.tag.split("}")[1]
    old = parent.find(el.tag)
    if old is not None:
        parent.replace(old, el)
        return el
    later = set(order[order.index(name) + 1:])
    for i, child in enumerate(parent):
        if child.tag.split("}")[1] in later:
            parent.insert(i, el)
            return el
    parent.append(el)
    return el


# --------------------------------------------------------------------------- fonts


def _set_rfonts(rpr, name: str) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = _insert(rpr, OxmlElement("w:rFonts"))
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


@functools.lru_cache(maxsize=256)
def _rpr_template(name: str, size: float | None, bold: bool, italic: bool, color: str | None):
    parts = [f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>']
    if bold:
        parts += ["<w:b/>", "<w:bCs/>"]
    if italic:
        parts += ["<w:i/>", "<w:iCs/>"]
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if size is not None:
        half = int(round(size * 2))
        parts += [f'<w:sz w:val="{half}"/>', f'<w:szCs w:val="{half}"/>']
    return parse_xml(f"<w:rPr {nsdecls('w')}>{''.join(parts)}</w:rPr>")


def set_font(run, size: float | None = None, *, bold: bool | None = None, italic: bool | None = None,
             name: str = FONT, color: RGBColor | None = None) -> None:
    """Give a run its whole character format at once: the font on every script slot (ASCII, high ANSI,
    East Asian, complex script), size (also for complex script), bold, italic, colour.

    The run's previous properties are replaced; the property element is copied from a cached template,
    which keeps a 50-page report fast.
    """
    rpr = copy.deepcopy(_rpr_template(name, size, bool(bold), bool(italic), str(color) if color else None))
    old = run._r.find(qn("w:rPr"))
    if old is not None:
        run._r.remove(old)
    run._r.insert(0, rpr)


def _style_defaults(doc) -> None:
    """Times New Roman everywhere: document defaults, Normal and the table styles; language vi-VN."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_rfonts(rpr_default, FONT)
    lang = rpr_default.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "vi-VN")
    ppr_default = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr_default.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    _set_rfonts(normal.element.get_or_add_rPr(), FONT)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0


# --------------------------------------------------------------------------- page setup


def _setup_section(section, landscape: bool = False) -> None:
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_H_MM), Mm(PAGE_W_MM)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def _add_field(run, instr: str) -> None:
    for tag, text in (("begin", None), ("instr", instr), ("separate", None), ("text", "2"), ("end", None)):
        if tag == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        elif tag == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        run._element.append(el)


def _page_numbers(section) -> None:
    """Page number centred in the header, not on the first page."""
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    set_font(run, BODY_SIZE)
    _add_field(run, "PAGE")
    first = section.first_page_header
    first.is_linked_to_previous = False


def new_document() -> Document:
    """An empty A4 portrait document with the decree's margins, fonts and page numbering."""
    doc = Document()
    _style_defaults(doc)
    section = doc.sections[0]
    _setup_section(section)
    _page_numbers(section)
    return doc


def add_section(doc, *, landscape: bool) -> None:
    """Start a new section on a new page (landscape for wide appendices); page numbers continue."""
    from docx.enum.section import WD_SECTION

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _setup_section(section, landscape=landscape)
    section.different_first_page_header_footer = False
    section.header.is_linked_to_previous = True


# --------------------------------------------------------------------------- paragraphs


def paragraph(container, text: str = "", *, size: float = BODY_SIZE, bold: bool = False, italic: bool = False,
              align: str = "justify", indent: bool = False, before: float = 0, after: float = 6,
              keep_with_next: bool = False, color: RGBColor | None = None):
    """Add a paragraph with one run. ``align`` is left, center, right or justify."""
    p = container.add_paragraph()
    p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    pf = p.paragraph_format
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.line_spacing = 1.0 if size < BODY_SIZE else 1.15
    if indent:
        pf.first_line_indent = FIRST_LINE_INDENT
    if keep_with_next:
        pf.keep_with_next = True
    if text:
        set_font(p.add_run(text), size, bold=bold, italic=italic, color=color)
    return p


def body(doc, text: str):
    """A body paragraph: justified, first-line indent, 6 pt after."""
    return paragraph(doc, text, indent=True)


def heading(doc, text: str, *, level: int = 1):
    """Section heading: level 1 "I. …" bold upright, level 2 "1. …" bold, level 3 italic bold."""
    return paragraph(doc, text, bold=True, italic=level >= 3, indent=True, before=6 if level == 1 else 0,
                     keep_with_next=True)


def bullets(doc, items: list[str]):
    """Dash items ("- …"), the usual list form of administrative documents; ';' / '.' endings added."""
    out = []
    for i, item in enumerate(items):
        text = item.strip().rstrip(";.")
        text += "." if i == len(items) - 1 else ";"
        out.append(body(doc, f"- {text}"))
    return out


def page_break(doc) -> None:
    run = doc.add_paragraph().add_run()
    set_font(run, BODY_SIZE)
    run.add_break(WD_BREAK.PAGE)


def synthetic_banner(container, note: str) -> None:
    paragraph(container, note, size=12, italic=True, bold=True, align="center", after=6,
              color=RGBColor(0xC0, 0x00, 0x00))


def _border(paragraph_, side: str = "bottom", size_eighths: int = 6) -> None:
    ppr = paragraph_._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), str(size_eighths))
    el.set(qn("w:space"), "1")
    el.set(qn("w:color"), "000000")
    bdr.append(el)
    _insert(ppr, bdr)


def rule(cell, width_cm: float, cell_width_cm: float) -> None:
    """A short centred horizontal rule (a bordered, nearly empty paragraph indented from both sides)."""
    p = cell.add_paragraph()
    side = max((cell_width_cm - width_cm) / 2, 0)
    p.paragraph_format.left_indent = Cm(side)
    p.paragraph_format.right_indent = Cm(side)
    p.paragraph_format.space_before = Pt(2)
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run()
    set_font(run, 2)
    _border(p, "top", 6)


# --------------------------------------------------------------------------- tables


def _cell_text(cell, text: str, *, size: float, bold: bool = False, italic: bool = False,
               align: str = "center") -> None:
    p = cell.paragraphs[0]
    p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    p.paragraph_format.space_after = Pt(0)
    set_font(p.add_run(text), size, bold=bold, italic=italic)


def _cell_line(cell, text: str, *, size: float, bold: bool = False, italic: bool = False,
               align: str = "center", first: bool = False):
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    p.paragraph_format.space_after = Pt(0)
    set_font(p.add_run(text), size, bold=bold, italic=italic)
    return p


def _widths(table, widths_cm: list[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)
    # also the grid, which LibreOffice reads
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(Cm(w).twips)))
    tblpr = table._tbl.tblPr
    tblw = OxmlElement("w:tblW")
    tblw.set(qn("w:w"), str(int(Cm(sum(widths_cm)).twips)))
    tblw.set(qn("w:type"), "dxa")
    _insert(tblpr, tblw)
    layout_el = OxmlElement("w:tblLayout")
    layout_el.set(qn("w:type"), "fixed")
    _insert(tblpr, layout_el)


def _cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    trpr.insert(0, el)  # CT_TrPr: cantSplit comes before tblHeader


def data_table(doc, columns: list[str], rows: list[list[str]], widths_cm: list[float], *,
               size: float = TABLE_SIZE, align: list[str] | None = None, group_rows: set[int] | None = None,
               flexible: int | None = None):
    """A bordered table with a bold header row repeated on every page; no row splits across pages.
    ``align`` per column (default: left for text).

    Rows whose index is in ``group_rows`` are written bold across the whole width (pillar headings).
    Cells holding a number are marked no-wrap, so a number never breaks across lines (give its column
    room with ``cell_fit.fit_number_columns``). Columns too narrow for a header word are widened at the
    expense of the ``flexible`` column (default: the widest), so no header breaks inside a word.
    """
    from piiplan.reports.cell_fit import fit_header_words

    if flexible is None:
        flexible = max(range(len(widths_cm)), key=lambda j: widths_cm[j])
    widths_cm = fit_header_words(widths_cm, columns, size, flexible)
    align = align or ["center"] + ["left"] * (len(columns) - 1)
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    hdr = table.rows[0]
    trpr = hdr._tr.get_or_add_trPr()
    th = OxmlElement("w:tblHeader")
    th.set(qn("w:val"), "true")
    trpr.append(th)
    _cant_split(hdr)
    for cell, text in zip(hdr.cells, columns):
        _cell_text(cell, text, size=size, bold=True)
    for i, values in enumerate(rows):
        row = table.add_row()
        _cant_split(row)
        cells = row.cells
        if group_rows and i in group_rows:
            merged = cells[0].merge(cells[-1])
            _cell_text(merged, values[0], size=size, bold=True, align="left")
            continue
        for cell, text, a in zip(cells, values, align):
            _cell_text(cell, text, size=size, align=a)
            if text and NUMBER_RE.match(text):
                no_wrap(cell)
    _widths(table, widths_cm)
    paragraph(doc, "", size=6, after=0)
    return table


def keep_together(table) -> None:
    """Rows never split across pages, and each row stays on the page of the next one."""
    for row in table.rows:
        trpr = row._tr.get_or_add_trPr()
        el = OxmlElement("w:cantSplit")
        el.set(qn("w:val"), "true")
        trpr.append(el)
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True


def _cell_margins(table, cm: float) -> None:
    """Left and right cell margins of the whole table."""
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(Cm(cm).twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    _insert(table._tbl.tblPr, mar)


def _no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    _insert(tblpr, borders)


# --------------------------------------------------------------------------- header, title, signature

LEFT_CM, RIGHT_CM = 7.3, 9.2  # text width is 165 mm


def header_block(doc, issuer: Issuer, header: DocumentHeader, *, subject_line: str | None = None):
    """The two-column header. ``subject_line`` ("V/v …") goes under the number (công văn only)."""
    table = doc.add_table(rows=2, cols=2)
    _no_borders(table)
    _cell_margins(table, 0.05)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    _cell_line(left, issuer.parent_body.upper(), size=HEADER_SIZE, first=True)
    _cell_line(left, issuer.body.upper(), size=HEADER_SIZE, bold=True)
    rule(left, 2.5, LEFT_CM)
    _cell_line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, first=True)
    _cell_line(right, "Độc lập - Tự do - Hạnh phúc", size=BODY_SIZE, bold=True)
    rule(right, 5.6, RIGHT_CM)
    left, right = table.rows[1].cells
    _cell_line(left, header.number_line(issuer), size=HEADER_SIZE, first=True)
    if subject_line:
        _cell_line(left, subject_line, size=12)
    _cell_line(right, place_date_line(issuer.place, header.date), size=BODY_SIZE, italic=True, first=True)
    _widths(table, [LEFT_CM, RIGHT_CM])
    paragraph(doc, "", after=6)
    return table


def title_block(doc, title: str, subject: str) -> None:
    """Document type ("BÁO CÁO") and its subject, bold and centred."""
    paragraph(doc, title.upper(), bold=True, align="center", before=6, after=0)
    paragraph(doc, subject, bold=True, align="center", after=0)
    p = paragraph(doc, "", after=6)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rule_p = p
    rule_p.paragraph_format.left_indent = Cm(6.0)
    rule_p.paragraph_format.right_indent = Cm(6.0)
    set_font(rule_p.add_run(), 2)
    _border(rule_p, "bottom", 4)


def recipients_block(doc, recipients: list[str]) -> None:
    """"Kính gửi: X." on one line, or a dash list when there are several recipients."""
    if not recipients:
        return
    if len(recipients) == 1:
        paragraph(doc, f"Kính gửi: {recipients[0].rstrip('.')}.", align="center", before=6, after=12)
        return
    p = paragraph(doc, "Kính gửi:", align="left", before=6, after=0)
    p.paragraph_format.left_indent = Cm(3.0)
    for i, r in enumerate(recipients):
        end = "." if i == len(recipients) - 1 else ";"
        q = paragraph(doc, f"- {r.rstrip(';.')}{end}", align="left", after=12 if end == "." else 0)
        q.paragraph_format.left_indent = Cm(5.0)


def signature_block(doc, signature: Signature, header: DocumentHeader):
    """"Nơi nhận" bottom-left (12 pt bold italic, items 11 pt), signer bottom-right."""
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    paragraph(doc, "", after=0, keep_with_next=True)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    _cell_line(left, "Nơi nhận:", size=12, bold=True, italic=True, align="left", first=True)
    items = [*header.copies_to, header.archive]
    for i, item in enumerate(items):
        text = item.rstrip(";.") + ("." if i == len(items) - 1 else ";")
        _cell_line(left, f"- {text}", size=11, align="left")
    for i, line in enumerate(signature.position):
        _cell_line(right, line.upper(), size=BODY_SIZE, bold=True, first=i == 0)
    if signature.signed:
        _cell_line(right, "", size=BODY_SIZE)
        _cell_line(right, "(Đã ký)", size=BODY_SIZE, italic=True)
        _cell_line(right, "", size=BODY_SIZE)
    else:
        for _ in range(4):
            _cell_line(right, "", size=BODY_SIZE)
    if signature.name:
        _cell_line(right, signature.name, size=BODY_SIZE, bold=True)
    _widths(table, [8.0, 8.5])
    keep_together(table)
    return table

"""Province profile: two A4 pages for leaders and the press.

Page 1: headline scores and ranks (PII, input, output), the pillar chart, strengths and weaknesses.
Page 2: the indicator table (code, name, value, score, rank, national average).
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from docx.shared import Cm, Mm

from piiplan.reports import layout
from piiplan.reports.chart import pillar_chart_png
from piiplan.reports.formatting import format_number, format_rank
from piiplan.reports.model import SYNTHETIC_NOTE, IndicatorRow, ProvinceProfile

# The profile is not an administrative document: narrower margins leave room for the 52-row table.
MARGINS_MM = {"top": 15, "bottom": 15, "left": 20, "right": 15}
TEXT_W = 17.5


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def headline_sentence(p: ProvinceProfile) -> str:
    """"Năm 2025, Lạng Sơn đạt 35,20 điểm PII, xếp thứ 29/34; 2/7 trụ cột cao hơn mức trung bình cả nước."."""
    top = p.headlines[0] if p.headlines else None
    text = f"Năm {p.year}, {p.unit}"
    if top and not _missing(top.score):
        text += f" đạt {format_number(top.score, 2)} điểm {top.label}"
        if not _missing(top.rank):
            text += f", xếp thứ {format_rank(top.rank, p.n_units)}"
        if top.previous_rank:
            moved = top.previous_rank - int(top.rank)
            text += (f" ({'tăng' if moved > 0 else 'giảm'} {abs(moved)} bậc so với năm trước)" if moved
                     else " (giữ nguyên thứ hạng so với năm trước)")
    above = [x for x in p.pillars if not _missing(x.score) and not _missing(x.national_average)
             and x.score > x.national_average]
    comparable = [x for x in p.pillars if not _missing(x.score) and not _missing(x.national_average)]
    if comparable:
        text += f"; {len(above)}/{len(comparable)} trụ cột cao hơn mức trung bình cả nước"
    return text + "."


def _indicator_item(r: IndicatorRow, n_units: int) -> str:
    rank = f" — hạng {format_rank(r.rank, n_units)}" if not _missing(r.rank) else ""
    return f"{r.code}. {r.name}{rank}"


def build_profile_docx(p: ProvinceProfile):
    doc = layout.new_document()
    section = doc.sections[0]
    for side, mm in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(mm))
    section.header_distance = Mm(8)
    if p.issuer:
        layout.paragraph(doc, f"{p.issuer.parent_body.upper()} — {p.issuer.body.upper()}", size=11,
                         align="center", after=2)
    layout.paragraph(doc, f"HỒ SƠ CHỈ SỐ ĐỔI MỚI SÁNG TẠO CẤP ĐỊA PHƯƠNG (PII) NĂM {p.year}", size=14,
                     bold=True, align="center", after=0)
    layout.paragraph(doc, p.unit.upper(), size=14, bold=True, align="center", after=4)
    if p.synthetic:
        layout.synthetic_banner(doc, SYNTHETIC_NOTE)
    layout.paragraph(doc, headline_sentence(p), size=13, align="justify", after=6)

    cols = ["", *[h.label for h in p.headlines]]
    rows = [["Điểm", *[format_number(h.score, 2) for h in p.headlines]],
            ["Xếp hạng", *[format_rank(h.rank, p.n_units) for h in p.headlines]],
            ["Trung bình cả nước", *[format_number(h.national_average, 2) for h in p.headlines]]]
    if any(h.previous_rank for h in p.headlines):
        rows.append(["Xếp hạng năm trước", *[format_rank(h.previous_rank, p.n_units) for h in p.headlines]])
    w = (TEXT_W - 4.5) / max(len(p.headlines), 1)
    layout.data_table(doc, cols, rows, [4.5] + [w] * len(p.headlines), size=12,
                      align=["left"] + ["center"] * len(p.headlines))

    layout.paragraph(doc, "Điểm các trụ cột so với trung bình cả nước", size=13, bold=True, align="left",
                     after=2, keep_with_next=True)
    png = pillar_chart_png(p.pillars, p.unit)
    pic = doc.add_paragraph()
    pic.alignment = 1
    pic.add_run().add_picture(io.BytesIO(png), width=Cm(16.0))

    layout.paragraph(doc, "Điểm mạnh và điểm yếu (cấp chỉ số thành phần)", size=13, bold=True, align="left",
                     before=4, after=2, keep_with_next=True)
    n = max(len(p.strengths), len(p.weaknesses), 1)
    rows = []
    for i in range(n):
        s = _indicator_item(p.strengths[i], p.n_units) if i < len(p.strengths) else ""
        wk = _indicator_item(p.weaknesses[i], p.n_units) if i < len(p.weaknesses) else ""
        rows.append([s, wk])
    layout.data_table(doc, ["Điểm mạnh", "Điểm yếu"], rows, [TEXT_W / 2, TEXT_W / 2], size=11,
                      align=["left", "left"])

    layout.page_break(doc)
    layout.paragraph(doc, f"CÁC CHỈ SỐ THÀNH PHẦN — {p.unit.upper()}, NĂM {p.year}", size=13, bold=True,
                     align="center", after=4)
    rows, groups, current = [], set(), None
    names = {x.code: x.name for x in p.pillars}
    for r in p.indicators:
        if r.pillar_code != current:
            current = r.pillar_code
            groups.add(len(rows))
            rows.append([f"Trụ cột {current}. {names.get(current, '')}".rstrip(". ")])
        value = r.current_value if isinstance(r.current_value, str) else format_number(r.current_value, 2,
                                                                                       strip=True)
        rows.append([r.code, r.name, value, format_number(r.score, 2), format_rank(r.rank, missing="–"),
                     format_number(r.national_average, 2, strip=True)])
    layout.data_table(doc, ["Mã", "Chỉ số", "Giá trị", "Điểm", "Hạng", "TB cả nước"], rows,
                      [1.1, 9.6, 2.2, 1.4, 1.1, 2.1], size=8,
                      align=["center", "left", "right", "right", "center", "right"], group_rows=groups)
    note = p.source_note or "Điểm chuẩn hoá 0–100; hạng 1 là cao nhất."
    layout.paragraph(doc, note, size=9, italic=True, align="left", after=0)
    return doc


def write_profile(p: ProvinceProfile, path: str | Path) -> Path:
    """Write the profile DOCX to ``path`` and return it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    build_profile_docx(p).save(path)
    return path

"""Half-year and annual report to the Provincial People's Committee (DOCX).

Sections: I. direction and organisation; II. results by pillar (task counts, key indicators against the base
year and the target); III. assessment; IV. tasks for the next period; V. proposals. Appendices in a
landscape section: task progress by agency, the indicator data table, the evidence documents. The
sentences that carry numbers are computed from the data, never typed in.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from pathlib import Path

from piiplan.reports import layout
from piiplan.reports.cell_fit import fit_number_columns
from piiplan.reports.formatting import (format_date, format_number, format_rank, format_share, roman)
from piiplan.reports.model import (STATUS_LABELS, SYNTHETIC_NOTE, HalfYearReport, IndicatorRow, TaskCounts,
                                   count_tasks)

EMPTY = "Chưa có nội dung báo cáo trong kỳ"
GENERAL_ROW = "Nhiệm vụ chung"
LANDSCAPE_W = 25.2  # cm of text width on landscape A4 with the decree's margins


def _value(v, decimals: int = 2) -> str:
    if isinstance(v, str):
        return v
    return format_number(v, decimals, strip=True)


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def counts_sentence(c: TaskCounts, *, lead: str = "Đến hết kỳ báo cáo, ") -> str:
    """"Đến hết kỳ báo cáo, 34/61 nhiệm vụ đã hoàn thành (55,7%); 15 nhiệm vụ đang thực hiện; …"."""
    if c.total == 0:
        return f"{lead}chưa có nhiệm vụ nào được giao."
    parts = [f"{format_share(c.done, c.total)} nhiệm vụ đã hoàn thành"]
    for n, label in ((c.in_progress, "đang thực hiện"), (c.not_started, "chưa thực hiện"),
                     (c.overdue, "quá hạn")):
        if n:
            parts.append(f"{n} nhiệm vụ {label}")
    return lead + "; ".join(parts) + "."


def _pillar_counts_sentence(c: TaskCounts) -> str:
    if c.total == 0:
        return "Trong kỳ, trụ cột chưa có nhiệm vụ được giao."
    rest = [f"{n} {label}" for n, label in ((c.done, "hoàn thành"), (c.in_progress, "đang thực hiện"),
                                             (c.not_started, "chưa thực hiện"), (c.overdue, "quá hạn")) if n]
    return f"Trụ cột có {c.total} nhiệm vụ, trong đó " + ", ".join(rest) + "."


def _score_sentence(p) -> str | None:
    if _missing(p.score):
        return None
    text = f"Điểm trụ cột đạt {format_number(p.score, 2)}"
    if not _missing(p.rank):
        text += f", xếp hạng thứ {int(p.rank)}"
    if not _missing(p.national_average):
        diff = p.score - p.national_average
        if abs(diff) < 0.005:
            text += f", bằng mức trung bình cả nước ({format_number(p.national_average, 2)})"
        else:
            word = "cao hơn" if diff > 0 else "thấp hơn"
            text += (f", {word} {format_number(abs(diff), 2)} điểm so với mức trung bình cả nước "
                     f"({format_number(p.national_average, 2)})")
    return text + "."


def _key_indicators(report: HalfYearReport) -> list[IndicatorRow]:
    rows = [r for r in report.indicators if r.key]
    return rows or [r for r in report.indicators if r.target is not None]


def key_indicator_sentence(rows: list[IndicatorRow], base_year: int | None) -> str:
    """How many key indicators reach their target (a value, the national average or the base year) and
    improve on the base year; parts that cannot be told are said so, never as "0/0"."""
    met = sum(1 for r in rows if r.meets_target())
    assessed = sum(1 for r in rows if r.meets_target() is not None)
    better = sum(1 for r in rows if not _missing(r.base_value) and not _missing(r.current_value)
                 and (r.current_value - r.base_value) * (r.direction or 1) > 0)
    comparable = sum(1 for r in rows if not _missing(r.base_value) and not _missing(r.current_value))
    base = f"năm {base_year}" if base_year else "năm gốc"
    text = f"Trong {len(rows)} chỉ số chủ yếu"
    if assessed:
        text += f", {met}/{assessed} chỉ số đã đạt mục tiêu của Kế hoạch"
        if assessed < len(rows):
            text += f" ({len(rows) - assessed} chỉ số chưa đánh giá được)"
    else:
        text += ", chưa chỉ số nào đủ số liệu để đánh giá mức đạt mục tiêu"
    if comparable:
        text += f"; {better}/{comparable} chỉ số có số liệu được cải thiện so với {base}."
    else:
        text += f"; chưa có số liệu {base} để so sánh."
    return text


def _target_status(r: IndicatorRow) -> str:
    ok = r.meets_target()
    return "Chưa đủ số liệu" if ok is None else ("Đạt" if ok else "Chưa đạt")


def position_paragraphs(report: HalfYearReport) -> list[str]:
    """The overall PII score and rank, the plan's target and the gap, what the scenarios say."""
    pos = report.position
    if pos is None:
        return ["Kỳ này chưa có kết quả Chỉ số PII của tỉnh để báo cáo."]
    out = []
    if _missing(pos.score) or pos.rank is None:
        out.append(f"Bộ dữ liệu năm {pos.year} chưa có kết quả Chỉ số PII của tỉnh.")
    else:
        text = (f"Theo kết quả Chỉ số PII năm {pos.year}, tỉnh đạt {format_number(pos.score, 2)} điểm, "
                f"xếp hạng {format_rank(pos.rank, pos.n_units)}")
        if not _missing(pos.national_average):
            diff = pos.score - pos.national_average
            word = "cao hơn" if diff > 0 else "thấp hơn"
            text += (f", {word} {format_number(abs(diff), 2)} điểm so với mức trung bình cả nước "
                     f"({format_number(pos.national_average, 2)})")
        if pos.previous_rank is not None:
            change = pos.previous_rank - pos.rank
            text += (f"; {'tăng' if change > 0 else 'giảm'} {abs(change)} bậc so với năm {pos.year - 1}"
                     if change else f"; giữ nguyên hạng so với năm {pos.year - 1}")
        out.append(text + ".")
    if pos.target_rank:
        when = f"năm {pos.target_year}" if pos.target_year else "cuối kỳ Kế hoạch"
        text = f"Mục tiêu của Kế hoạch: {when} xếp hạng {pos.target_rank}/{pos.n_units}"
        if pos.rank is not None:
            gap = pos.rank - pos.target_rank
            if gap > 0:
                text += f"; tỉnh còn cách mục tiêu {gap} bậc"
                if not _missing(pos.score_at_target_rank) and not _missing(pos.score):
                    text += (f", tương đương {format_number(pos.score_at_target_rank - pos.score, 2)} điểm "
                             f"(tỉnh đang xếp hạng {pos.target_rank} đạt "
                             f"{format_number(pos.score_at_target_rank, 2)} điểm)")
            else:
                text += "; tỉnh đã đạt thứ hạng mục tiêu, cần duy trì"
        out.append(text + ".")
    out.extend(pos.scenario_lines)
    return out


def _section_list(doc, items: list[str]) -> None:
    layout.bullets(doc, items) if items else layout.body(doc, EMPTY + ".")


def _overdue_bullet(report: HalfYearReport) -> str | None:
    overdue = [t for t in report.tasks if t.status_code == "overdue"]
    if not overdue:
        return None
    by: OrderedDict[str, int] = OrderedDict()
    for t in sorted(overdue, key=lambda t: t.agency):
        by[t.agency] = by.get(t.agency, 0) + 1
    who = ", ".join(f"{a} ({n})" for a, n in sorted(by.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"Còn {len(overdue)} nhiệm vụ quá hạn chưa hoàn thành, thuộc: {who}"


def _overall_counts(report: HalfYearReport) -> TaskCounts:
    if report.tasks:
        return count_tasks(report.tasks)
    c = TaskCounts()
    for p in report.pillars:
        c.done += p.tasks.done
        c.in_progress += p.tasks.in_progress
        c.not_started += p.tasks.not_started
        c.overdue += p.tasks.overdue
    return c


def _body(doc, report: HalfYearReport) -> None:
    issuer, header = report.issuer, report.header
    period = report.period_label
    intro = f"Thực hiện {report.plan_title}, " if report.plan_title else ""
    cutoff = f" (số liệu tính đến ngày {format_date(report.cutoff)})" if report.cutoff and report.kind != "ad-hoc" else ""
    what = "đột xuất kết quả thực hiện" if report.kind == "ad-hoc" else "kết quả thực hiện"
    layout.body(doc, f"{intro}{issuer.body_in_text} báo cáo {what} {period}{cutoff} như sau:")
    if report.frozen_on:
        layout.body(doc, f"Số liệu của báo cáo được chốt ngày {format_date(report.frozen_on)}, khi kết thúc kỳ "
                         "báo cáo; số liệu cập nhật sau ngày này không làm thay đổi báo cáo.")

    # I
    layout.heading(doc, f"{roman(1)}. CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN")
    layout.heading(doc, "1. Công tác tập huấn, hướng dẫn", level=2)
    _section_list(doc, report.training)
    layout.heading(doc, "2. Công tác thông tin, tuyên truyền", level=2)
    _section_list(doc, report.communication)
    layout.heading(doc, "3. Công tác thu thập số liệu, tài liệu minh chứng", level=2)
    items = list(report.data_collection)
    if report.indicators:
        covered = {c for e in report.evidence for c in e.indicator_codes}
        codes = {r.code for r in report.indicators}
        items.append(f"Đã tổng hợp {len(report.evidence)} văn bản minh chứng cho "
                     f"{format_share(len(covered & codes), len(codes))} chỉ số (chi tiết tại Phụ lục III)")
    _section_list(doc, items)

    # II
    layout.heading(doc, f"{roman(2)}. KẾT QUẢ THỰC HIỆN THEO TỪNG TRỤ CỘT")
    overall = _overall_counts(report)
    layout.heading(doc, "1. Vị trí của tỉnh trong Chỉ số PII và mục tiêu của Kế hoạch", level=2)
    for text in position_paragraphs(report):
        layout.body(doc, text)
    layout.heading(doc, "2. Tình hình thực hiện nhiệm vụ", level=2)
    layout.body(doc, f"Kế hoạch có {overall.total} nhiệm vụ, giải pháp. "
                + counts_sentence(overall) + " Chi tiết theo trụ cột như sau:")
    rows = []
    for p in report.pillars:
        c = p.tasks
        rows.append([p.code, p.name, str(c.total), str(c.done), str(c.in_progress), str(c.not_started),
                     str(c.overdue)])
    general = count_tasks([t for t in report.tasks if t.pillar is None])
    if general.total:
        # Plan-wide tasks (no indicator, "Chung") have no pillar: their own row, so the rows add up.
        rows.append(["", GENERAL_ROW, str(general.total), str(general.done), str(general.in_progress),
                     str(general.not_started), str(general.overdue)])
    rows.append(["", "Tổng cộng", str(overall.total), str(overall.done), str(overall.in_progress),
                 str(overall.not_started), str(overall.overdue)])
    layout.data_table(doc, ["TT", "Trụ cột", "Tổng số", "Hoàn thành", "Đang thực hiện", "Chưa thực hiện",
                            "Quá hạn"], rows, [1.0, 5.9, 1.7, 2.0, 2.0, 2.0, 1.9],
                      align=["center", "left"] + ["center"] * 5)
    layout.heading(doc, "3. Kết quả theo từng trụ cột", level=2)
    for i, p in enumerate(report.pillars, start=1):
        layout.heading(doc, f"3.{i}. Trụ cột {p.code}: {p.name}", level=3)
        layout.body(doc, _pillar_counts_sentence(p.tasks))
        score = _score_sentence(p)
        if score:
            layout.body(doc, score)
        if p.notes:
            layout.bullets(doc, p.notes)
    key = _key_indicators(report)
    layout.heading(doc, "4. Một số chỉ số chủ yếu so với năm gốc và mục tiêu", level=2)
    if key:
        layout.body(doc, key_indicator_sentence(key, report.base_year))
        base = f"Năm {report.base_year}" if report.base_year else "Năm gốc"
        rows = [[r.code, r.name, r.unit, _value(r.base_value), _value(r.current_value), _value(r.target),
                 _target_status(r)] for r in key]
        layout.data_table(doc, ["Mã", "Chỉ số", "Đơn vị tính", base, "Kỳ báo cáo", "Mục tiêu", "Đánh giá"], rows,
                          fit_number_columns([1.3, 5.6, 2.2, 1.9, 1.9, 2.0, 1.6], rows, [3, 4, 5], 1,
                                                    layout.TABLE_SIZE),
                          align=["center", "left", "left", "right", "right", "right", "center"])
    else:
        layout.body(doc, "Kỳ này chưa có số liệu chỉ số để so sánh.")

    # III
    layout.heading(doc, f"{roman(3)}. ĐÁNH GIÁ")
    layout.heading(doc, "1. Kết quả đạt được", level=2)
    _section_list(doc, report.strengths)
    layout.heading(doc, "2. Tồn tại, hạn chế", level=2)
    limits = list(report.limitations)
    overdue = _overdue_bullet(report)
    if report.computed_limitations:
        if overdue:
            limits.append(overdue)
        limits.extend(report.agency_limitations())
    _section_list(doc, limits)
    layout.heading(doc, "3. Nguyên nhân", level=2)
    _section_list(doc, report.causes)

    # IV, V
    layout.heading(doc, f"{roman(4)}. NHIỆM VỤ TRỌNG TÂM KỲ TỚI")
    _section_list(doc, report.next_tasks)
    layout.heading(doc, f"{roman(5)}. ĐỀ XUẤT, KIẾN NGHỊ")
    _section_list(doc, report.proposals)

    to = header.recipients[0] if header.recipients else "cấp có thẩm quyền"
    layout.body(doc, f"Trên đây là {report.report_name} kết quả thực hiện Kế hoạch của {issuer.body_in_text}, "
                     f"kính báo cáo {to} xem xét, chỉ đạo./.")


def _appendix_title(doc, n: int, title: str, report: HalfYearReport) -> None:
    layout.paragraph(doc, f"Phụ lục {roman(n)}", bold=True, align="center", after=0)
    layout.paragraph(doc, title.upper(), bold=True, align="center", after=0)
    ref = report.header.number_line(report.issuer).removeprefix("Số: ")
    layout.paragraph(doc, f"(Kèm theo Báo cáo số {ref} ngày {format_date(report.header.date)} "
                          f"của {report.issuer.body_in_text})", italic=True, align="center", after=6)


def _appendices(doc, report: HalfYearReport) -> None:
    layout.add_section(doc, landscape=True)
    # I. tasks by agency
    _appendix_title(doc, 1, "Tiến độ thực hiện nhiệm vụ theo cơ quan chủ trì", report)
    rows, groups, n = [], set(), 0
    by: OrderedDict[str, list] = OrderedDict()
    for t in sorted(report.tasks, key=lambda t: t.agency):
        by.setdefault(t.agency, []).append(t)
    for agency, tasks in by.items():
        c = count_tasks(tasks)
        groups.add(len(rows))
        rows.append([f"{agency} — {counts_sentence(c, lead='').rstrip('.')}"])
        for t in tasks:
            n += 1
            note = t.note
            if t.unreviewed:
                note = f"{note} (theo báo cáo chưa được Sở thẩm định)".strip()
            rows.append([str(n), ", ".join(t.indicator_codes), t.task, t.output, t.deadline_text,
                         STATUS_LABELS[t.status_code], format_number(t.percent, 0, missing=""), note])
    if not rows:   # an empty table under a title reads as a printing fault: say there is nothing
        rows, groups = [["Kế hoạch chưa có nhiệm vụ nào được giao đến kỳ báo cáo này."]], {0}
    as_of = report.status_date or report.cutoff
    status_head = f"Tình trạng đến ngày {format_date(as_of)}" if as_of else "Tình trạng"
    layout.data_table(doc, ["STT", "Chỉ số", "Nhiệm vụ, giải pháp", "Sản phẩm", "Thời hạn", status_head,
                            "Tỷ lệ (%)", "Ghi chú"], rows, [1.3, 1.8, 8.0, 4.0, 2.2, 2.6, 1.6, 3.7],
                      size=11, align=["center", "center", "left", "left", "center", "center", "center", "left"],
                      group_rows=groups)
    # II. indicator table
    layout.page_break(doc)
    _appendix_title(doc, 2, "Số liệu các chỉ số thành phần", report)
    base = f"Năm {report.base_year}" if report.base_year else "Năm gốc"
    names = {p.code: p.name for p in report.pillars}
    rows, groups, current = [], set(), None
    for i, r in enumerate(sorted(report.indicators, key=lambda r: [int(x) for x in r.code.split(".")
                                                                      if x.isdigit()]), start=1):
        if r.pillar_code != current:
            current = r.pillar_code
            groups.add(len(rows))
            rows.append([f"Trụ cột {current}: {names.get(current, '')}".rstrip(": ")])
        rows.append([r.code, r.name, r.unit, _value(r.base_value), _value(r.current_value), _value(r.target),
                     _value(r.national_average), format_number(r.score, 2), format_rank(r.rank, missing=""),
                     "; ".join(r.evidence)])
    layout.data_table(doc, ["Mã", "Chỉ số", "Đơn vị tính", base, "Kỳ báo cáo", "Mục tiêu", "TB cả nước",
                            "Điểm", "Hạng", "Minh chứng"], rows,
                      fit_number_columns([1.3, 7.4, 2.6, 1.9, 1.9, 1.9, 1.9, 1.5, 1.2, 3.6], rows,
                                                [3, 4, 5, 6, 7], 1, 10), size=10,
                      align=["center", "left", "left", "right", "right", "right", "right", "right", "center",
                             "left"], group_rows=groups)
    # III. evidence
    layout.page_break(doc)
    _appendix_title(doc, 3, "Danh mục văn bản, tài liệu minh chứng", report)
    rows = [[str(i), e.number, format_date(e.date, missing=""), e.issuer, e.title, ", ".join(e.indicator_codes)]
            for i, e in enumerate(report.evidence, start=1)]
    layout.data_table(doc, ["STT", "Số, ký hiệu", "Ngày ban hành", "Cơ quan ban hành", "Trích yếu nội dung",
                            "Chỉ số liên quan"], rows or [["Chưa có văn bản, tài liệu minh chứng nào được gửi."]],
                      [1.3, 3.6, 2.4, 4.6, 10.3, 3.0], size=11,
                      align=["center", "left", "center", "left", "left", "center"], group_rows=set() if rows else {0})


SUBJECT = "Kết quả thực hiện Kế hoạch cải thiện và nâng cao Chỉ số Đổi mới sáng tạo cấp địa phương (PII)"


def default_subject(report: HalfYearReport) -> str:
    """The subject line, PII spelled out; an ad-hoc report says so."""
    if report.kind == "ad-hoc":
        return f"{SUBJECT} {report.period_label} (báo cáo đột xuất)"
    return f"{SUBJECT} {report.period_label}"


def plan_citation(title: str, number: str = "", issued_on=None, issuer: str = "") -> str:
    """"Kế hoạch số 45/KH-UBND ngày 10/3/2026 của Ủy ban nhân dân tỉnh Lạng Sơn về cải thiện …": the plan
    as cited in a state document (number and date when known)."""
    title = title.strip()
    if not number and not issued_on:
        return title
    rest = title
    if rest.lower().startswith("kế hoạch "):
        rest = rest[len("kế hoạch "):]
    head = "Kế hoạch"
    if number:
        head += f" số {number.strip()}"
    if issued_on:
        head += f" ngày {format_date(issued_on)}"
    if issuer:
        head += f" của {issuer}"
    return f"{head} về {rest[:1].lower()}{rest[1:]}" if rest else head


def build_half_year_docx(report: HalfYearReport):
    """Build the report as a python-docx ``Document`` (not saved)."""
    doc = layout.new_document()
    layout.header_block(doc, report.issuer, report.header)
    subject = report.header.subject or default_subject(report)
    layout.title_block(doc, "Báo cáo", subject)
    layout.recipients_block(doc, report.header.recipients)
    if report.synthetic:
        layout.synthetic_banner(doc, SYNTHETIC_NOTE)
    _body(doc, report)
    layout.signature_block(doc, report.signature, report.header)
    _appendices(doc, report)
    return doc


def write_half_year_report(report: HalfYearReport, path: str | Path) -> Path:
    """Write the half-year or annual report DOCX to ``path`` and return it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    build_half_year_docx(report).save(path)
    return path

"""Reminder letter (công văn đôn đốc) to one agency about its overdue or unfinished plan items.

Same state format as the report, with the "V/v …" subject under the number and no title block.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from piiplan.reports import layout
from piiplan.reports.formatting import format_date, format_date_long, format_number
from piiplan.reports.model import ReminderLetter


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _intro(letter: ReminderLetter) -> str:
    issuer = letter.issuer.body_in_text
    plan = f"{letter.plan_title}" if letter.plan_title else "Kế hoạch cải thiện và nâng cao Chỉ số PII của tỉnh"
    period = f" {letter.period_label}" if letter.period_label else ""
    n = len(letter.items)
    overdue = sum(1 for t in letter.items if t.status_code == "overdue")
    text = (f"Thực hiện {plan}, {issuer} là cơ quan đầu mối theo dõi, đôn đốc và tổng hợp kết quả thực hiện. "
            f"Qua theo dõi, đến {format_date_long(letter.header.date)}, {letter.agency} ")
    facts = []
    if letter.overdue_report:
        late = f"chưa gửi {_lower_first(letter.overdue_report)} về {issuer}"
        if letter.report_due:
            days = (letter.header.date - letter.report_due).days
            late += f" (hạn gửi trước {format_date_long(letter.report_due)}"
            late += f", đã quá hạn {days} ngày)" if days > 0 else ")"
        facts.append(late)
    if n and overdue == n:
        facts.append(f"còn {n} nhiệm vụ{period} đã quá thời hạn mà chưa hoàn thành (chi tiết tại bảng dưới đây)")
    elif n:
        task_text = f"còn {n} nhiệm vụ{period} chưa hoàn thành"
        if overdue:
            task_text += f", trong đó {overdue} nhiệm vụ đã quá thời hạn"
        facts.append(task_text + " (chi tiết tại bảng dưới đây)")
    if not facts:
        facts.append("không còn nhiệm vụ quá hạn")
    return text + "; ".join(facts) + "."


def _copies(letter: ReminderLetter) -> list[str]:
    """"Nơi nhận" of a công văn starts with "Như trên" (the addressees of "Kính gửi")."""
    copies = list(letter.header.copies_to)
    if not any(c.strip().lower().startswith("như trên") for c in copies):
        copies.insert(0, "Như trên")
    return copies


def build_reminder_docx(letter: ReminderLetter):
    """Build the letter as a python-docx ``Document``."""
    doc = layout.new_document()
    subject = letter.header.subject or "V/v đôn đốc thực hiện nhiệm vụ cải thiện Chỉ số PII"
    if not subject.startswith("V/v"):
        subject = f"V/v {subject[0].lower()}{subject[1:]}"
    layout.header_block(doc, letter.issuer, letter.header, subject_line=subject)
    recipients = letter.header.recipients or [letter.agency]
    layout.recipients_block(doc, recipients)
    layout.body(doc, _intro(letter))
    rows = []
    for i, t in enumerate(letter.items, start=1):
        rows.append([str(i), ", ".join(t.indicator_codes), t.task, format_date(t.deadline, missing=""),
                     t.status_label, format_number(t.percent, 0, missing="")])
    if rows:
        layout.data_table(doc, ["STT", "Chỉ số", "Nhiệm vụ", "Thời hạn", "Tình trạng", "Tỷ lệ (%)"], rows,
                          [1.2, 1.5, 7.0, 2.5, 2.8, 1.5],
                          align=["center", "center", "left", "center", "center", "center"])
    asks = []
    if letter.overdue_report:
        asks.append(f"hoàn thành, gửi {_lower_first(letter.overdue_report)}")
    if rows:
        asks.append("chỉ đạo hoàn thành các nhiệm vụ nêu trên")
    ask = (f"Để bảo đảm tiến độ chung của Kế hoạch, {letter.issuer.body_in_text} đề nghị {letter.agency} "
           f"khẩn trương {' và '.join(asks) or 'tiếp tục triển khai các nhiệm vụ được giao'}; báo cáo kết quả "
           "thực hiện kèm theo số liệu, tài liệu minh chứng")
    if letter.reply_by:
        ask += f" gửi về {letter.issuer.body_in_text} trước {format_date_long(letter.reply_by)}"
    layout.body(doc, ask + ", để tổng hợp, báo cáo UBND tỉnh theo quy định.")
    if letter.contact:
        layout.body(doc, f"Thông tin chi tiết xin liên hệ: {letter.contact}.")
    layout.body(doc, f"{letter.issuer.body_in_text} đề nghị {letter.agency} quan tâm, phối hợp thực hiện./.")
    layout.signature_block(doc, letter.signature, replace(letter.header, copies_to=_copies(letter)))
    return doc


def write_reminder_letter(letter: ReminderLetter, path: str | Path) -> Path:
    """Write the reminder letter DOCX to ``path`` and return it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    build_reminder_docx(letter).save(path)
    return path

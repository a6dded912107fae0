"""Reminder letter (công văn đôn đốc) to one agency about its overdue or unfinished plan items.

Same state format as the report, with the "V/v …" subject under the number and no title block.
"""

from __future__ import annotations

from pathlib import Path

from piiplan.reports import layout
from piiplan.reports.formatting import format_date, format_date_long, format_number
from piiplan.reports.model import ReminderLetter


def _intro(letter: ReminderLetter) -> str:
    issuer = letter.issuer.body_in_text
    plan = f"{letter.plan_title}" if letter.plan_title else "Kế hoạch cải thiện và nâng cao Chỉ số PII của tỉnh"
    period = f" {letter.period_label}" if letter.period_label else ""
    n = len(letter.items)
    overdue = sum(1 for t in letter.items if t.status_code == "overdue")
    text = (f"Thực hiện {plan}, {issuer} là cơ quan đầu mối theo dõi, đôn đốc và tổng hợp kết quả thực hiện. "
            f"Qua theo dõi, đến {format_date_long(letter.header.date)}, {letter.agency} còn {n} nhiệm vụ"
            f"{period} chưa hoàn thành")
    if overdue:
        text += f", trong đó {overdue} nhiệm vụ đã quá thời hạn"
    return text + " (chi tiết tại bảng dưới đây)."


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
    layout.data_table(doc, ["STT", "Chỉ số", "Nhiệm vụ", "Thời hạn", "Tình trạng", "Tỷ lệ (%)"], rows,
                      [1.2, 1.5, 7.0, 2.5, 2.8, 1.5],
                      align=["center", "center", "left", "center", "center", "center"])
    ask = (f"Để bảo đảm tiến độ chung của Kế hoạch, {letter.issuer.body_in_text} đề nghị {letter.agency} "
           "khẩn trương chỉ đạo hoàn thành các nhiệm vụ nêu trên; báo cáo kết quả thực hiện kèm theo số liệu, "
           "tài liệu minh chứng")
    if letter.reply_by:
        ask += f" gửi về {letter.issuer.body_in_text} trước {format_date_long(letter.reply_by)}"
    layout.body(doc, ask + ", để tổng hợp, báo cáo UBND tỉnh theo quy định.")
    if letter.contact:
        layout.body(doc, f"Thông tin chi tiết xin liên hệ: {letter.contact}.")
    layout.body(doc, f"{letter.issuer.body_in_text} đề nghị {letter.agency} quan tâm, phối hợp thực hiện./.")
    layout.signature_block(doc, letter.signature, letter.header)
    return doc


def write_reminder_letter(letter: ReminderLetter, path: str | Path) -> Path:
    """Write the reminder letter DOCX to ``path`` and return it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    build_reminder_docx(letter).save(path)
    return path

"""Plain inputs of the report writers.

The web app and the CLI map their own objects (Django models, engine results) onto these dataclasses;
the writers never see anything else. Every text field is what the reader sees, in Vietnamese.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

# Task status codes and their Vietnamese labels (issue 6: chưa thực hiện, đang thực hiện, hoàn thành,
# quá hạn). Writers accept either the code or the label.
STATUS_LABELS = {
    "done": "Hoàn thành",
    "in_progress": "Đang thực hiện",
    "not_started": "Chưa thực hiện",
    "overdue": "Quá hạn",
}
_STATUS_BY_LABEL = {label.lower(): code for code, label in STATUS_LABELS.items()}

SYNTHETIC_NOTE = "Dữ liệu mô phỏng — không phải số liệu chính thức"


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def status_code(status: str) -> str:
    """Normalise a status given as code (``"done"``) or Vietnamese label (``"hoàn thành"``)."""
    s = str(status).strip()
    if s in STATUS_LABELS:
        return s
    code = _STATUS_BY_LABEL.get(s.lower())
    if code is None:
        raise ValueError(f"Trạng thái nhiệm vụ không hợp lệ: «{status}»")
    return code


@dataclass
class Issuer:
    """The body that issues a document, e.g. UBND TỈNH LẠNG SƠN / SỞ KHOA HỌC VÀ CÔNG NGHỆ, at Lạng Sơn."""

    parent_body: str
    body: str
    place: str
    symbol: str = "SKHCN"  # abbreviation used in number symbols: "…/BC-SKHCN"
    name: str = ""  # the body as written in running text: "Sở Khoa học và Công nghệ"

    @property
    def body_in_text(self) -> str:
        return self.name or self.body[:1] + self.body[1:].lower()


@dataclass
class Signature:
    """Signature block: position lines (``["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]``), the signer's name."""

    position: list[str]
    name: str = ""
    signed: bool = False  # print "(Đã ký)" in the signing space (copies of signed documents)


@dataclass
class DocumentHeader:
    """Number, date, recipients and subject of one document.

    ``number`` may be blank on a draft (the clerk writes it in). ``kind`` is the document-type code used in
    the symbol (``"BC"`` report, ``""`` for a công văn, whose symbol is just the issuer abbreviation).
    """

    date: date
    subject: str
    recipients: list[str] = field(default_factory=list)  # "Kính gửi"
    number: str = ""
    kind: str = "BC"
    copies_to: list[str] = field(default_factory=list)  # "Nơi nhận", without the final "Lưu: VT"
    archive: str = "Lưu: VT."

    def number_line(self, issuer: Issuer) -> str:
        symbol = f"{self.kind}-{issuer.symbol}" if self.kind else issuer.symbol
        number = self.number or "\u00a0" * 6
        return f"Số: {number}/{symbol}"


@dataclass
class TaskProgress:
    """Progress of one plan task as reported by its lead agency."""

    agency: str
    indicator_codes: list[str]
    task: str
    status: str  # code or label, see STATUS_LABELS
    percent: float | None = None
    note: str = ""
    deadline: date | None = None
    output: str = ""  # expected product (sản phẩm)
    timing: str = ""  # a deadline in words when there is no date: "Thường xuyên", "Hằng quý"
    unreviewed: bool = False  # progress taken from a report the DoST has not accepted yet

    @property
    def deadline_text(self) -> str:
        """The deadline column: the date, the recurring timing ("Hằng quý"), or both."""
        from piiplan.reports.formatting import format_date

        parts = [format_date(self.deadline, missing="")] if self.deadline else []
        if self.timing and self.timing not in parts:
            parts.append(self.timing)
        return "; ".join(p for p in parts if p)

    @property
    def status_code(self) -> str:
        return status_code(self.status)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status_code]

    @property
    def pillar(self) -> str | None:
        """Pillar code of the first linked indicator ("1.2.1" -> "1")."""
        return self.indicator_codes[0].split(".")[0] if self.indicator_codes else None


@dataclass
class IndicatorRow:
    """One indicator line in a table: values, target, score, rank, national average and evidence."""

    code: str
    name: str
    unit: str = ""
    base_value: float | None = None
    current_value: float | None = None
    target: float | str | None = None  # a value or a phrase ("Đạt mức trung bình cả nước")
    national_average: float | None = None
    score: float | None = None
    rank: int | None = None
    evidence: list[str] = field(default_factory=list)
    key: bool = False  # shown in the body of the report, not only in the appendix
    direction: int = 1  # 1: higher is better, -1: lower is better
    pillar: str = ""  # pillar code; defaults to the first part of the code
    # What the target asks: "value" (reach ``target``), "reach_average" / "stay_above" (the national
    # average), "improve" (better than the base year); "" = a numeric target, else not assessable.
    goal: str = ""

    @property
    def pillar_code(self) -> str:
        return self.pillar or self.code.split(".")[0]

    def _reaches(self, bound) -> bool | None:
        if _missing(self.current_value) or _missing(bound):
            return None
        return self.current_value >= bound if self.direction >= 0 else self.current_value <= bound

    def meets_target(self) -> bool | None:
        """Whether the current value reaches the target: a number, the national average or the base
        year's value, by ``goal`` (None when it cannot be told)."""
        goal = self.goal or ("value" if isinstance(self.target, (int, float)) else "")
        if goal == "value":
            return self._reaches(self.target) if isinstance(self.target, (int, float)) else None
        if goal in ("reach_average", "stay_above"):
            return self._reaches(self.national_average)
        if goal == "improve":
            if _missing(self.base_value) or _missing(self.current_value):
                return None
            return (self.current_value - self.base_value) * (self.direction or 1) > 0
        return None


@dataclass
class TaskCounts:
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.done + self.in_progress + self.not_started + self.overdue


@dataclass
class PillarResult:
    """A pillar: score and rank (may be unknown in a half-year report), national average, task counts."""

    code: str
    name: str
    score: float | None = None
    rank: int | None = None
    national_average: float | None = None
    tasks: TaskCounts = field(default_factory=TaskCounts)
    notes: list[str] = field(default_factory=list)  # extra bullets written under the pillar


@dataclass
class EvidenceDoc:
    """An evidence document (văn bản minh chứng)."""

    number: str
    date: date | None
    issuer: str
    title: str
    indicator_codes: list[str] = field(default_factory=list)


@dataclass
class HalfYearReport:
    """Half-year (``kind="half-year"``) or annual (``kind="annual"``) report to the UBND."""

    issuer: Issuer
    header: DocumentHeader
    signature: Signature
    year: int
    kind: str = "half-year"
    plan_title: str = ""  # "Kế hoạch số …/KH-UBND ngày … về cải thiện và nâng cao Chỉ số PII …"
    base_year: int | None = None
    cutoff: date | None = None
    status_date: date | None = None  # task statuses are as of this day (default: the cut-off)
    # I. Công tác chỉ đạo, tổ chức thực hiện
    training: list[str] = field(default_factory=list)
    communication: list[str] = field(default_factory=list)
    data_collection: list[str] = field(default_factory=list)
    # II. Kết quả theo trụ cột
    pillars: list[PillarResult] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    # III. Đánh giá
    strengths: list[str] = field(default_factory=list)
    limitations: list[str] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)
    # IV, V
    next_tasks: list[str] = field(default_factory=list)
    proposals: list[str] = field(default_factory=list)
    # Appendices
    tasks: list[TaskProgress] = field(default_factory=list)
    evidence: list[EvidenceDoc] = field(default_factory=list)
    synthetic: bool = False
    # The index position: overall score and rank, the plan's target and the gap, what scenarios say.
    position: IndexPosition | None = None
    late_agencies: list[str] = field(default_factory=list)  # expected reports not sent by the deadline
    pending_agencies: list[str] = field(default_factory=list)  # sent, not yet accepted by the DoST
    frozen_on: date | None = None  # the data were frozen when the period closed
    # Add the computed lines (overdue tasks, late agencies) to III.2; False when the composer's text
    # already carries them.
    computed_limitations: bool = True

    @property
    def period_label(self) -> str:
        """The period in running text: "6 tháng đầu năm 2026", "năm 2026", "đến ngày 30/09/2026"."""
        return period_label(self.kind, self.year, self.cutoff)

    @property
    def report_name(self) -> str:
        """"báo cáo 6 tháng đầu năm 2026", "báo cáo năm 2026", "báo cáo đột xuất (số liệu đến ngày …)"."""
        if self.kind == "ad-hoc":
            return f"báo cáo đột xuất {self.period_label}".strip()
        return f"báo cáo {self.period_label}"

    def agency_limitations(self) -> list[str]:
        """The lines of III.2 on agencies: reports not sent by the deadline, reports not yet accepted (the
        document adds them; the composer's draft carries them, so a written section keeps them)."""
        out = []
        if self.late_agencies:
            out.append(f"{len(self.late_agencies)} cơ quan, đơn vị chưa gửi báo cáo đúng hạn: "
                       + ", ".join(self.late_agencies))
        if self.pending_agencies:
            out.append(f"Báo cáo của {', '.join(self.pending_agencies)} đã gửi nhưng chưa được Sở thẩm định; "
                       "kết quả trong các báo cáo này chưa được tổng hợp vào báo cáo")
        return out


PERIOD_KINDS = ("half-year", "annual", "ad-hoc")


def period_label(kind: str, year: int, cutoff: date | None = None) -> str:
    if kind not in PERIOD_KINDS:
        raise ValueError(f"Loại kỳ báo cáo không hợp lệ: «{kind}» (half-year, annual, ad-hoc)")
    if kind == "annual":
        return f"năm {year}"
    if kind == "ad-hoc":
        from piiplan.reports.formatting import format_date

        return f"đến ngày {format_date(cutoff)}" if cutoff else f"năm {year}"
    return f"6 tháng đầu năm {year}"


@dataclass
class IndexPosition:
    """Where the province stands in the latest index and how far the plan's target is."""

    year: int
    score: float | None
    rank: int | None
    n_units: int
    national_average: float | None = None
    previous_rank: int | None = None
    target_rank: int | None = None
    target_year: int | None = None
    score_at_target_rank: float | None = None  # score of the province now holding the target rank
    scenario_lines: list[str] = field(default_factory=list)  # what the latest saved scenarios say


@dataclass
class ReminderLetter:
    """Công văn đôn đốc: reminds one agency of its overdue (or soon due) tasks and data."""

    issuer: Issuer
    header: DocumentHeader  # kind="" gives "Số: …/SKHCN"; subject is the "V/v" line
    signature: Signature
    agency: str
    items: list[TaskProgress]
    reply_by: date | None = None
    plan_title: str = ""
    period_label: str = ""  # "6 tháng đầu năm 2026"
    contact: str = ""  # "Phòng Quản lý khoa học, điện thoại …"
    overdue_report: str = ""  # the agency's own report not sent in time: "Báo cáo 6 tháng đầu năm 2026"
    report_due: date | None = None  # that report's deadline (passed)


@dataclass
class Headline:
    """A headline score: label ("Chỉ số PII"), score, rank and the national average."""

    code: str
    label: str
    score: float | None
    rank: int | None
    national_average: float | None = None
    previous_rank: int | None = None


@dataclass
class ProvinceProfile:
    """Two-page profile of one province in one year."""

    unit: str
    year: int
    n_units: int
    headlines: list[Headline]
    pillars: list[PillarResult]
    indicators: list[IndicatorRow]
    strengths: list[IndicatorRow] = field(default_factory=list)
    weaknesses: list[IndicatorRow] = field(default_factory=list)
    synthetic: bool = False
    source_note: str = ""
    issuer: Issuer | None = None


@dataclass
class TemplateIndicator:
    code: str
    name: str
    unit: str = ""
    source: str = ""
    last_value: float | None = None


@dataclass
class AgencyTemplate:
    """Data-collection template for one agency and one year."""

    agency: str
    agency_code: str
    unit: str  # the province the values are for, e.g. "Lạng Sơn"
    year: int
    indicators: list[TemplateIndicator]
    deadline: date | None = None
    issuer: Issuer | None = None
    synthetic: bool = False


@dataclass
class MinistryFormRow:
    code: str
    name: str
    unit: str
    value: float | None
    evidence: str = ""
    lead_agency: str = ""
    note: str = ""


@dataclass
class MinistryForm:
    """The province's values laid out for entry into the Ministry's online form."""

    unit: str
    year: int
    rows: list[MinistryFormRow]
    synthetic: bool = False


def count_tasks(tasks: list[TaskProgress]) -> TaskCounts:
    """Count tasks by status."""
    c = Counter(t.status_code for t in tasks)
    return TaskCounts(c["done"], c["in_progress"], c["not_started"], c["overdue"])


def pillar_task_counts(tasks: list[TaskProgress]) -> dict[str, TaskCounts]:
    """Task counts per pillar code; a task counts under the pillar of its first indicator."""
    by: dict[str, list[TaskProgress]] = {}
    for t in tasks:
        if t.pillar is not None:
            by.setdefault(t.pillar, []).append(t)
    return {p: count_tasks(ts) for p, ts in by.items()}

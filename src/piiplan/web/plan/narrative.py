"""The report composer: the narrative sections of a period's report to the UBND (I.1, I.2, I.3, III.1,
III.2, III.3, IV, V), each written by the DoST staff in the workspace and pre-filled with a draft
assembled from the data — the accepted agencies' summaries and difficulties grouped by pillar, the index
position and the plan's target with the gap, overdue tasks and late agencies by name, the agencies'
proposals. A section holds one item per line (the document prints them as "- …;" items).
Saving checks each section's version (two people editing the same section: the second is told) and is
audited; a failed save changes nothing."""

from __future__ import annotations

import re
from collections import OrderedDict

from django.db import transaction

from piiplan.reports import model as rm
from piiplan.reports.formatting import format_number
from piiplan.web.audit.log import record
from piiplan.web.plan.models import AgencyReport, ReportSection, ReportStatus, Task

SECTIONS = OrderedDict([
    ("training", "I.1. Công tác tập huấn, hướng dẫn"),
    ("communication", "I.2. Công tác thông tin, tuyên truyền"),
    ("data_collection", "I.3. Công tác thu thập số liệu, tài liệu minh chứng"),
    ("strengths", "III.1. Kết quả đạt được"),
    ("limitations", "III.2. Tồn tại, hạn chế"),
    ("causes", "III.3. Nguyên nhân"),
    ("next_tasks", "IV. Nhiệm vụ trọng tâm kỳ tới"),
    ("proposals", "V. Đề xuất, kiến nghị"),
])
MAX_CHARS = 20000

_TRAINING = re.compile(r"tập huấn|hướng dẫn|bồi dưỡng|hội nghị", re.I)
_COMMUNICATION = re.compile(r"tuyên truyền|truyền thông|thông tin|phổ biến|báo chí", re.I)
_DIFFICULTY = re.compile(r"khó khăn|vướng mắc|hạn chế|chưa |chậm|thiếu", re.I)
_CAUSE = re.compile(r"\bdo\b|nguyên nhân|vì ", re.I)


class ComposerError(Exception):
    """Vietnamese problems per section key; nothing was saved."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(problems.values()))


def lines_of(text: str) -> list[str]:
    """One item per non-empty line, without a leading dash or bullet."""
    out = []
    for line in str(text or "").splitlines():
        line = re.sub(r"^\s*[-–•*+]\s*", "", line).strip()
        if line:
            out.append(line)
    return out


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.;!?])\s+|\n+", str(text or "")) if s.strip()]


def _accepted(period):
    return list(AgencyReport.objects.filter(period=period, status=ReportStatus.ACCEPTED)
                .select_related("agency").order_by("agency__name"))


def _agency_pillars(plan) -> dict[int, list[str]]:
    """Pillar codes of each lead agency's tasks, most tasks first."""
    counts: dict[int, dict[str, int]] = {}
    for agency_id, indicators in Task.objects.filter(plan=plan).values_list("lead_agency_id", "indicators"):
        for code in (indicators or [])[:1]:
            pillar = str(code).split(".")[0]
            counts.setdefault(agency_id, {}).setdefault(pillar, 0)
            counts[agency_id][pillar] += 1
    return {a: sorted(c, key=lambda p: (-c[p], int(p) if p.isdigit() else 99)) for a, c in counts.items()}


def _by_pillar(period, report: rm.HalfYearReport, pick) -> list[str]:
    """Sentences of the accepted summaries chosen by ``pick``, grouped under the agency's main pillar."""
    names = {p.code: p.name for p in report.pillars}
    pillars = _agency_pillars(period.plan)
    groups: OrderedDict[str, list[str]] = OrderedDict()
    for item in _accepted(period):
        chosen = [s for s in _sentences(item.summary) if pick(s)]
        if not chosen:
            continue
        pillar = (pillars.get(item.agency_id) or [""])[0]
        key = f"Trụ cột {pillar} ({names[pillar]})" if pillar in names else "Nhiệm vụ chung"
        groups.setdefault(key, []).append(f"{item.agency.name}: {' '.join(chosen).rstrip('.;')}")
    return [f"{key} — {'; '.join(items)}" for key, items in sorted(groups.items())]


def _pillar_lines(report: rm.HalfYearReport, above: bool) -> list[str]:
    out = []
    for p in report.pillars:
        if p.score is None or p.national_average is None:
            continue
        diff = p.score - p.national_average
        if (diff > 0) == above and abs(diff) >= 0.005:
            out.append(f"Trụ cột {p.code} ({p.name}) đạt {format_number(p.score, 2)} điểm, xếp hạng {p.rank}, "
                       f"{'cao hơn' if above else 'thấp hơn'} trung bình cả nước {format_number(abs(diff), 2)} điểm")
    return out


def _overdue_lines(report: rm.HalfYearReport) -> list[str]:
    by: OrderedDict[str, list[str]] = OrderedDict()
    for t in report.tasks:
        if t.status_code == "overdue":
            by.setdefault(t.agency, []).append(t.task.rstrip("."))
    return [f"{agency} còn {len(items)} nhiệm vụ quá hạn: {'; '.join(items)}" for agency, items in sorted(by.items())]


def drafts(period, report: rm.HalfYearReport, data: dict) -> dict[str, list[str]]:
    """The draft of every section, assembled from the period's data."""
    accepted = _accepted(period)
    counts = rm.count_tasks(report.tasks)
    pos = report.position
    out: dict[str, list[str]] = {}
    out["training"] = _by_pillar(period, report, _TRAINING.search) or [
        f"{report.issuer.body_in_text} đã hướng dẫn {period.expected_agencies().count()} cơ quan, đơn vị triển khai "
        "nhiệm vụ và báo cáo kết quả thực hiện Kế hoạch trên hệ thống quản lý Chỉ số PII"]
    out["communication"] = _by_pillar(period, report, _COMMUNICATION.search) or [
        "Các cơ quan, đơn vị chưa báo cáo hoạt động thông tin, tuyên truyền về Chỉ số PII trong kỳ"]
    out["data_collection"] = list(data.get("data_collection") or [])
    strengths = [f"{format_number(counts.done, 0)}/{counts.total} nhiệm vụ đã hoàn thành"] if counts.total else []
    strengths += _pillar_lines(report, above=True)
    strengths += _by_pillar(period, report, lambda s: not _DIFFICULTY.search(s))
    out["strengths"] = strengths
    limits = _by_pillar(period, report, _DIFFICULTY.search) + _pillar_lines(report, above=False)
    if pos is not None and pos.rank is not None and pos.target_rank and pos.rank > pos.target_rank:
        limits.append(f"Chỉ số PII năm {pos.year} xếp hạng {pos.rank}/{pos.n_units}, còn cách mục tiêu "
                      f"hạng {pos.target_rank} của Kế hoạch {pos.rank - pos.target_rank} bậc")
    limits += _overdue_lines(report)
    limits += report.agency_limitations()
    out["limitations"] = limits
    causes = _by_pillar(period, report, _CAUSE.search)
    if counts.overdue:
        causes.append(f"Một số cơ quan, đơn vị chưa bố trí đủ nguồn lực, chưa chủ động triển khai nhiệm vụ "
                      f"({counts.overdue} nhiệm vụ quá hạn)")
    if report.late_agencies:
        causes.append("Việc báo cáo, cung cấp số liệu và tài liệu minh chứng của một số cơ quan, đơn vị "
                      "chưa kịp thời")
    out["causes"] = causes
    nxt = []
    if pos is not None and pos.target_rank:
        nxt.append(f"Tập trung cải thiện các chỉ số, trụ cột còn thấp để đạt mục tiêu xếp hạng {pos.target_rank} "
                   f"năm {pos.target_year or report.year}")
    nxt += [f"{line.split(' còn ')[0]} khẩn trương hoàn thành các nhiệm vụ quá hạn" for line in _overdue_lines(report)]
    weak = [r for r in report.indicators if r.meets_target() is False and r.key][:5]
    if weak:
        nxt.append("Ưu tiên các chỉ số chưa đạt mục tiêu: " + ", ".join(f"{r.code} {r.name}" for r in weak))
    nxt.append("Tiếp tục thu thập số liệu, tài liệu minh chứng của các chỉ số, gửi "
               f"{report.issuer.body_in_text} đúng hạn để tổng hợp báo cáo Bộ Khoa học và Công nghệ")
    out["next_tasks"] = nxt
    proposals = [f"{item.agency.name}: {line}" for item in accepted for line in lines_of(item.proposals)]
    if report.late_agencies:
        proposals.append("Đề nghị Ủy ban nhân dân tỉnh chỉ đạo các cơ quan, đơn vị chưa gửi báo cáo ("
                         + ", ".join(report.late_agencies) + ") khẩn trương báo cáo kết quả thực hiện")
    out["proposals"] = proposals or [
        "Đề nghị Ủy ban nhân dân tỉnh tiếp tục chỉ đạo các sở, ban, ngành, Ủy ban nhân dân các xã, phường "
        "triển khai đầy đủ, đúng tiến độ các nhiệm vụ của Kế hoạch"]
    out["causes"] = causes or ["Một số nhiệm vụ cần thời gian triển khai dài hơn kỳ báo cáo; số liệu của một số "
                               "chỉ số chỉ có sau khi kết thúc năm"]
    return out


def saved(period) -> dict[str, ReportSection]:
    return {s.key: s for s in ReportSection.objects.filter(period=period)}


def sections(period, report: rm.HalfYearReport, data: dict) -> dict[str, list[str]]:
    """What the document prints: each section as written in the composer, else its draft. The computed
    lines on overdue tasks and late agencies are part of the draft, so the writer does not add them."""
    report.computed_limitations = False
    written = saved(period)
    draft = drafts(period, report, data)
    return {key: lines_of(written[key].text) if key in written else draft[key] for key in SECTIONS}


def save(request, period, texts: dict[str, str], versions: dict[str, int],
         shown: dict[str, str] | None = None) -> list[str]:
    """Save the sections whose text changed from what the form showed (``shown``: the saved text or the
    draft; a draft left as it is stays a draft and follows the data); returns their keys. Raises
    :class:`ComposerError` (and saves nothing) on an empty or too long section, an unknown section, or
    one changed meanwhile by someone else."""
    problems: dict[str, str] = {}
    for key in texts:
        if key not in SECTIONS:
            problems[key] = f"Mục «{key}» không có trong báo cáo."
    shown = shown or {}
    texts = {k: v for k, v in texts.items()
             if k not in SECTIONS or k not in shown or lines_of(v) != lines_of(shown[k])}
    for key, text in texts.items():
        if key not in SECTIONS:
            continue
        if not lines_of(text):
            problems[key] = (f"Mục {SECTIONS[key]} không được để trống; nếu kỳ này không có nội dung, hãy ghi "
                             "«Không có»." )
        elif len(text) > MAX_CHARS:
            problems[key] = f"Mục {SECTIONS[key]} dài quá {MAX_CHARS:,} ký tự.".replace(",", ".")
    changed = []
    with transaction.atomic():
        current = {s.key: s for s in ReportSection.objects.select_for_update().filter(period=period)}
        for key, text in texts.items():
            if key in problems or key not in SECTIONS:
                continue
            row = current.get(key)
            have = row.version if row else 0
            if versions.get(key, 0) != have:
                problems[key] = (f"Mục {SECTIONS[key]} vừa được người khác sửa; nội dung mới nhất đã được tải lại, "
                                 "hãy sửa lại rồi lưu.")
                continue
            clean = "\n".join(lines_of(text))
            if row is not None and row.text == clean:
                continue
            changed.append((key, row, clean))
        if problems:
            raise ComposerError(problems)
        for key, row, clean in changed:
            before = row.text if row else None
            if row is None:
                row = ReportSection(period=period, key=key, text=clean, updated_by=request.user)
            else:
                row.text, row.version, row.updated_by = clean, row.version + 1, request.user
            row.save()
            record(request, "report_section_save", period, before={"section": key, "text": before},
                   after={"section": key, "text": clean, "version": row.version}, note=SECTIONS[key])
    return [key for key, _, _ in changed]

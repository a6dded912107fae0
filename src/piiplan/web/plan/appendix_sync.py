"""The plan appendix ↔ the database: export a plan's tasks as appendix rows, import rows into a plan.

Import is two steps (preview, then confirm): :func:`resolve` maps agency names onto ``Agency`` rows and
lists every problem by row and column; :func:`apply` writes the resolved rows in one transaction —
tasks are matched by STT (updated), new numbers are created, and tasks missing from the file are
soft-deleted. Every change is audited. A row carrying an older task version than the database's (the
task was edited after the export) is a conflict: it is reported and never applied.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction

from piiplan.web.accounts.models import Agency, AgencyKind
from piiplan.web.audit.log import record, snapshot
from piiplan.web.plan.appendix import GENERAL, RECURRENCE_TEXT, AppendixRow, Problem
from piiplan.web.plan.models import ALL_COMMUNES_LABEL, Plan, Task
from piiplan.web.plan.services import TASK_FIELDS

ALL_COMMUNES_NAMES = {"ubnd các xã phường", "các xã phường", "ubnd các xã phường thị trấn", "tất cả các xã phường",
                      "ủy ban nhân dân các xã phường", "uỷ ban nhân dân các xã phường"}


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text)).lower().replace("–", "-")
    text = re.sub(r"[,.;:()]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


class AgencyIndex:
    """Find an agency by code, by name, or by "UBND xã …" for communes."""

    def __init__(self, agencies=None):
        self.by_key: dict[str, Agency] = {}
        for agency in agencies if agencies is not None else Agency.objects.all():
            self.by_key.setdefault(_norm(agency.code), agency)
            self.by_key[_norm(agency.name)] = agency
            if agency.kind == AgencyKind.COMMUNE:
                self.by_key.setdefault(_norm(f"UBND {agency.name}"), agency)

    def find(self, name: str) -> Agency | None:
        agency = self.by_key.get(_norm(name))
        # An agency merged into another (accounts administration) stands for the one it was merged into.
        for _ in range(10):
            if agency is None or not agency.merged_into_id:
                break
            agency = agency.merged_into
        return agency


@dataclass
class ResolvedRow:
    row: AppendixRow
    lead: Agency
    coordinating: list[Agency]
    all_communes: bool
    other: list[str] = field(default_factory=list)

    def task_data(self) -> dict:
        r = self.row
        return {
            "number": r.number, "indicators": list(r.indicators), "content": r.content, "lead_agency": self.lead,
            "coordinating_agencies": list(self.coordinating), "all_communes": self.all_communes,
            "coordinating_other": "; ".join(self.other), "output": r.output, "deadline": r.deadline,
            "recurrence": r.recurrence,
        }


def resolve(rows: list[AppendixRow], index: AgencyIndex | None = None) -> tuple[list[ResolvedRow], list[Problem], list[Problem]]:
    """Map names to agencies. Returns (resolved rows, errors, warnings).

    An unknown lead agency is an error (exactly one known lead is required); an unknown coordinating
    name is kept as text and reported as a warning.
    """
    index = index or AgencyIndex()
    resolved, errors, warnings = [], [], []
    for row in rows:
        lead = index.find(row.lead)
        if lead is None:
            errors.append(Problem(row.line, "Cơ quan chủ trì", f"không có cơ quan «{row.lead}» trong danh sách cơ quan, đơn vị."))
            continue
        coordinating, other, all_communes = [], [], False
        for name in row.coordinating:
            if _norm(name) in ALL_COMMUNES_NAMES:
                all_communes = True
                continue
            agency = index.find(name)
            if agency is None:
                other.append(name)
                warnings.append(Problem(row.line, "Cơ quan phối hợp",
                                        f"«{name}» không có trong danh sách cơ quan, đơn vị; được giữ dưới dạng văn bản."))
            elif agency != lead and agency not in coordinating:
                coordinating.append(agency)
        resolved.append(ResolvedRow(row, lead, coordinating, all_communes, other))
    return resolved, errors, warnings


def plan_rows(plan: Plan) -> list[AppendixRow]:
    rows = []
    tasks = Task.objects.filter(plan=plan).select_related("lead_agency").prefetch_related("coordinating_agencies")
    for task in tasks.order_by("number"):
        coordinating = sorted(a.name for a in task.coordinating_agencies.all())
        if task.all_communes:
            coordinating.append(ALL_COMMUNES_LABEL)
        coordinating += [p.strip() for p in task.coordinating_other.split(";") if p.strip()]
        rows.append(AppendixRow(task.number, list(task.indicators), task.content, task.lead_agency.name,
                                coordinating, task.output, task.deadline, task.recurrence, version=task.version))
    return rows


def plan_signature(plan: Plan) -> list[tuple]:
    """What the appendix carries of each task, comparable across export → import."""
    out = []
    for task in Task.objects.filter(plan=plan).order_by("number").prefetch_related("coordinating_agencies"):
        out.append((task.number, tuple(task.indicators), task.content, task.lead_agency_id,
                    tuple(sorted(a.pk for a in task.coordinating_agencies.all())), task.all_communes,
                    task.coordinating_other, task.output, task.deadline, task.recurrence))
    return out


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    conflicts: int = 0


@dataclass
class FieldChange:
    column: str  # the appendix column, in Vietnamese
    old: str
    new: str


@dataclass
class TaskChange:
    number: int
    content: str
    fields: list[FieldChange]


@dataclass
class Conflict:
    number: int
    file_version: int
    current_version: int

    def __str__(self) -> str:
        return (f"Nhiệm vụ STT {self.number} đã được sửa trên hệ thống sau khi xuất tệp "
                f"(phiên bản {self.file_version} → {self.current_version}); dòng này sẽ không được nhập.")


def _timing(deadline, recurrence) -> str:
    if recurrence:
        return RECURRENCE_TEXT.get(recurrence, recurrence)
    return deadline.strftime("%d/%m/%Y") if deadline else ""


def _coordinating_text(agencies, all_communes: bool, other: str) -> str:
    names = sorted(a.name for a in agencies)
    if all_communes:
        names.append(ALL_COMMUNES_LABEL)
    names += [p.strip() for p in other.split(";") if p.strip()]
    return "; ".join(names)


def _appendix_view(indicators, content, lead, coordinating, output, deadline, recurrence) -> dict[str, str]:
    return {"Chỉ số": ", ".join(indicators) or GENERAL, "Nhiệm vụ, giải pháp": content, "Cơ quan chủ trì": lead,
            "Cơ quan phối hợp": coordinating, "Sản phẩm": output, "Thời gian": _timing(deadline, recurrence)}


def task_changes(task: Task, item: ResolvedRow) -> list[FieldChange]:
    """The appendix columns in which the row differs from the task (empty when the row changes nothing)."""
    r = item.row
    old = _appendix_view(list(task.indicators), task.content, task.lead_agency.name,
                         _coordinating_text(task.coordinating_agencies.all(), task.all_communes, task.coordinating_other),
                         task.output, task.deadline, task.recurrence)
    new = _appendix_view(list(r.indicators), r.content, item.lead.name,
                         _coordinating_text(item.coordinating, item.all_communes, "; ".join(item.other)),
                         r.output, r.deadline, r.recurrence)
    return [FieldChange(k, old[k], new[k]) for k in old if old[k] != new[k]]


def conflict_of(task: Task, row: AppendixRow) -> Conflict | None:
    """A row exported before the task's last edit; rows without a version never conflict."""
    if row.version is not None and row.version < task.version:
        return Conflict(row.number, row.version, task.version)
    return None


def _existing(plan: Plan) -> dict[int, Task]:
    tasks = Task.objects.filter(plan=plan).select_related("lead_agency").prefetch_related("coordinating_agencies")
    return {t.number: t for t in tasks}


def diff(plan: Plan, resolved: list[ResolvedRow]) -> dict:
    """What confirming would do, for the preview: created / changed (field by field) / removed STT numbers,
    the count of unchanged tasks and the conflicting rows that will be skipped."""
    existing = _existing(plan)
    incoming = {r.row.number for r in resolved}
    update, conflicts, unchanged = [], [], 0
    for item in sorted(resolved, key=lambda i: i.row.number):
        task = existing.get(item.row.number)
        if task is None:
            continue
        changes = task_changes(task, item)
        conflict = conflict_of(task, item.row)
        if conflict is not None and changes:
            conflicts.append(conflict)
        elif changes:
            update.append(TaskChange(task.number, task.content, changes))
        else:
            unchanged += 1
    removed = sorted(set(existing) - incoming)
    return {
        "create": sorted(incoming - set(existing)),
        "created_rows": sorted((r.row for r in resolved if r.row.number not in existing), key=lambda r: r.number),
        "update": update,
        "unchanged": unchanged,
        "remove": removed,
        "removed_tasks": [existing[n] for n in removed],
        "conflicts": conflicts,
    }


def apply(request, plan: Plan, resolved: list[ResolvedRow]) -> ImportSummary:
    from piiplan.web.plan.services import create_task, save_task

    summary = ImportSummary()
    with transaction.atomic():
        existing = _existing(plan)
        seen = set()
        for item in resolved:
            data = item.task_data()
            seen.add(item.row.number)
            task = existing.get(item.row.number)
            if task is None:
                create_task(request, plan, data)
                summary.created += 1
                continue
            current = snapshot(task, TASK_FIELDS)
            wanted = {**data, "lead_agency": data["lead_agency"].pk,
                      "coordinating_agencies": [a.pk for a in data["coordinating_agencies"]],
                      "deadline": data["deadline"].isoformat() if data["deadline"] else None}
            if all(_same(current.get(k), v) for k, v in wanted.items()):
                summary.unchanged += 1
                continue
            if conflict_of(task, item.row) is not None:
                summary.conflicts += 1  # edited in the app after the export: the app's version wins
                continue
            save_task(request, task, data, task.version, action="task_import")
            summary.updated += 1
        for number, task in existing.items():
            if number not in seen:
                task.soft_delete(request, note="Không có trong phụ lục nhập mới")
                summary.removed += 1
        record(request, "appendix_import", plan, after=summary.__dict__)
    return summary


def _same(a, b) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return a == b

"""Uploads: check the file, read it with the engine, preview what would change, import on confirmation.

A dataset upload is *merged* into the active version: every value in the file replaces or adds the
same (unit, indicator, year) cell; cells the file leaves blank keep their current value, so an
agency's one-year sheet and a full export both import cleanly (re-importing an export changes
nothing). A framework upload becomes a new framework version. Either way the preview lists every
problem the engine found (file, sheet, row, column) and nothing is written until confirmation,
which re-reads the stored file and imports inside one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import transaction

from piiplan import upload_limits
from piiplan.engine import Dataset, Framework, InputError, Problem, read_data
from piiplan.web import audit
from piiplan.web.indexdata import provenance, service
from piiplan.web.indexdata.models import ImportBatch
from piiplan.web.indexdata.staging import (  # noqa: F401 - re-exported for callers and tests
    UploadRejected, check_upload, check_workbook, detect_kind, staged,
)
from piiplan.web.indexdata.versions import activate_framework, create_dataset, find_or_create_framework

@dataclass
class Preview:
    problems: list[dict]
    summary: dict
    dataset: Dataset | None = None
    framework: Framework | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def problem_dict(p: Problem) -> dict:
    return {"file": p.file, "sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message,
            "text": str(p)}


def read_upload(path: Path, kind: str, display_name: str) -> Preview:
    """Read the staged upload (already named as the user knows it) and compare it with the active version."""
    try:
        if kind == ImportBatch.Kind.FRAMEWORK:
            fw = Framework.read(path)
            problems = build_problems(fw, service.current_dataset(), display_name)
            return Preview(problems, {} if problems else framework_summary(fw), framework=fw)
        base = service.current_dataset()
        if kind == ImportBatch.Kind.AGENCY_TEMPLATE:
            return read_agency_upload(path, base, display_name)
        ds = read_data(path, service.current_framework(), units=base.units)
        merged = merge(base, ds)
        problems = build_problems(service.current_framework(), merged, display_name, years=ds.years)
        return Preview(problems, {} if problems else dataset_summary(base, ds, merged), dataset=ds)
    except InputError as exc:
        return Preview([problem_dict(p) for p in exc.problems], {})
    except Exception:  # noqa: BLE001 - a hostile or unforeseen file must give a message, never a 500
        message = "Không đọc được tệp: nội dung không đúng định dạng hoặc tệp bị hỏng."
        return Preview([_problem(display_name, message)], {})


def read_agency_upload(path: Path, base: Dataset, display_name: str) -> Preview:
    """A filled agency template (``piiplan.reports.read_agency_template``) as a dataset to merge.

    The template names its province and year; both must already be in the active data, because the
    index of a year is computed over every province (one agency's sheet updates a year, it cannot
    start one)."""
    from piiplan.reports import read_agency_template

    framework = service.current_framework()
    frame = read_agency_template(path, known_codes=set(framework.indicators))  # InputError: every problem
    if frame.empty:
        return Preview([_problem(display_name, "Biểu mẫu chưa có giá trị nào ở cột giá trị (ô màu vàng).")], {})
    unit, year = str(frame["unit"].iloc[0]), int(frame["year"].iloc[0])
    problems = []
    if unit not in base.units.index:
        problems.append(_problem(display_name, f"Tỉnh, thành phố «{unit}» của biểu mẫu không có trong bộ dữ "
                                               "liệu đang dùng."))
    if year not in base.years:
        problems.append(_problem(display_name, f"Năm {year} chưa có trong bộ dữ liệu đang dùng (các năm có: "
                                               f"{', '.join(map(str, base.years))}). Chỉ số một năm được tính "
                                               "trên mọi tỉnh: hãy nhập bộ dữ liệu đầy đủ của năm đó trước."))
    if problems:
        return Preview(problems, {})
    values = frame[["unit", "indicator", "year", "value"]].copy()
    values["year"] = values["year"].astype(int)
    ds = Dataset(base.units.copy(), values, base.denominators.iloc[0:0].copy(), display_name)
    merged = merge(base, ds)
    problems = build_problems(framework, merged, display_name, years=[year])
    if problems:
        return Preview(problems, {})
    summary = dataset_summary(base, ds, merged)
    summary["agency"] = str(frame["agency"].iloc[0])
    summary["with_evidence"] = int((frame["evidence_number"].astype(str).str.strip() != "").sum())
    return Preview([], summary, dataset=ds)


def _problem(file: str, text: str) -> dict:
    return {"file": file, "sheet": None, "row": None, "column": None, "message": text, "text": f"tệp {file}: {text}"}


def build_problems(framework: Framework, dataset: Dataset, display_name: str,
                   years: list[int] | None = None) -> list[dict]:
    """Every year must still compute after the import: a file that would break the pages is refused.

    ``years``: the years the upload touches (a year's build reads the years before it, so the
    touched years and every later one are checked); all years by default (a new framework)."""
    from piiplan.engine import build_dataset

    problems = []
    if not set(framework.indicators) & set(dataset.values.dropna(subset=["value"])["indicator"]):
        text = ("Không chỉ số nào của khung có số liệu trong bộ dữ liệu đang dùng (mã chỉ số không trùng); "
                "nhập khung này sẽ làm mọi kết quả trống.")
        return [{"file": display_name, "sheet": None, "row": None, "column": "code", "message": text,
                 "text": f"tệp {display_name}, cột «code»: {text}"}]
    first = min(years) if years else None
    for year in dataset.years:
        if first is not None and year < first:
            continue
        try:
            build_dataset(framework, dataset, year, service.current_recipe())
        except InputError as exc:
            problems += [problem_dict(p) for p in exc.problems]
        except (ValueError, KeyError, ZeroDivisionError) as exc:
            text = f"Không tính được chỉ số năm {year} sau khi nhập ({type(exc).__name__}: {str(exc)[:200]})."
            problems.append({"file": display_name, "sheet": None, "row": None, "column": None, "message": text,
                             "text": f"tệp {display_name}: {text}"})
    return problems


def merge(base: Dataset, upload: Dataset) -> Dataset:
    """``base`` with every non-blank value of ``upload`` written over it."""
    keys = ["unit", "indicator", "year"]
    new = upload.values.dropna(subset=["value"])
    merged = pd.concat([base.values, new], ignore_index=True).drop_duplicates(keys, keep="last")
    return Dataset(base.units.copy(), merged.reset_index(drop=True), base.denominators.copy(), upload.source)


def dataset_summary(base: Dataset, upload: Dataset, merged: Dataset | None = None) -> dict:
    keys = ["unit", "indicator", "year"]
    new = upload.values.dropna(subset=["value"])
    old = base.values.set_index(keys)["value"]
    joined = new.set_index(keys)["value"].to_frame("new").join(old.rename("old"), how="left")
    added = joined["old"].isna()
    changed = ~added & ~np.isclose(joined["new"], joined["old"], rtol=1e-12, atol=0)
    examples = joined[changed].head(20).reset_index()
    return {
        "kind": "dataset",
        "units": sorted(set(new["unit"])),
        "n_units": int(new["unit"].nunique()),
        "n_indicators": int(new["indicator"].nunique()),
        "years": sorted(int(y) for y in set(new["year"])),
        "new_years": sorted(int(y) for y in set(new["year"]) - set(base.years)),
        "cells_in_file": int(len(new)),
        "blank_in_file": int(upload.values["value"].isna().sum()),
        "added": int(added.sum()),
        "changed": int(changed.sum()),
        "unchanged": int((~added & ~changed).sum()),
        "examples": [{"unit": r.unit, "indicator": r.indicator, "year": int(r.year), "old": float(r.old),
                      "new": float(r.new)} for r in examples.itertuples()],
        "synthetic_share": provenance.synthetic_share(merged if merged is not None else merge(base, upload)),
    }


def framework_summary(fw: Framework) -> dict:
    current = service.current_framework()
    old, new = set(current.indicators), set(fw.indicators)
    common = sorted(old & new)
    renamed = [c for c in common if fw.name_of(c) != current.name_of(c)]
    reweighted = [c for c in fw.nodes.index if c in current.nodes.index
                  and float(fw.nodes.at[c, "weight"]) != float(current.nodes.at[c, "weight"])]
    return {
        "kind": "framework",
        "fingerprint": fw.fingerprint,
        "same_as_current": fw.fingerprint == current.fingerprint,
        "n_indicators": len(fw.indicators),
        "n_nodes": int(len(fw.nodes)),
        "levels": int(fw.levels),
        "added": sorted(new - old),
        "removed": sorted(old - new),
        "renamed": renamed,
        "reweighted": reweighted,
    }


def start(upload, user, kind: str | None = None) -> ImportBatch:
    """Check an uploaded file, preview it, and record the batch. Refused files raise UploadRejected.

    Only a clean preview keeps the file's bytes (in the database, for confirmation); a file with
    problems is recorded with its (capped) problem list and nothing else."""
    head = upload.read(4096)
    upload.seek(0)
    suffix = check_upload(upload.name, upload.size, head)
    if suffix in (".xlsx", ".xlsm"):
        check_workbook(upload)
    name = Path(upload.name).name[:255] or "tep" + suffix
    batch = ImportBatch(original_name=name, size=upload.size, created_by=user,
                        base_dataset=service.active_dataset_version())
    with staged(name, upload=upload) as path:
        batch.kind = kind or detect_kind(path)
        preview = read_upload(path, batch.kind, batch.original_name)
        if preview.ok:
            batch.content = path.read_bytes()
    batch.problems = cap_problems(preview.problems)
    batch.summary = preview.summary if preview.ok else {"n_problems": len(preview.problems)}
    batch.status = ImportBatch.Status.DRAFT if preview.ok else ImportBatch.Status.REJECTED
    batch.save()
    return batch


def cap_problems(problems: list[dict]) -> list[dict]:
    """At most ``PIIPLAN_IMPORT_MAX_PROBLEMS`` problems, then one line "… và N lỗi khác"."""
    return upload_limits.cap(problems, make_more=_msg)


def _preview_again(batch: ImportBatch) -> Preview:
    """Re-read the batch's stored bytes (or, for batches made before they were kept in the database, its file)."""
    if batch.content is not None:
        content = bytes(batch.content)
    elif batch.file:
        try:
            with batch.file.open("rb") as fh:
                content = fh.read()
        except OSError:
            return Preview([_msg("Tệp của lượt nhập này không còn: hãy tải tệp lên lại.")], {})
    else:
        return Preview([_msg("Tệp của lượt nhập này không còn: hãy tải tệp lên lại.")], {})
    with staged(batch.original_name, content=content) as path:
        return read_upload(path, batch.kind, batch.original_name)


class ConfirmFailed(Exception):
    def __init__(self, problems: list[dict]):
        self.problems = problems
        super().__init__("; ".join(p["text"] for p in problems))


def confirm(batch: ImportBatch, request) -> ImportBatch:
    """Import a previewed batch atomically (re-reading the stored file) and mark it confirmed."""
    if batch.status != ImportBatch.Status.DRAFT:
        raise ConfirmFailed([_msg("Lượt nhập này không còn chờ xác nhận.")])
    if batch.base_dataset_id != getattr(service.active_dataset_version(), "pk", None):
        raise ConfirmFailed([_msg("Phiên bản dữ liệu đang dùng đã thay đổi từ lúc xem trước: hãy tải tệp lên lại.")])
    preview = _preview_again(batch)
    if not preview.ok:
        raise ConfirmFailed(cap_problems(preview.problems))
    with transaction.atomic():
        if batch.kind == ImportBatch.Kind.FRAMEWORK:
            version = find_or_create_framework(preview.framework, request=request, source_name=batch.original_name,
                                               name=Path(batch.original_name).stem, activate=False)
            activate_framework(version, request=request)
            batch.framework = version
        else:
            fw_version = service.active_framework_version() or find_or_create_framework(
                service.current_framework(), request=request, source_name="pii-2025.csv")
            base = service.current_dataset()
            merged = merge(base, preview.dataset)
            active = service.active_dataset_version()
            batch.dataset = create_dataset(merged, fw_version, request=request, source_name=batch.original_name,
                                           name=Path(batch.original_name).stem,
                                           synthetic=provenance.is_synthetic_copy(merged, active, preview.summary),
                                           copied_from=active)
        batch.status = ImportBatch.Status.CONFIRMED
        batch.content = None  # imported: the version holds the data now
        batch.save(update_fields=["status", "dataset", "framework", "content"])
        audit.record(request, "import_confirm", batch, note=batch.original_name)
    return batch


def reject(batch: ImportBatch, request) -> None:
    if batch.status == ImportBatch.Status.DRAFT:
        batch.status = ImportBatch.Status.REJECTED
        batch.content = None
        batch.save(update_fields=["status", "content"])
        audit.record(request, "import_reject", batch, note=batch.original_name)


def _msg(text: str) -> dict:
    return {"file": None, "sheet": None, "row": None, "column": None, "message": text, "text": text}

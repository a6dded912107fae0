"""Uploads: check the file, read it with the engine, preview what would change, import on confirmation.

A dataset upload is *merged* into the active version: every value in the file replaces or adds the
same (unit, indicator, year) cell; cells the file leaves blank keep their current value, so an
agency's one-year sheet and a full export both import cleanly (re-importing an export changes
nothing). A framework upload becomes a new framework version. Either way the preview lists every
problem the engine found (file, sheet, row, column) and nothing is written until confirmation,
which re-reads the stored file and imports inside one transaction.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import transaction

from piiplan.engine import Dataset, Framework, InputError, Problem, read_data
from piiplan.web import audit
from piiplan.web.indexdata import service
from piiplan.web.indexdata.models import DatasetVersion, ImportBatch
from piiplan.web.indexdata.versions import activate_framework, create_dataset, find_or_create_framework

DATA_SUFFIXES = {".csv", ".xlsx", ".xlsm", ".txt"}
FRAMEWORK_SUFFIXES = {".csv", ".xlsx", ".xlsm", ".yaml", ".yml"}
XLSX_MAGIC = b"PK\x03\x04"
XLSX_BROKEN = "Tệp không phải Excel hợp lệ hoặc bị hỏng: hãy mở lại bằng Excel và lưu thành .xlsx."
FRAMEWORK_HEADERS = {"code", "parent", "level"}


class UploadRejected(Exception):
    """The file is refused before reading (type, size): one Vietnamese message."""


def check_upload(name: str, size: int, head: bytes) -> str:
    """The file's suffix if acceptable, else :class:`UploadRejected` with the reason."""
    suffix = Path(name).suffix.lower()
    limit = settings.PIIPLAN_UPLOAD_MAX_BYTES
    if size > limit:
        raise UploadRejected(f"Tệp quá lớn ({size / 1048576:.1f} MB); giới hạn là {limit / 1048576:.0f} MB."
                             .replace(".", ","))
    if size == 0:
        raise UploadRejected("Tệp rỗng.")
    if suffix == ".xls":
        raise UploadRejected("Tệp Excel 97–2003 (.xls) không được hỗ trợ: hãy lưu lại thành .xlsx.")
    if suffix not in DATA_SUFFIXES | FRAMEWORK_SUFFIXES:
        raise UploadRejected(f"Loại tệp «{suffix or name}» không được hỗ trợ; dùng .xlsx, .csv (hoặc .yaml cho "
                             "khung chỉ số).")
    if suffix in (".xlsx", ".xlsm") and not head.startswith(XLSX_MAGIC):
        raise UploadRejected("Tệp có đuôi .xlsx nhưng nội dung không phải bảng tính Excel.")
    if suffix not in (".xlsx", ".xlsm") and head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise UploadRejected("Tệp văn bản được mã hoá UTF-16: hãy lưu lại với mã hoá UTF-8 («CSV UTF-8» trong Excel).")
    if suffix not in (".xlsx", ".xlsm") and (head.startswith(XLSX_MAGIC) or b"\0" in head[:2048]):
        raise UploadRejected(f"Tệp có đuôi {suffix} nhưng nội dung là tệp nhị phân, không phải văn bản.")
    return suffix


def check_workbook(fileobj) -> None:
    """Refuse an .xlsx whose zip container is truncated or damaged (:class:`UploadRejected`), so the
    user reads one Vietnamese sentence instead of the name of a Python exception."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            damaged = archive.testzip() is not None or "[Content_Types].xml" not in archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, KeyError,
            NotImplementedError):
        damaged = True
    finally:
        fileobj.seek(0)
    if damaged:
        raise UploadRejected(XLSX_BROKEN)


def detect_kind(path: Path) -> str:
    """``agency_template`` for a data-collection template made by piiplan (its hidden sheet says so),
    ``framework`` when the header has code/parent/level columns (or the file is YAML), else ``dataset``."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return ImportBatch.Kind.FRAMEWORK
    header: set[str] = set()
    try:
        if suffix in (".xlsx", ".xlsm"):
            from openpyxl import load_workbook

            from piiplan.reports.agency_template import KIND as TEMPLATE_KIND, META_SHEET

            wb = load_workbook(path, read_only=True)
            try:
                if META_SHEET in wb.sheetnames:
                    meta = {str(r[0]): r[1] for r in wb[META_SHEET].iter_rows(max_row=20, values_only=True)
                            if r and r[0] is not None}
                    if meta.get("kind") == TEMPLATE_KIND:
                        return ImportBatch.Kind.AGENCY_TEMPLATE
                first = next(wb.worksheets[0].iter_rows(max_row=1, values_only=True), ())
            finally:
                wb.close()
            header = {str(v).strip().lower() for v in first if v is not None}
        else:
            with open(path, encoding="utf-8-sig", errors="replace") as fh:
                line = fh.readline()
            header = {h.strip().lower() for h in line.replace(";", ",").replace("\t", ",").split(",")}
    except Exception:  # unreadable files are reported by the engine reader
        return ImportBatch.Kind.DATASET
    return ImportBatch.Kind.FRAMEWORK if FRAMEWORK_HEADERS <= header else ImportBatch.Kind.DATASET


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
    """Read the stored upload with the engine and compare it with the active version."""
    # The engine names the file in its messages: give it the name the user knows.
    with tempfile.TemporaryDirectory() as tmp:
        named = Path(tmp) / _safe_name(display_name, path.suffix)
        os.symlink(path.resolve(), named)
        try:
            if kind == ImportBatch.Kind.FRAMEWORK:
                fw = Framework.read(named)
                problems = build_problems(fw, service.current_dataset(), display_name)
                return Preview(problems, {} if problems else framework_summary(fw), framework=fw)
            base = service.current_dataset()
            if kind == ImportBatch.Kind.AGENCY_TEMPLATE:
                return read_agency_upload(named, base, display_name)
            ds = read_data(named, service.current_framework(), units=base.units)
            problems = build_problems(service.current_framework(), merge(base, ds), display_name)
            return Preview(problems, {} if problems else dataset_summary(base, ds), dataset=ds)
        except InputError as exc:
            return Preview([problem_dict(p) for p in exc.problems], {})
        except (ValueError, KeyError, OSError):  # defensive: a reader bug must not pass silently
            message = "Không đọc được tệp: nội dung không đúng định dạng hoặc tệp bị hỏng."
            return Preview([{"file": display_name, "sheet": None, "row": None, "column": None,
                             "message": message, "text": f"tệp {display_name}: {message}"}], {})


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
    problems = build_problems(framework, merge(base, ds), display_name)
    if problems:
        return Preview(problems, {})
    summary = dataset_summary(base, ds)
    summary["agency"] = str(frame["agency"].iloc[0])
    summary["with_evidence"] = int((frame["evidence_number"].astype(str).str.strip() != "").sum())
    return Preview([], summary, dataset=ds)


def _problem(file: str, text: str) -> dict:
    return {"file": file, "sheet": None, "row": None, "column": None, "message": text, "text": f"tệp {file}: {text}"}


def build_problems(framework: Framework, dataset: Dataset, display_name: str) -> list[dict]:
    """Every year must still compute after the import: a file that would break the pages is refused."""
    from piiplan.engine import build_dataset

    problems = []
    if not set(framework.indicators) & set(dataset.values.dropna(subset=["value"])["indicator"]):
        text = ("Không chỉ số nào của khung có số liệu trong bộ dữ liệu đang dùng (mã chỉ số không trùng); "
                "nhập khung này sẽ làm mọi kết quả trống.")
        return [{"file": display_name, "sheet": None, "row": None, "column": "code", "message": text,
                 "text": f"tệp {display_name}, cột «code»: {text}"}]
    for year in dataset.years:
        try:
            build_dataset(framework, dataset, year, service.current_recipe())
        except InputError as exc:
            problems += [problem_dict(p) for p in exc.problems]
        except (ValueError, KeyError, ZeroDivisionError) as exc:
            text = f"Không tính được chỉ số năm {year} sau khi nhập ({type(exc).__name__}: {str(exc)[:200]})."
            problems.append({"file": display_name, "sheet": None, "row": None, "column": None, "message": text,
                             "text": f"tệp {display_name}: {text}"})
    return problems


def _safe_name(name: str, suffix: str) -> str:
    base = Path(name).name.replace(os.sep, "_") or "tep"
    return base if base.lower().endswith(suffix.lower()) else base + suffix


def merge(base: Dataset, upload: Dataset) -> Dataset:
    """``base`` with every non-blank value of ``upload`` written over it."""
    keys = ["unit", "indicator", "year"]
    new = upload.values.dropna(subset=["value"])
    merged = pd.concat([base.values, new], ignore_index=True).drop_duplicates(keys, keep="last")
    return Dataset(base.units.copy(), merged.reset_index(drop=True), base.denominators.copy(), upload.source)


def dataset_summary(base: Dataset, upload: Dataset) -> dict:
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
    """Store an uploaded file as a draft batch and preview it. Refused files raise UploadRejected."""
    head = upload.read(4096)
    upload.seek(0)
    suffix = check_upload(upload.name, upload.size, head)
    if suffix in (".xlsx", ".xlsm"):
        check_workbook(upload)
    batch = ImportBatch(original_name=Path(upload.name).name[:255], size=upload.size, created_by=user,
                        base_dataset=service.active_dataset_version())
    batch.file.save(Path(upload.name).name, upload, save=False)
    path = Path(batch.file.path)
    batch.kind = kind or detect_kind(path)
    preview = read_upload(path, batch.kind, batch.original_name)
    batch.problems = preview.problems
    batch.summary = preview.summary
    batch.status = ImportBatch.Status.DRAFT if preview.ok else ImportBatch.Status.REJECTED
    batch.save()
    return batch


class ConfirmFailed(Exception):
    def __init__(self, problems: list[dict]):
        self.problems = problems
        super().__init__("; ".join(p["text"] for p in problems))


def confirm(batch: ImportBatch, request, *, published: bool = False) -> ImportBatch:
    """Import a previewed batch atomically (re-reading the stored file) and mark it confirmed."""
    if batch.status != ImportBatch.Status.DRAFT:
        raise ConfirmFailed([_msg("Lượt nhập này không còn chờ xác nhận.")])
    if batch.base_dataset_id != getattr(service.active_dataset_version(), "pk", None):
        raise ConfirmFailed([_msg("Phiên bản dữ liệu đang dùng đã thay đổi từ lúc xem trước: hãy tải tệp lên lại.")])
    preview = read_upload(Path(batch.file.path), batch.kind, batch.original_name)
    if not preview.ok:
        raise ConfirmFailed(preview.problems)
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
            synthetic = bool(active.synthetic) if active is not None else service.is_synthetic()
            # A merge onto a synthetic panel is still partly synthetic unless it replaces every cell.
            if synthetic and preview.summary.get("unchanged", 0) + preview.summary.get("changed", 0) \
                    + preview.summary.get("added", 0) < int(merged.values["value"].notna().sum()):
                keep_synthetic = True
            else:
                keep_synthetic = False
            batch.dataset = create_dataset(merged, fw_version, request=request, source_name=batch.original_name,
                                           name=Path(batch.original_name).stem, synthetic=keep_synthetic,
                                           published=published)
        batch.status = ImportBatch.Status.CONFIRMED
        batch.save(update_fields=["status", "dataset", "framework"])
        audit.record(request, "import_confirm", batch, note=batch.original_name)
    return batch


def reject(batch: ImportBatch, request) -> None:
    if batch.status == ImportBatch.Status.DRAFT:
        batch.status = ImportBatch.Status.REJECTED
        batch.save(update_fields=["status"])
        audit.record(request, "import_reject", batch, note=batch.original_name)


def _msg(text: str) -> dict:
    return {"file": None, "sheet": None, "row": None, "column": None, "message": text, "text": text}

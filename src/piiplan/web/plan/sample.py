"""Generate the sample plan appendix (MẪU) of a province from its data files.

``python -m piiplan.web.plan.sample [province]`` reads ``data/provinces/<slug>/plan-2026-sample.yaml`` and
the task rows it names (agency codes, ``*XA`` = all communes and wards) and writes the appendix workbook
next to them. No Django needed. The workbook is committed; a test checks it equals a fresh generation.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import yaml

from piiplan import reference
from piiplan.web.plan.appendix import AppendixRow, parse_timing, write_appendix

ALL_COMMUNES_TOKEN = "*XA"
ALL_COMMUNES_LABEL = "UBND các xã, phường"


def sample_dir(province: str = "Lạng Sơn") -> Path:
    return Path(str(reference._data_dir())) / "provinces" / reference.province_slug(province)


def sample_meta(province: str = "Lạng Sơn") -> dict:
    return yaml.safe_load((sample_dir(province) / "plan-2026-sample.yaml").read_text(encoding="utf-8"))


def agency_names(province: str) -> dict[str, str]:
    names = {row.code: row.name for row in reference.agencies(province).itertuples(index=False)}
    return names


def sample_rows(province: str = "Lạng Sơn") -> list[AppendixRow]:
    meta = sample_meta(province)
    table = pd.read_csv(sample_dir(province) / meta["tasks"], dtype=str, keep_default_na=False, encoding="utf-8")
    names = agency_names(province)
    rows = []
    for number, item in enumerate(table.itertuples(index=False), start=1):
        coordinating = []
        for code in [c.strip() for c in item.coordinating.split(";") if c.strip()]:
            coordinating.append(ALL_COMMUNES_LABEL if code == ALL_COMMUNES_TOKEN else names.get(code, code))
        deadline, recurrence = parse_timing(item.timing)
        rows.append(AppendixRow(number, [c for c in item.indicators.split(";") if c], item.content,
                                names[item.lead], coordinating, item.output, deadline, recurrence))
    return rows


def write_sample(province: str = "Lạng Sơn", target: Path | None = None) -> Path:
    meta = sample_meta(province)
    target = target or sample_dir(province) / meta["appendix"]
    write_appendix(sample_rows(province), target, title="Nhiệm vụ, giải pháp cải thiện và nâng cao Chỉ số PII",
                   subtitle=f"(Kèm theo {meta['title']})", sample=True, framework=meta["framework"])
    return target


if __name__ == "__main__":  # pragma: no cover - exercised by tests/plan/test_sample.py via write_sample
    print(f"Đã ghi {write_sample(*sys.argv[1:2])}")

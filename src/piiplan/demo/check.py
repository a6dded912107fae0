"""Calibration targets checked on a real engine build, and the calibration report.

Target kinds (``demo-spec/targets.csv``):
- ``score``: the score of ``code`` (PII, INPUT, OUTPUT, a pillar) within ``tolerance``;
- ``rank``: the rank of ``code`` equals ``value``;
- ``above_mean``: the pillars where the unit is above the national mean are exactly ``value``;
- ``strengths`` / ``weaknesses``: the unit's five best / worst indicators under the province-report
  rule (``piiplan.demo.summary``) are exactly ``value``, in that order;
- ``first_count``: the number of indicators on which the unit ranks first.
"""

from __future__ import annotations

import pandas as pd

from piiplan.demo import summary
from piiplan.engine import Dataset, Framework, build_dataset, preset

RECIPE = "pii"


def evaluate(ds: Dataset, fw: Framework, targets: pd.DataFrame) -> pd.DataFrame:
    """One row per target: what it asks, what the engine computes, and whether they agree."""
    builds = {}
    rows = []
    for t in targets.itertuples(index=False):
        year = int(t.year)
        if year not in builds:
            builds[year] = build_dataset(fw, ds, year, preset(RECIPE))
        res = builds[year]
        computed, ok = _compute(res, t)
        rows.append({"kind": t.kind, "unit": t.unit, "code": t.code, "year": year, "target": t.value,
                     "computed": computed, "tolerance": t.tolerance, "ok": ok, "source": t.source})
    return pd.DataFrame(rows)


def _compute(res, t) -> tuple[str, bool]:
    if t.kind == "score":
        v = float(res.aggregated.at[t.unit, t.code])
        return f"{v:.4f}", abs(v - float(t.value)) <= float(t.tolerance)
    if t.kind == "rank":
        v = int(res.ranks.at[t.unit, t.code])
        return str(v), v == int(t.value)
    if t.kind == "first_count":
        v = summary.first_count(res, t.unit)
        return str(v), v == int(t.value)
    if t.kind in ("above_mean", "strengths", "weaknesses"):
        fn = {"above_mean": summary.pillars_above_mean, "strengths": summary.strengths,
              "weaknesses": summary.weaknesses}[t.kind]
        got = ";".join(fn(res, t.unit))
        return got, got == t.value
    raise ValueError(f"unknown target kind {t.kind!r}")


KIND_VI = {"score": "Điểm", "rank": "Thứ hạng", "above_mean": "Trụ cột trên trung bình cả nước",
           "strengths": "5 thế mạnh", "weaknesses": "5 điểm yếu", "first_count": "Số chỉ số dẫn đầu"}


def calibration_markdown(cal: pd.DataFrame, seed: int, attempt: int = 0) -> str:
    from piiplan.demo import SYNTHETIC_LABEL

    n_ok = int(cal["ok"].sum())
    lines = [
        "# Hiệu chỉnh bộ dữ liệu mô phỏng PII",
        "",
        f"**{SYNTHETIC_LABEL}.**",
        "",
        f"Sinh bởi `piiplan demo-data --seed {seed}` (luồng ngẫu nhiên ({seed}, {attempt})); mỗi mục tiêu được kiểm tra bằng một lần tính đầy đủ "
        f"của bộ máy tính toán với công thức «{RECIPE}» trên dữ liệu năm tương ứng.",
        "",
        f"Đạt {n_ok}/{len(cal)} mục tiêu.",
        "",
        "| Loại | Đơn vị | Mã | Năm | Mục tiêu | Kết quả tính | Sai số cho phép | Đạt | Nguồn |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in cal.itertuples(index=False):
        lines.append(f"| {KIND_VI.get(r.kind, r.kind)} | {r.unit} | {r.code} | {r.year} | {r.target} | "
                     f"{r.computed} | {r.tolerance} | {'có' if r.ok else 'KHÔNG'} | {r.source} |")
    return "\n".join(lines) + "\n"

"""Write a build's tables in COINr's layout (``uCode`` + one column per code, full float precision)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from piiplan.engine.results import Results
from piiplan.safe_cells import safe_frame

FLOAT = "%.17g"


def coinr_table(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.index.name = "uCode"
    return out.reset_index()


def write_outputs(res: Results, outdir: str | Path, xlsx: bool = True, label: str | None = None) -> list[Path]:
    """Write treated/normalised/aggregated/ranks CSVs, the treatment log, the recipe and one workbook.

    ``label`` (e.g. the synthetic-data notice) goes into ``GHI-CHU.txt`` and the workbook's first sheet.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    if label:
        (outdir / "GHI-CHU.txt").write_text(label + "\n", encoding="utf-8")
    tables = {
        "raw": res.stage("raw"),
        "treated": res.stage("treated"),
        "normalised": res.stage("normalised"),
        "aggregated": res.aggregated,
        "ranks": res.ranks,
    }
    written = []
    for name, df in tables.items():
        path = outdir / f"{name}.csv"
        safe_frame(coinr_table(df)).to_csv(path, index=False, float_format=FLOAT, lineterminator="\n")
        written.append(path)
    if not res.treatment.empty:
        path = outdir / "treatment.csv"
        safe_frame(res.treatment).to_csv(path, float_format=FLOAT, lineterminator="\n")
        written.append(path)
    path = outdir / "recipe.json"
    path.write_text(res.recipe.to_json() + "\n", encoding="utf-8")
    written.append(path)
    if xlsx:
        path = outdir / "results.xlsx"
        with pd.ExcelWriter(path, engine="openpyxl") as xw:
            if label:
                safe_frame(pd.DataFrame({"Ghi chú": [label]})).to_excel(xw, sheet_name="Ghi chú", index=False)
            names = {"raw": "Số liệu gốc", "treated": "Sau xử lý ngoại lai", "normalised": "Chuẩn hoá",
                     "aggregated": "Điểm tổng hợp", "ranks": "Xếp hạng"}
            for name, df in tables.items():
                safe_frame(coinr_table(df)).to_excel(xw, sheet_name=names[name], index=False)
            if not res.treatment.empty:
                safe_frame(res.treatment.reset_index()).to_excel(xw, sheet_name="Nhật ký xử lý", index=False)
            pd.DataFrame({"recipe": [res.recipe.to_json()]}).to_excel(xw, sheet_name="Công thức", index=False)
        written.append(path)
    return written

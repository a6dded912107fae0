"""The plan's Excel sheets: the data-collection template per agency (out, and filled back into the
agency's report) and the sheet for the Ministry's online form.

Which indicators belong to an agency: those the plan's targets name it as the data-supplying agency
(``IndicatorTarget.data_agency``), else the indicators of the tasks it leads (the same rule that
puts indicator rows in its half-year report, ``services.report_indicators``).

Values come from the workspace's current data (``indexdata.service``). The template asks for the
latest data year: the index is computed over every province, so a year can only be updated, not
started, from one province's sheet; "last year's value" is the year before it.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from piiplan.reports import model as rm
from piiplan.web import documents
from piiplan.web.plan.indicators import natural_key, sort_codes
from piiplan.web.plan.models import AgencyReport, Evidence, IndicatorTarget, IndicatorValue, ReportStatus, Task


def plausible_change() -> float:
    """The year-on-year change (a share) past which an entered value gets a warning."""
    from django.conf import settings

    return settings.PIIPLAN_PLAUSIBLE_CHANGE_PERCENT / 100


def agency_indicators(plan, agency) -> list[str]:
    """Indicator codes whose data ``agency`` supplies for ``plan`` (see the module doc)."""
    codes = set(IndicatorTarget.objects.filter(plan=plan, data_agency=agency).values_list("indicator", flat=True))
    if not codes:
        for indicators in Task.objects.filter(plan=plan, lead_agency=agency).values_list("indicators", flat=True):
            codes.update(indicators or [])
    return sort_codes(codes)


def _current():
    """(framework, dataset, synthetic) of the workspace's current data."""
    from piiplan.web.indexdata import service

    return service.current_framework(), service.current_dataset(), service.is_synthetic()


def _raw(dataset, unit: str, year: int | None) -> dict[str, float]:
    if year is None:
        return {}
    values = dataset.values
    rows = values[(values["unit"] == unit) & (values["year"] == year)].dropna(subset=["value"])
    return {str(code): float(v) for code, v in zip(rows["indicator"], rows["value"])}


def _text(fw, code: str, column: str) -> str:
    value = fw.nodes.at[code, column] if column in fw.nodes.columns else ""
    return "" if value is None or str(value) == "nan" else str(value)


def template_for(plan, agency, *, deadline=None) -> rm.AgencyTemplate:
    """The data-collection template of ``agency`` (its indicators, units, sources, last year's value)."""
    fw, dataset, synthetic = _current()
    from piiplan.reports.agency_template import template_year

    year = template_year(dataset.years)
    last = _raw(dataset, plan.province, year - 1 if year - 1 in {int(y) for y in dataset.years} else None)
    codes = [c for c in agency_indicators(plan, agency) if c in fw.indicators]
    indicators = [rm.TemplateIndicator(c, fw.name_of(c), _text(fw, c, "unit"), fw.source_of(c), last.get(c))
                  for c in codes]
    return rm.AgencyTemplate(agency.name, agency.code, plan.province, year, indicators, deadline=deadline,
                             issuer=documents.issuer(), synthetic=synthetic or plan.is_sample)


def template_file(plan, agency, *, deadline=None) -> tuple[bytes, str]:
    from piiplan.reports import write_agency_template

    template = template_for(plan, agency, deadline=deadline)
    name = f"bieu-mau-so-lieu-{documents.slug(agency.code)}-{template.year}.xlsx"
    return documents.written(write_agency_template, template, name), name


def entry_context(plan, codes) -> dict[str, dict]:
    """What the agency sees beside each indicator input: {code: {unit, year, last, average}} — the unit,
    the data year asked for (the latest year of the current data, as in the template), the province's
    value of the year before and the national average of that year. Empty when no data is loaded."""
    try:
        fw, dataset, _ = _current()
    except Exception:  # no data imported yet: the form still works, without context
        return {}
    years = [int(y) for y in dataset.years]
    if not years:
        return {}
    year, previous = years[-1], (years[-2] if len(years) > 1 else None)
    last = _raw(dataset, plan.province, previous)
    values = dataset.values
    averages = {}
    if previous is not None:
        rows = values[values["year"] == previous].dropna(subset=["value"])
        averages = {str(k): float(v) for k, v in rows.groupby("indicator")["value"].mean().items()}
    out = {}
    for code in codes:
        if code not in fw.indicators:
            continue
        out[code] = {"unit": _text(fw, code, "unit"), "year": year, "previous_year": previous,
                     "last": last.get(code), "average": averages.get(code)}
    return out


# --- a filled template back into the agency's report ---------------------------------------------


class TemplateRejected(Exception):
    """The file cannot fill the report; ``problems`` are Vietnamese lines (file, sheet, row, column)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def template_agency_code(path: Path) -> str | None:
    """The agency code recorded in a template's hidden sheet (None when it is not a template)."""
    from openpyxl import load_workbook

    from piiplan.reports.agency_template import KIND, META_SHEET

    try:
        wb = load_workbook(path, read_only=True)
    except Exception:  # not an XLSX: read_agency_template says so in Vietnamese
        return None
    try:
        if META_SHEET not in wb.sheetnames:
            return None
        meta = {str(r[0]): r[1] for r in wb[META_SHEET].iter_rows(values_only=True) if r and r[0] is not None}
    finally:
        wb.close()
    return str(meta.get("agency_code")) if meta.get("kind") == KIND else None


def evidence_reference(number: str, when, issuer: str) -> str:
    """"Số 12/QĐ-UBND ngày 25/06/2026, UBND tỉnh Lạng Sơn" (parts that are given)."""
    from piiplan.reports.formatting import format_date

    parts = []
    if number:
        parts.append(f"Số {number}")
    if when:
        parts.append(f"ngày {format_date(when)}")
    text = " ".join(parts)
    if issuer:
        text = f"{text}, {issuer}" if text else issuer
    return text


def read_for_report(report: AgencyReport, upload) -> dict[str, dict]:
    """{code: {value, source, note}} from a filled template uploaded for ``report``.

    Raises :class:`TemplateRejected` when the file is not this agency's template or has errors
    (every problem of ``read_agency_template``, or a code outside the report's indicator rows)."""
    from piiplan.reports import ReportInputError, read_agency_template

    name = Path(upload.name).name or "bieu-mau.xlsx"
    if Path(name).suffix.lower() != ".xlsx":
        raise TemplateRejected([f"Tệp «{name}» không phải biểu mẫu Excel (.xlsx) đã tải về từ hệ thống."])
    from django.conf import settings

    from piiplan.upload_limits import UnsafeFile, check_xlsx, form_limits

    limit = settings.PIIPLAN_TEMPLATE_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise TemplateRejected([f"Tệp «{name}» quá lớn ({upload.size / 1048576:.1f} MB); giới hạn là "
                                f"{limit / 1048576:.0f} MB.".replace(".", ",")])
    codes = set(report.values.values_list("indicator", flat=True))
    with tempfile.TemporaryDirectory(prefix="piiplan-template-") as folder:
        path = Path(folder) / name
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            check_xlsx(path, form_limits())  # before anything opens the workbook
        except UnsafeFile as exc:
            raise TemplateRejected([f"tệp {name}: {exc}"]) from None
        code = template_agency_code(path)
        if code is not None and code != report.agency.code:
            raise TemplateRejected([f"Biểu mẫu «{name}» là của cơ quan khác (mã {code}), không phải của "
                                    f"{report.agency.name}. Hãy tải biểu mẫu của cơ quan mình."])
        try:
            frame = read_agency_template(path, known_codes=codes, max_change=plausible_change())
        except ReportInputError as exc:
            raise TemplateRejected([str(p) for p in exc.problems]) from exc
    if frame.empty:
        raise TemplateRejected([f"Biểu mẫu «{name}» chưa có giá trị nào ở cột giá trị (ô màu vàng)."])
    rows = {}
    for r in frame.itertuples():
        reference = evidence_reference(r.evidence_number, r.evidence_date, r.evidence_issuer)
        rows[str(r.indicator)] = {"value": float(r.value), "source": reference[:300], "note": str(r.note)[:500],
                                  "warnings": list(r.warnings)}
    return rows


# --- the Ministry's online form ----------------------------------------------------------------


@dataclass
class _Reported:
    value: float
    agency: str
    period: str
    source: str


def _accepted_values(plan) -> dict[str, _Reported]:
    """The latest accepted value per indicator (by the period's cut-off)."""
    out: dict[str, _Reported] = {}
    rows = (IndicatorValue.objects.filter(report__period__plan=plan, report__status=ReportStatus.ACCEPTED,
                                          value__isnull=False)
            .select_related("report__agency", "report__period").order_by("report__period__cutoff", "pk"))
    for row in rows:
        out[row.indicator] = _Reported(row.value, row.report.agency.name, row.report.period.title, row.source)
    return out


def _evidence_by_indicator(plan) -> dict[str, list[str]]:
    """Every evidence reference of an indicator, whatever path it came by: the source given with a value
    (typed in the report form or read from an imported data template) and the evidence files."""
    out: dict[str, list[str]] = {}
    values = (IndicatorValue.objects.filter(report__period__plan=plan, report__status=ReportStatus.ACCEPTED)
              .exclude(source="").order_by("report__period__cutoff", "pk"))
    for row in values:
        if row.source not in out.setdefault(row.indicator, []):
            out[row.indicator].append(row.source)
    items = (Evidence.objects.filter(report__period__plan=plan, report__status=ReportStatus.ACCEPTED)
             .select_related("task", "report__agency").order_by("document_date", "pk"))
    for item in items:
        codes = [item.indicator] if item.indicator else list(item.task.indicators) if item.task else []
        text = evidence_reference(item.document_number, item.document_date, item.issuer or item.report.agency.name)
        text = text or item.original_name
        for code in codes:
            if text not in out.setdefault(code, []):
                out[code].append(text)
    return out


def _lead_agencies(plan) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for target in IndicatorTarget.objects.filter(plan=plan, data_agency__isnull=False).select_related("data_agency"):
        out[target.indicator] = [target.data_agency.name]
    by_tasks: dict[str, list[str]] = {}
    for task in Task.objects.filter(plan=plan).select_related("lead_agency").order_by("number"):
        for code in task.indicators or []:
            names = by_tasks.setdefault(code, [])
            if task.lead_agency.name not in names:
                names.append(task.lead_agency.name)
    for code, names in by_tasks.items():
        out.setdefault(code, names)
    return out


def ministry_form_for(plan) -> rm.MinistryForm:
    """The province's values of the latest data year with evidence references and lead agencies.

    The value is the current data's (what the DoST imported); an accepted agency value that differs
    from it is named in the note, so nothing reported is lost on the way to the Ministry."""
    from piiplan.reports.formatting import format_number

    fw, dataset, synthetic = _current()
    year = int(dataset.years[-1])
    values = _raw(dataset, plan.province, year)
    reported = _accepted_values(plan)
    evidence = _evidence_by_indicator(plan)
    leads = _lead_agencies(plan)
    rows = []
    for code in sorted(fw.indicators, key=natural_key):
        refs = list(evidence.get(code, []))
        rep = reported.get(code)
        note = ""
        if rep is not None:
            if rep.source and rep.source not in refs:
                refs.insert(0, rep.source)
            current = values.get(code)
            if current is None or abs(current - rep.value) > 1e-9 * max(1.0, abs(rep.value)):
                note = (f"{rep.agency} báo cáo {format_number(rep.value, 10, strip=True)} ({rep.period}), "
                        "chưa nhập vào Dữ liệu")
        rows.append(rm.MinistryFormRow(code, fw.name_of(code), _text(fw, code, "unit"), values.get(code),
                                       "; ".join(refs), "; ".join(leads.get(code, [])), note))
    return rm.MinistryForm(plan.province, year, rows, synthetic or plan.is_sample)


def ministry_form_file(plan) -> tuple[bytes, str]:
    from piiplan.reports import write_ministry_form

    form = ministry_form_for(plan)
    name = f"bieu-nhap-bo-khcn-{documents.slug(plan.province)}-{form.year}.xlsx"
    return documents.written(write_ministry_form, form, name), name

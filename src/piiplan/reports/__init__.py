"""Official outputs: plain data in, DOCX / PDF / XLSX out (see docs/reports.md).

The writers take the dataclasses of :mod:`piiplan.reports.model` (the web app and the CLI map their objects
onto them) and never import Django. Only the results workbook reads an engine ``Results`` directly.
"""

from piiplan.reports.agency_template import read_agency_template, write_agency_template
from piiplan.reports.errors import Problem, ReportError, ReportInputError
from piiplan.reports.half_year import write_half_year_report
from piiplan.reports.ministry_form import write_ministry_form
from piiplan.reports.pdf import render_pages, to_pdf
from piiplan.reports.profile import write_profile
from piiplan.reports.reminder import write_reminder_letter
from piiplan.reports.results_workbook import write_results_workbook

__all__ = ["read_agency_template", "write_agency_template", "Problem", "ReportError", "ReportInputError",
           "write_half_year_report", "write_ministry_form", "render_pages", "to_pdf", "write_profile",
           "write_reminder_letter", "write_results_workbook"]

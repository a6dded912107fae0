"""One way to send a list as CSV: UTF-8 with a BOM (Excel opens Vietnamese text correctly),
Vietnamese headers, every text cell made inert (``reports.safe_cells.safe_row``)."""

from __future__ import annotations

import csv
from datetime import date, datetime
from typing import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone

from piiplan.reports.safe_cells import safe_row


def cell(value):
    """Dates and times as vi-VN text (local time), booleans as Có/Không, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(safe_row(list(headers)))
    for row in rows:
        writer.writerow(safe_row([cell(v) for v in row]))
    return response

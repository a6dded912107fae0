"""Errors raised by the report writers and readers.

A filled-in template that cannot be read raises ``ReportInputError``, a subclass of the engine's
``DataError``: one exception type for every data import, each problem naming file, sheet, row and column
with a Vietnamese message (``piiplan.engine.errors.Problem``).
"""

from __future__ import annotations

from piiplan.engine.errors import DataError, Problem

__all__ = ["Problem", "ReportError", "ReportInputError"]


class ReportError(Exception):
    """A report could not be produced (missing tool, failed conversion). The message is in Vietnamese."""


class ReportInputError(DataError):
    """A filled-in template could not be read; ``problems`` lists every problem found."""

    kind = "biểu mẫu số liệu"

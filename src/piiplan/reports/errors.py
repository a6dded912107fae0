"""Errors raised by the report writers and readers.

Every problem names the file, sheet, row and column it was found in, with a Vietnamese message, so the
web app and the CLI can show one line per problem to the person who filled the file.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file (mirrors ``piiplan.engine.data.Problem``)."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message_vi: str

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"trang tính «{self.sheet}»")
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột {self.column}")
        return f"{', '.join(where)}: {self.message_vi}"


class ReportError(Exception):
    """A report could not be produced (missing tool, bad input). The message is in Vietnamese."""


class ReportInputError(ReportError):
    """A filled-in template could not be read; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"- {p}" for p in self.problems)
        super().__init__(f"Tệp nhập có {len(self.problems)} lỗi:\n{lines}")

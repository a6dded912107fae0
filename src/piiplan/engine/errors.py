"""Input problems, reported in Vietnamese with the place they were found.

Every reader collects *all* the problems of a file before failing, so the user fixes the file once.
A failed read returns nothing: callers get either a complete object or an exception.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in one place of an input file."""

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(f"tệp {self.file}")
        if self.sheet:
            where.append(f"trang tính «{self.sheet}»")
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột «{self.column}»")
        return (", ".join(where) + ": " if where else "") + self.message


class InputError(ValueError):
    """Raised with the full list of problems found in an input."""

    kind = "dữ liệu đầu vào"

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__(self.summary())

    def summary(self) -> str:
        head = f"Lỗi {self.kind} ({len(self.problems)} vấn đề):"
        return "\n".join([head] + [f"- {p}" for p in self.problems])


class FrameworkError(InputError):
    kind = "khung chỉ số"


class DataError(InputError):
    kind = "dữ liệu"


class RecipeError(InputError):
    kind = "công thức tính"

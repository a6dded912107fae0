"""Plausibility rules for an indicator value typed by an agency (one place for the web entry and the
agency template import).

Two kinds of finding, both with a Vietnamese message:

* **error** — the value cannot be right for the indicator's unit: outside the range the unit states
  ("chỉ số (0–1)", "điểm (0–100)", "điểm (8–80)"), a share in per cent outside 0–100, or a negative
  amount or count ("tỷ đồng", "số/10.000 dân", "kWh/người" …). Growth rates ("% (so với năm
  trước)") and percentage points ("điểm phần trăm") may be negative or above 100, so they get no range.
* **warning** — the value changed by more than ``max_change`` (a share, 0.5 = ±50 %) from last year's
  value: not refused, but the person entering it is asked to check.

No Django: numbers are written by ``piiplan.numbers``; the threshold comes from the caller (the web reads ``settings.PIIPLAN_PLAUSIBLE_CHANGE``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from piiplan.numbers import format_number, parse_number

DEFAULT_MAX_CHANGE = 0.5

ERROR, WARNING = "error", "warning"

# "(0–1)", "(0-100)", "(8–80)": the range a unit states (en dash or hyphen, decimal comma or point).
_RANGE = re.compile(r"\(\s*(-?\d+(?:[.,]\d+)?)\s*[–-]\s*(-?\d+(?:[.,]\d+)?)\s*\)")
# Units of a change, which may be negative or exceed 100.
_CHANGE_WORDS = ("so với năm trước", "điểm phần trăm", "tăng trưởng", "thay đổi")
# Units of amounts and counts, never negative.
_NON_NEGATIVE = re.compile(r"^(số|người|tỷ|triệu|nghìn|đồng|kwh|doanh nghiệp|sáng chế|bài|lượt|dự án|tổ chức|"
                           r"cơ sở|km|ha|tấn)", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    level: str  # ERROR or WARNING
    message: str

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


def value_range(unit: str) -> tuple[float | None, float | None]:
    """(lowest, highest) a value in ``unit`` may take; None where there is no bound."""
    unit = (unit or "").strip()
    lowered = unit.lower()
    if any(word in lowered for word in _CHANGE_WORDS):
        return None, None
    match = _RANGE.search(unit)
    if match:
        low, high = parse_number(match.group(1)), parse_number(match.group(2))
        return min(low, high), max(low, high)
    if lowered.startswith("%"):
        return 0.0, 100.0
    if _NON_NEGATIVE.match(lowered) or "/" in lowered:
        return 0.0, None
    return None, None


Formatter = Callable[[float], str]


def _plain(value: float) -> str:
    """A number in a message: the one vi-VN rule (piiplan.numbers), every digit typed kept."""
    return format_number(value, 6, strip=True)


def check(value: float | None, *, unit: str = "", previous: float | None = None,
          max_change: float = DEFAULT_MAX_CHANGE, fmt: Formatter | None = None) -> list[Finding]:
    """Findings for ``value`` of an indicator measured in ``unit`` whose last year's value is ``previous``.
    ``fmt`` writes numbers into the messages (default: piiplan.numbers with every digit kept)."""
    _text = fmt or _plain
    if value is None:
        return []
    if not math.isfinite(value):
        return [Finding(ERROR, "Giá trị phải là một số hữu hạn.")]
    findings: list[Finding] = []
    low, high = value_range(unit)
    unit_text = f" (đơn vị «{unit.strip()}»)" if unit and unit.strip() else ""
    if low is not None and high is not None and not low <= value <= high:
        findings.append(Finding(ERROR, f"Giá trị {_text(value)} nằm ngoài khoảng {_text(low)}–{_text(high)}"
                                       f"{unit_text}."))
    elif low is not None and value < low:
        findings.append(Finding(ERROR, f"Giá trị {_text(value)} không được âm{unit_text}."))
    elif high is not None and value > high:
        findings.append(Finding(ERROR, f"Giá trị {_text(value)} lớn hơn mức tối đa {_text(high)}{unit_text}."))
    if previous is not None and math.isfinite(previous) and previous != 0 and max_change > 0:
        change = (value - previous) / abs(previous)
        if abs(change) > max_change:
            direction = "tăng" if change > 0 else "giảm"
            findings.append(Finding(
                WARNING,
                f"Giá trị {_text(value)} {direction} {_text(round(abs(change) * 100))}% so với năm trước "
                f"({_text(previous)}), vượt ngưỡng ±{_text(round(max_change * 100))}%; hãy kiểm tra lại số liệu "
                "và ghi rõ nguồn.",
            ))
    return findings


def errors(findings: list[Finding]) -> list[str]:
    return [f.message for f in findings if f.level == ERROR]


def warnings(findings: list[Finding]) -> list[str]:
    return [f.message for f in findings if f.level == WARNING]

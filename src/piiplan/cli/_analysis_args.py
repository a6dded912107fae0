"""Helpers shared by the decision-support commands (`piiplan profile | whatif | gains | target | …`):
reading inputs, units, numbers and codes typed by the user, the synthetic-data label, a progress bar."""

from __future__ import annotations

import math
import sys
import time

from piiplan.cli._common import fmt, load_inputs, synthetic_label
from piiplan.engine import InputError, Problem


class ProgressBar:
    """A one-line progress bar on stderr (never on stdout, so --json stays clean)."""

    def __init__(self, label: str, width: int = 30):
        self.label, self.width, self.t0, self.last = label, width, time.time(), -1

    def __call__(self, done: int, total: int) -> None:
        pct = int(100 * done / max(total, 1))
        if pct == self.last:
            return
        self.last = pct
        fill = int(self.width * done / max(total, 1))
        sys.stderr.write(f"\r{self.label} [{'#' * fill}{'.' * (self.width - fill)}] {pct:3d}% "
                         f"({time.time() - self.t0:.1f} s)")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _inputs(args, year=None):
    from piiplan.analysis.context import IndexInputs

    fw, ds, recipe, y = load_inputs(args)
    return fw, ds, IndexInputs.from_dataset(fw, ds, y if year is None else year, recipe)


def _unit(inputs, name: str | None) -> str:
    if name is None:
        raise InputError(Problem("Cần chỉ định tỉnh (--unit)."))
    from piiplan.reference import ReferenceDataError, match_unit

    try:
        return match_unit(name, inputs.units)
    except ReferenceDataError as exc:
        raise InputError(Problem(str(exc))) from None


def _fail(message: str):
    raise InputError(Problem(message))


def _number(text: str, what: str) -> float:
    """A number typed by the user, read as the data readers read cells (vi-VN "82,5"; no NaN/inf/huge)."""
    from piiplan.engine.tables import parse_number

    value, problem = parse_number(text.strip())
    if problem is not None:
        _fail(f"{what}: {problem.message}")
    if math.isnan(value):
        _fail(f"{what}: thiếu giá trị số.")
    return value


def _pairs(items: list[str], what: str) -> dict[str, float]:
    out = {}
    for item in items:
        if "=" not in item:
            _fail(f"«{item}» phải có dạng MÃ=GIÁ_TRỊ ({what}).")
        code, val = item.split("=", 1)
        out[code.strip()] = _number(val, f"{what} {code.strip()}")
    return out


def _known_codes(inputs, codes, what: str) -> None:
    unknown = [c for c in dict.fromkeys(codes) if c not in inputs.indicators]
    if unknown:
        _fail(f"Không có chỉ số {', '.join(f'«{c}»' for c in unknown)} trong khung chỉ số ({what}).")


def _at_least(value, low, what: str, hint: str = "") -> None:
    if value is None:
        return
    if not math.isfinite(value) or value < low:
        shown = str(value) if isinstance(value, int) else fmt(value, 2)
        _fail(f"{what} phải ≥ {fmt(low, 0) if float(low).is_integer() else fmt(low)} (nhận được {shown}){hint}.")


def _edits(inputs, items: list[str], default_unit: str | None) -> list:
    """``[TỈNH:]MÃ=GIÁ_TRỊ`` (set), ``MÃ+=Δ`` / ``MÃ-=Δ`` (add), ``MÃ=+10%`` (per cent) → what-if edits."""
    from piiplan.analysis.whatif import Edit, parse_change

    out = []
    for item in items:
        unit = default_unit
        body = item
        if ":" in item:
            unit, body = item.rsplit(":", 1)
        code, op, value = parse_change(body)
        _known_codes(inputs, [code], "--edit")
        out.append(Edit(_unit(inputs, unit), code, value, op=op))
    return out


def _label_json(ds) -> dict:
    label = synthetic_label(ds)
    return {"nhan_du_lieu": label} if label else {}


def _print_label(ds) -> None:
    label = synthetic_label(ds)
    if label:
        print(f"[{label}]")


def _rank(v) -> str:
    return fmt(v, 0)

"""What-if: edit raw values (one or many, for one or several units) and recompute the whole index.

The recompute is a full :func:`piiplan.engine.build` on the edited data with the same recipe, so every
knock-on effect is included: a new maximum stretches the min-max range of everyone, an edited outlier may
start or stop being winsorised, imputed values move with the column mean.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from piiplan.analysis.context import IndexInputs
from piiplan.engine import InputError, Problem
from piiplan.engine.results import Results
from piiplan.engine.tables import MAX_ABS_VALUE
from piiplan.engine.treat import FIRED_VI
from piiplan.numbers import plain


OPS = ("set", "add", "pct")


@dataclass
class Edit:
    """One raw-value change of ``indicator`` for ``unit``.

    ``op="set"``: the new raw value is ``value`` (in the indicator's own unit); ``op="add"``: ``value`` is
    added to the current value; ``op="pct"``: the current value changes by ``value`` per cent (``+10`` =
    10 % more). The same meaning everywhere (what-if on this year's data, projections on the projected
    data); :func:`parse_change` reads the text forms ``CODE=VALUE``, ``CODE+=Δ`` / ``CODE-=Δ`` and
    ``CODE=+10%`` / ``CODE=-5%``. ``old`` / ``new`` are filled when the edit is applied.
    """

    unit: str
    indicator: str
    value: float
    old: float = float("nan")
    op: str = "set"
    new: float = float("nan")

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise ValueError(f"Phép sửa «{self.op}» không hợp lệ; chọn: {', '.join(OPS)}.")

    def apply_to(self, current: float) -> float:
        """The new raw value, starting from ``current``."""
        v = float(self.value)
        if not math.isfinite(v):
            raise InputError(Problem(f"Giá trị sửa của {self.unit} / {self.indicator} không phải là số hữu hạn "
                                     f"({v}); để xoá số liệu, hãy sửa tệp dữ liệu."))
        if self.op == "set":
            new = v
        else:
            if not math.isfinite(current):
                raise InputError(Problem(f"{self.unit} chưa có số liệu chỉ số {self.indicator}: không thể "
                                         f"{'cộng thêm' if self.op == 'add' else 'tăng/giảm theo %'}; hãy đặt giá "
                                         f"trị (MÃ=GIÁ_TRỊ)."))
            new = current + v if self.op == "add" else current * (1.0 + v / 100.0)
        if not math.isfinite(new) or abs(new) > MAX_ABS_VALUE:
            raise InputError(Problem(f"Giá trị mới của {self.unit} / {self.indicator} quá lớn "
                                     f"(giới hạn ±{MAX_ABS_VALUE:.0e}); kiểm tra lại đơn vị."))
        return new


def parse_change(text: str) -> tuple[str, str, float]:
    """``"6.3.1=80"`` → ``("6.3.1", "set", 80.0)``; ``"6.3.1+=5"`` → add 5; ``"6.3.1-=2,5"`` → add −2.5;
    ``"6.3.1=+10%"`` → pct 10. Numbers are read as the data readers read cells (vi-VN ``82,5`` accepted;
    NaN, infinity and huge values refused). A signed value without ``%`` (``=+5``) is refused as ambiguous
    (set to 5, or add 5?), and so is an unsigned percentage (``=10%``)."""
    from piiplan.engine.tables import parse_number

    text = str(text).strip()
    if "=" not in text:
        raise InputError(Problem(f"«{text}» phải có dạng MÃ=GIÁ_TRỊ, MÃ+=MỨC_TĂNG hoặc MÃ=+10%."))
    left, right = text.split("=", 1)
    left, right = left.strip(), right.strip()
    op, sign = "set", 1.0
    if left.endswith(("+", "-")):
        op, sign, left = "add", (1.0 if left.endswith("+") else -1.0), left[:-1].strip()
    code = left
    if right.endswith("%"):
        body = right[:-1].strip()
        if op == "set" and not body.startswith(("+", "-")):
            raise InputError(Problem(f"«{text}»: viết {code}=+{body}% (tăng) hoặc {code}=-{body}% (giảm) để thay "
                                     f"đổi theo phần trăm, hoặc {code}={body} để đặt giá trị."))
        op, right = "pct", body
    elif op == "set" and right.startswith("+"):
        raise InputError(Problem(f"«{text}» không rõ nghĩa: viết {code}+={right[1:]} để cộng thêm {right[1:]}, "
                                 f"hoặc {code}={right[1:]} để đặt giá trị."))
    value, problem = parse_number(right)
    if problem is not None:
        raise InputError(Problem(f"{code}: {problem.message}"))
    if math.isnan(value):
        raise InputError(Problem(f"«{text}»: thiếu giá trị số."))
    return code, op, sign * value


@dataclass
class WhatIfResult:
    edits: list[Edit]
    before: Results
    after: Results
    table: pd.DataFrame                 # per unit: score/rank before and after, change (root code)
    changes: pd.DataFrame               # long: unit, code, score/rank before/after, diffs (every code)
    notes: list[str] = field(default_factory=list)   # Vietnamese remarks (new maximum, treatment changes…)

    def to_dict(self) -> dict:
        return {
            "edits": [{"unit": e.unit, "indicator": e.indicator, "op": e.op, "value": plain(e.value),
                       "from": plain(e.old), "to": plain(e.new)} for e in self.edits],
            "ranking": [{"unit": u, **{k: plain(v) for k, v in row.items()}}
                        for u, row in self.table.iterrows()],
            "notes": self.notes,
        }


def parse_edits(edits) -> list[Edit]:
    """Accept ``[Edit]``, ``[(unit, code, value[, op])]``, ``{unit: {code: value}}`` (set) or a long DataFrame."""
    if isinstance(edits, pd.DataFrame):
        return [Edit(str(r.unit), str(r.indicator), float(r.value)) for r in edits.itertuples()]
    if isinstance(edits, dict):
        return [Edit(str(u), str(c), float(v)) for u, d in edits.items() for c, v in d.items()]
    out = []
    for e in edits:
        if isinstance(e, Edit):
            out.append(e)
        else:       # (unit, code, value) or (unit, code, value, op)
            out.append(Edit(str(e[0]), str(e[1]), float(e[2]), op=str(e[3]) if len(e) > 3 else "set"))
    return out


def apply_edits(data: pd.DataFrame, edits: list[Edit]) -> pd.DataFrame:
    new = data.copy()
    for e in edits:
        if e.unit not in new.index:
            raise KeyError(f"Không có đơn vị «{e.unit}» trong dữ liệu.")
        if e.indicator not in new.columns:
            raise KeyError(f"Không có chỉ số «{e.indicator}» trong khung chỉ số.")
        e.old = float(new.at[e.unit, e.indicator])
        e.new = e.apply_to(e.old)
        new.at[e.unit, e.indicator] = e.new
    return new


def what_if(inputs: IndexInputs, edits, base: Results | None = None) -> WhatIfResult:
    """Apply ``edits`` to the raw data, rebuild, and compare every unit's scores and ranks."""
    edits = parse_edits(edits)
    before = base if base is not None else inputs.build()
    data = apply_edits(inputs.data, edits)
    after = inputs.build(data)
    root = inputs.framework.root
    units = before.units
    table = pd.DataFrame({
        "score_before": before.aggregated[root], "score_after": after.aggregated[root].reindex(units),
        "rank_before": before.ranks[root], "rank_after": after.ranks[root].reindex(units)})
    table["score_change"] = table["score_after"] - table["score_before"]
    table["rank_change"] = table["rank_before"] - table["rank_after"]     # positive = moved up
    table = table.sort_values(["rank_after", "score_after"], ascending=[True, False])
    sb, sa = before.aggregated, after.aggregated.reindex(units)
    rb, ra = before.ranks, after.ranks.reindex(units)
    changes = pd.DataFrame({"score_before": sb.stack(future_stack=True), "score_after": sa.stack(future_stack=True),
                            "rank_before": rb.stack(future_stack=True), "rank_after": ra.stack(future_stack=True)})
    changes.index.names = ["unit", "code"]
    changes["score_change"] = changes["score_after"] - changes["score_before"]
    changes["rank_change"] = changes["rank_before"] - changes["rank_after"]
    return WhatIfResult(edits, before, after, table, changes.reset_index(), _notes(inputs, edits, before, after))


def _notes(inputs: IndexInputs, edits: list[Edit], before: Results, after: Results) -> list[str]:
    fw = inputs.framework
    notes = []
    d = dict(zip(fw.indicators, fw.direction()))
    pa = after.treated_points
    for e in edits:
        col = inputs.data[e.indicator].drop(index=e.unit) * d[e.indicator]
        v = e.new * d[e.indicator]
        label = pa.at[e.unit, e.indicator] if e.unit in pa.index else ""
        if label in ("winhi", "winlo"):
            notes.append(f"Giá trị mới của {e.unit} ở chỉ số {e.indicator} là ngoại lai nên bị cắt về giá trị kế "
                         f"tiếp khi {FIRED_VI['winsorise']}: phần vượt không được tính điểm.")
        elif col.notna().any() and v > col.max():
            notes.append(f"{e.unit} trở thành giá trị tốt nhất của chỉ số {e.indicator}: thang min-max được kéo "
                         f"giãn, điểm chuẩn hoá của mọi tỉnh khác ở chỉ số này giảm.")
        elif col.notna().any() and v < col.min():
            notes.append(f"{e.unit} trở thành giá trị kém nhất của chỉ số {e.indicator}: thang min-max thay đổi "
                         f"với mọi tỉnh.")
    tb, ta = before.treatment, after.treatment
    if not tb.empty and not ta.empty:
        for code in dict.fromkeys(e.indicator for e in edits):
            if code in tb.index and code in ta.index and tb.at[code, "fired"] != ta.at[code, "fired"]:
                was, now = tb.at[code, "fired"], ta.at[code, "fired"]
                notes.append(f"Xử lý ngoại lai của chỉ số {code} đổi từ «{FIRED_VI.get(was, was)}» sang "
                             f"«{FIRED_VI.get(now, now)}».")
    return notes

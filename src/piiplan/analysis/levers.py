"""The lever model of each indicator (data, not code) and the data calendar of the index editions.

The lever table (``src/piiplan/data/levers/<framework>.csv``, one row per indicator) says what kind of
number an indicator is and how a province can move it:

* ``kind`` — ``count`` (a count or an amount), ``per_capita`` (per population/enterprises), ``share``
  (a percentage or a ratio to GRDP), ``score`` (a score on a bounded scale), ``index`` (a composite index),
  ``growth`` (a growth rate or a yearly change);
* ``lever_class`` — ``evidence`` (moves when data and evidence are complete and submitted on time),
  ``programme`` (moves within a year with a provincial programme), ``structural`` (moves slowly) or
  ``external`` (scored by other bodies' surveys);
* ``data_lag`` — edition year minus the data year it uses (1: the PII 2025 edition uses 2024 data);
* ``scale_min`` / ``scale_max`` — the scale's limits where there are any (a score cannot pass its maximum);
* ``basis`` — the source of the classification, in Vietnamese.

The calendar (``calendar.yaml``) gives the day the Ministry's collection of each edition closes. With it,
:meth:`Calendar.edition_for` tells which edition a change started on a given day can still reach.

Both can be replaced by the web app's staff edits (``overrides``): :func:`lever_table` applies them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

KINDS = {"count": "số lượng, giá trị tuyệt đối", "per_capita": "tỷ lệ theo dân số/doanh nghiệp",
         "share": "tỷ trọng, tỷ lệ phần trăm", "score": "điểm trên thang giới hạn", "index": "chỉ số tổng hợp",
         "growth": "tốc độ tăng, mức thay đổi hằng năm"}
CLASSES = {"evidence": "minh chứng, báo cáo số liệu", "programme": "chương trình của tỉnh",
           "structural": "cơ cấu (chuyển biến chậm)", "external": "khảo sát của bên ngoài"}
#: kinds whose reach is relative to the province's own level (the others move by absolute amounts)
RELATIVE_KINDS = ("count", "per_capita")
COLUMNS = ["code", "kind", "lever_class", "data_lag", "scale_min", "scale_max", "basis"]


class LeverError(ValueError):
    """A lever table or calendar that cannot be used; the message is Vietnamese and names the row."""


def _data_file(name: str):
    return resources.files("piiplan") / "data" / "levers" / name


def read_levers(source=None, framework=None) -> pd.DataFrame:
    """The lever table indexed by code. ``source``: a path, a file-like object, CSV text, or ``None`` for
    the shipped table of ``framework`` (by its name; pii-2025 by default). Validated (:func:`check_levers`)."""
    if source is None:
        name = getattr(framework, "name", None) or "pii-2025"
        ref = _data_file(f"{name}.csv")
        if not ref.is_file():
            if framework is None:
                ref = _data_file("pii-2025.csv")
            else:
                return default_levers(framework)
        text = ref.read_text(encoding="utf-8")
        where = f"{name}.csv"
    elif isinstance(source, (str, Path)) and Path(str(source)).suffix.lower() == ".csv" and Path(source).exists():
        text, where = Path(source).read_text(encoding="utf-8-sig"), Path(source).name
    elif isinstance(source, str):
        text, where = source, "CSV"
    elif isinstance(source, bytes):
        text, where = source.decode("utf-8-sig"), "CSV"
    else:
        raw = source.read()
        text, where = (raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw), getattr(source, "name", "CSV")
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise LeverError(f"Tệp {where} không đọc được như CSV: {exc}") from None
    return check_levers(df, framework, where)


def check_levers(df: pd.DataFrame, framework=None, where: str = "CSV") -> pd.DataFrame:
    """Validate and type a lever table; every problem is reported at once (row numbers as in the file)."""
    df = df.rename(columns=lambda c: str(c).strip())
    missing = [c for c in COLUMNS[:4] if c not in df.columns]
    if missing:
        raise LeverError(f"Tệp {where} thiếu cột: {', '.join(missing)}.")
    problems = []
    rows = []
    seen = set()
    for i, r in df.iterrows():
        line = i + 2
        code = str(r["code"]).strip()
        kind, cls = str(r["kind"]).strip(), str(r["lever_class"]).strip()
        if not code:
            problems.append(f"dòng {line}: thiếu mã chỉ số")
            continue
        if code in seen:
            problems.append(f"dòng {line}: mã {code} lặp lại")
        seen.add(code)
        if framework is not None and code not in framework.indicators:
            problems.append(f"dòng {line}: không có chỉ số {code} trong khung chỉ số")
        if kind not in KINDS:
            problems.append(f"dòng {line}, cột kind: «{kind}» không hợp lệ (chọn: {', '.join(KINDS)})")
        if cls not in CLASSES:
            problems.append(f"dòng {line}, cột lever_class: «{cls}» không hợp lệ (chọn: {', '.join(CLASSES)})")
        lag = _int(r["data_lag"])
        if lag is None or not 0 <= lag <= 3:
            problems.append(f"dòng {line}, cột data_lag: «{r['data_lag']}» phải là số nguyên từ 0 đến 3")
        lo, hi = _num(r.get("scale_min", "")), _num(r.get("scale_max", ""))
        if lo is False or hi is False:
            problems.append(f"dòng {line}: giới hạn thang đo phải là số")
            lo = hi = None
        elif lo is not None and hi is not None and lo >= hi:
            problems.append(f"dòng {line}: scale_min phải nhỏ hơn scale_max")
        rows.append({"code": code, "kind": kind, "lever_class": cls, "data_lag": lag or 0, "scale_min": lo,
                     "scale_max": hi, "basis": str(r.get("basis", "")).strip()})
    if framework is not None:
        absent = [c for c in framework.indicators if c not in seen]
        if absent:
            problems.append(f"thiếu dòng cho chỉ số: {', '.join(absent)}")
    if problems:
        raise LeverError(f"Tệp {where} có lỗi: " + "; ".join(problems) + ".")
    out = pd.DataFrame(rows, columns=COLUMNS).set_index("code")
    for c in ("scale_min", "scale_max"):
        out[c] = out[c].astype(float)
    return out


def default_levers(framework) -> pd.DataFrame:
    """For a framework without a shipped lever table (a user's own file): every indicator a ``share``
    (absolute changes) moved by a ``programme``, data of the year before; documented, editable."""
    rows = [{"code": c, "kind": "share", "lever_class": "programme", "data_lag": 1, "scale_min": None,
             "scale_max": None, "basis": "mặc định (khung chỉ số không có bảng đòn bẩy)"} for c in framework.indicators]
    out = pd.DataFrame(rows, columns=COLUMNS).set_index("code")
    for c in ("scale_min", "scale_max"):
        out[c] = out[c].astype(float)
    return out


def lever_table(framework=None, overrides: dict | None = None) -> pd.DataFrame:
    """The shipped table with ``overrides`` ({code: {column: value}}, e.g. the web app's staff edits)."""
    table = read_levers(None, framework)
    for code, values in (overrides or {}).items():
        if code in table.index:
            for col, val in values.items():
                if col in table.columns and val not in (None, ""):
                    table.at[code, col] = val
    return table


def levers_csv(table: pd.DataFrame) -> str:
    """The table as CSV text in the shipped format (round-trips through :func:`read_levers`)."""
    out = table.reset_index()[COLUMNS].copy()
    for c in ("scale_min", "scale_max"):
        out[c] = out[c].map(lambda v: "" if pd.isna(v) else f"{v:g}")
    return out.to_csv(index=False, lineterminator="\n")


def _int(v):
    try:
        f = float(str(v).strip())
    except ValueError:
        return None
    return int(f) if f.is_integer() else None


def _num(v):
    s = str(v if v is not None else "").strip()
    if not s or s.lower() == "nan":
        return None
    try:
        return float(s.replace(",", "."))
    except ValueError:
        return False


# ---- the data calendar -----------------------------------------------------------------------------


@dataclass
class Calendar:
    """When each edition's collection closes, and until when in a year a change still shows in that
    year's data. ``closes``: {edition year: date}; other editions close on ``default_close`` (month, day)."""

    closes: dict[int, date] = field(default_factory=dict)
    default_close: tuple[int, int] = (8, 30)
    changes_count_until: tuple[int, int] = (6, 30)
    sources: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls, text: str | None = None) -> "Calendar":
        doc = yaml.safe_load(text if text is not None else _data_file("calendar.yaml").read_text(encoding="utf-8"))
        doc = doc or {}
        closes, sources = {}, {}
        for year, item in (doc.get("editions") or {}).items():
            item = item or {}
            when = item.get("collection_closes")
            if isinstance(when, str):
                when = date.fromisoformat(when)
            if when is not None:
                closes[int(year)] = when
            if item.get("source"):
                sources[int(year)] = str(item["source"])
        return cls(closes, _month_day(doc.get("default_close", "08-30")),
                   _month_day(doc.get("changes_count_until", "06-30")), sources)

    def closes_on(self, edition: int) -> date:
        if edition in self.closes:
            return self.closes[edition]
        m, d = self.default_close
        return date(edition, m, d)

    def next_open_edition(self, on: date) -> int:
        """The first edition whose collection is still open on ``on``."""
        year = on.year
        return year if on <= self.closes_on(year) else year + 1

    def edition_for(self, lever_class: str, data_lag: int, on: date) -> tuple[int, int]:
        """(edition, data year) a change started on ``on`` can still reach.

        Evidence and reporting reach the next open collection (the data year that edition uses); other
        changes show in this year's data if started by ``changes_count_until``, else next year's."""
        nxt = self.next_open_edition(on)
        if lever_class == "evidence":
            return nxt, nxt - int(data_lag)
        m, d = self.changes_count_until
        data_year = on.year if on <= date(on.year, m, d) else on.year + 1
        edition = max(nxt, data_year + int(data_lag))
        return edition, edition - int(data_lag)


def _month_day(text) -> tuple[int, int]:
    m, d = str(text).split("-")
    return int(m), int(d)

"""Datasets: units (provinces, communes…) and raw values per (unit, indicator, year).

Readers accept COINr's iData CSV, a long table (unit, indicator, year, value) in CSV or XLSX, and a wide
workbook with one sheet per year. Every cell is validated; all problems are reported together with file,
sheet, row and column, and a failed read returns nothing.
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from piiplan.engine.errors import DataError, Problem
from piiplan.engine.framework import Framework, _code_str
from piiplan.engine.tables import Formula, parse_number, read_csv_text, read_xlsx_sheets

LONG_ALIASES = {
    "unit": {"unit", "ucode", "tinh", "tỉnh", "don_vi", "đơn vị", "đơn_vị", "province", "ma_don_vi"},
    "indicator": {"indicator", "icode", "code", "chi_so", "chỉ số", "chỉ_số", "ma_chi_so", "mã chỉ số"},
    "year": {"year", "time", "nam", "năm"},
    "value": {"value", "gia_tri", "giá trị", "giá_trị"},
}
IDATA_ID_COLUMNS = {"uCode", "uName", "Time"}


@dataclass
class Dataset:
    """Raw values in long form plus the table of units and their groups."""

    units: pd.DataFrame                      # index: unit code; columns: name, group columns
    values: pd.DataFrame                     # columns: unit, indicator, year, value
    denominators: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["unit", "name", "year", "value"]))
    source: str = ""

    @property
    def years(self) -> list[int]:
        memo = self._memo()
        if "years" not in memo:
            memo["years"] = sorted(int(y) for y in self.values["year"].dropna().unique())
        return list(memo["years"])

    @cached_property
    def fingerprint(self) -> str:
        """A short content hash of units, values and denominators (with their column names): two datasets
        with the same fingerprint compute the same index. The one dataset hash of piiplan (caches key on it);
        computed once per object, so a dataset is not to be changed in place after it is first used."""
        digest = hashlib.sha256()
        for frame in (self.values, self.units, self.denominators):
            digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
            digest.update(",".join(map(str, frame.columns)).encode("utf-8"))
        return digest.hexdigest()[:16]

    @property
    def indicators(self) -> list[str]:
        # pd.unique keeps the order of appearance; iterating the column in Python was the cost of a
        # 26-year import (wide() asks for it per year, per build: 15 million element visits).
        memo = self._memo()
        if "indicators" not in memo:
            memo["indicators"] = [str(c) for c in pd.unique(self.values["indicator"])]
        return list(memo["indicators"])

    def _memo(self) -> dict:
        """Derived tables kept while ``values``, ``units`` and ``denominators`` are the same objects (a dataset is not changed in
        place after first use, as for ``fingerprint``)."""
        held = self.__dict__.get("_wide_memo")
        if held is None or held[0] is not self.values or held[1] is not self.units or held[2] is not self.denominators:
            held = (self.values, self.units, self.denominators, {})
            self.__dict__["_wide_memo"] = held
        return held[3]

    @property
    def group_columns(self) -> list[str]:
        return [c for c in self.units.columns if c != "name"]

    def wide(self, year: int | None = None, indicators: list[str] | None = None) -> pd.DataFrame:
        """Units × indicators for one year (the latest by default); NaN where missing."""
        year = self.years[-1] if year is None else int(year)
        cols = indicators if indicators is not None else self.indicators
        # Memoised per (year, columns) while ``values`` and ``units`` are the same objects: every build of
        # year Y reads the wide tables of all years before Y (panel imputation), so a many-year import
        # would otherwise pivot years² times. A copy is returned: callers may edit it.
        memo = self._memo()
        key = (year, tuple(cols))
        out = memo.get(key)
        if out is None:
            v = self.values[self.values["year"] == year]
            out = v.pivot(index="unit", columns="indicator", values="value")
            out = out.reindex(index=self.units.index, columns=cols).astype(float)
            out.index.name, out.columns.name = "unit", None
            if len(memo) > 256:
                memo.clear()
            memo[key] = out
        return out.copy()

    def denominator_table(self, year: int | None = None) -> pd.DataFrame:
        if self.denominators.empty:
            return pd.DataFrame(index=self.units.index)
        year = self.years[-1] if year is None else int(year)
        memo = self._memo()   # memoised like ``wide`` (and, like it, only while the frames are the same objects)
        key = ("denominators", year)
        if key not in memo:
            d = self.denominators[self.denominators["year"] == year]
            memo[key] = d.pivot(index="unit", columns="name", values="value").reindex(self.units.index)
        return memo[key].copy()

    def history(self, before: int) -> dict[int, pd.DataFrame]:
        """Wide tables of the years before ``before`` (for panel imputation and trends)."""
        return {y: self.wide(y) for y in self.years if y < before}

    def with_values(self, wide: pd.DataFrame, year: int) -> "Dataset":
        """A copy where ``year``'s values are replaced by ``wide`` (units × indicators)."""
        long = wide.rename_axis(index="unit", columns="indicator").stack(future_stack=True).rename("value") \
            .reset_index()
        long["year"] = int(year)
        rest = self.values[self.values["year"] != int(year)]
        values = pd.concat([rest, long[["unit", "indicator", "year", "value"]]], ignore_index=True)
        return Dataset(self.units.copy(), values, self.denominators.copy(), self.source)

    def to_long_csv(self, path: str | Path) -> None:
        df = self.values.merge(self.units[["name"]], left_on="unit", right_index=True, how="left")
        df[["unit", "indicator", "year", "value"]].to_csv(path, index=False, lineterminator="\n",
                                                          float_format="%.17g")


def _norm_header(h) -> str:
    return unicodedata.normalize("NFC", str(h)).strip().lower()


def _find_columns(columns, fname: str, sheet: str | None) -> dict[str, str]:
    found: dict[str, str] = {}
    for col in columns:
        key = _norm_header(col)
        for target, aliases in LONG_ALIASES.items():
            if key in aliases and target not in found:
                found[target] = col
    missing = [t for t in LONG_ALIASES if t not in found]
    if missing:
        names = {"unit": "unit (tỉnh)", "indicator": "indicator (mã chỉ số)", "year": "year (năm)",
                 "value": "value (giá trị)"}
        raise DataError(Problem(
            "Thiếu cột: " + ", ".join(names[m] for m in missing)
            + ". Bảng dạng dài cần 4 cột: unit, indicator, year, value.", file=fname, sheet=sheet, row=1))
    return found


def _parse_year(v, where: dict) -> tuple[int | None, Problem | None]:
    if v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and math.isnan(v)):
        return None, Problem("Thiếu năm.", **where)
    try:
        f = float(str(v).strip())
    except ValueError:
        return None, Problem(f"Năm «{v}» không hợp lệ.", **where)
    if not f.is_integer() or not 1900 <= f <= 2200:
        return None, Problem(f"Năm «{v}» không hợp lệ (cần số nguyên như 2025).", **where)
    return int(f), None


class _Collector:
    """Collects long rows and problems while reading; checks codes and duplicates."""

    def __init__(self, fname: str, framework: Framework | None, known_units: pd.DataFrame | None,
                 resolve=None):
        self.fname = fname
        self.resolve = resolve
        self.indicators = set(framework.indicators) if framework is not None else None
        self.known_units = known_units
        self.unit_lookup = _unit_lookup(known_units) if known_units is not None else None
        self.rows: list[tuple[str, str, int, float]] = []
        self.seen: dict[tuple[str, str, int], tuple] = {}
        self.problems: list[Problem] = []
        self.unit_names: dict[str, str] = {}

    def unit(self, raw, where: dict) -> str | None:
        if raw is None or (isinstance(raw, float) and math.isnan(raw)) or not str(raw).strip():
            self.problems.append(Problem("Thiếu mã/tên đơn vị.", **where))
            return None
        name = unicodedata.normalize("NFC", str(raw).strip())
        if self.unit_lookup is None:
            return name
        code = self.unit_lookup.get(name.casefold())
        if code is None and self.resolve is not None:
            try:
                code = self.resolve(name)
            except (LookupError, ValueError) as exc:   # the resolver's own Vietnamese message
                self.problems.append(Problem(str(exc.args[0]) if exc.args else str(exc), **where))
                return None
            if code not in self.known_units.index:
                code = None
        if code is None:
            self.problems.append(Problem(f"Đơn vị «{name[:60]}» không có trong danh sách đơn vị.", **where))
        return code

    def indicator(self, raw, where: dict) -> str | None:
        code = _code_str(raw) if raw is not None else ""
        if not code:
            self.problems.append(Problem("Thiếu mã chỉ số.", **where))
            return None
        if self.indicators is not None and code not in self.indicators:
            self.problems.append(Problem(f"Mã chỉ số «{code[:40]}» không có trong khung chỉ số.", **where))
            return None
        return code

    def add(self, unit: str | None, indicator: str | None, year: int | None, raw, where: dict) -> None:
        value, problem = parse_number(raw, **where)
        if problem:
            self.problems.append(problem)
            return
        if unit is None or indicator is None or year is None:
            return
        key = (unit, indicator, year)
        if key in self.seen:
            first = self.seen[key]
            self.problems.append(Problem(
                f"Trùng số liệu: {unit}, chỉ số {indicator}, năm {year} đã có ở "
                + (f"dòng {first[0]}" if first[0] else "trước đó") + ".", **where))
            return
        self.seen[key] = (where.get("row"),)
        self.rows.append((unit, indicator, year, value))

    def dataset(self, units: pd.DataFrame | None = None) -> Dataset:
        if self.problems:
            raise DataError(self.problems)
        if not self.rows:
            raise DataError(Problem("Không có dòng số liệu nào.", file=self.fname))
        values = pd.DataFrame(self.rows, columns=["unit", "indicator", "year", "value"])
        values["value"] = values["value"].astype(float)
        values["year"] = values["year"].astype(int)
        if units is None:
            if self.known_units is not None:
                units = self.known_units.loc[list(dict.fromkeys(values["unit"]))]
            else:
                codes = list(dict.fromkeys(values["unit"]))
                units = pd.DataFrame({"name": [self.unit_names.get(c, c) for c in codes]},
                                     index=pd.Index(codes, name="unit"))
        return Dataset(units, values, source=self.fname)


def _unit_lookup(units: pd.DataFrame) -> dict[str, str]:
    out = {}
    for code, row in units.iterrows():
        out[unicodedata.normalize("NFC", str(code)).casefold()] = code
        if "name" in units.columns and isinstance(row["name"], str):
            out.setdefault(unicodedata.normalize("NFC", row["name"]).casefold(), code)
    return out


def _records(df: pd.DataFrame):
    """(row number in the file, {column: value}) for every row of a read table.

    Plain Python values, not ``DataFrame.iterrows``: that builds a Series per row and deep-copies
    ``df.attrs`` (the list of row numbers) into each one, which made reading quadratic in the file
    (a 46k-row file took minutes)."""
    numbers = df.attrs.get("rows", range(2, 2 + len(df)))
    columns = list(df.columns)
    series = [df.iloc[:, i].tolist() for i in range(len(columns))]
    for rownum, values in zip(numbers, zip(*series)):
        yield rownum, dict(zip(columns, values))


def _read_long_frame(df: pd.DataFrame, col: _Collector, sheet: str | None) -> None:
    cols = _find_columns(df.columns, col.fname, sheet)
    for rownum, r in _records(df):
        base = dict(file=col.fname, sheet=sheet, row=rownum)
        unit = col.unit(r[cols["unit"]], {**base, "column": cols["unit"]})
        ind = col.indicator(r[cols["indicator"]], {**base, "column": cols["indicator"]})
        year, p = _parse_year(r[cols["year"]], {**base, "column": cols["year"]})
        if p:
            col.problems.append(p)
        col.add(unit, ind, year, r[cols["value"]], {**base, "column": cols["value"]})


def read_long(path: str | Path, framework: Framework | None = None,
              units: pd.DataFrame | None = None, resolve=None, *, sheets: dict | None = None) -> Dataset:
    """A long table (unit, indicator, year, value) from CSV or XLSX (first sheet)."""
    path = Path(path)
    col = _Collector(path.name, framework, units, resolve)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = read_xlsx_sheets(path) if sheets is None else sheets
        name, df = next(iter(sheets.items()))
        if df.empty:
            raise DataError(Problem("Trang tính rỗng.", file=path.name, sheet=name))
        _read_long_frame(df, col, name)
    else:
        _read_long_frame(read_csv_text(path), col, None)
    return col.dataset()


def read_wide_xlsx(path: str | Path, framework: Framework | None = None,
                   units: pd.DataFrame | None = None, resolve=None, *, sheets: dict | None = None) -> Dataset:
    """A workbook with one sheet per year: first column the unit, one column per indicator code."""
    path = Path(path)
    col = _Collector(path.name, framework, units, resolve)
    sheets = read_xlsx_sheets(path) if sheets is None else sheets
    for sheet, df in sheets.items():
        year, p = _parse_year(sheet, dict(file=path.name, sheet=sheet))
        if p:
            col.problems.append(Problem(f"Tên trang tính «{sheet}» phải là năm (ví dụ 2025).", file=path.name,
                                        sheet=sheet))
            continue
        if df.empty:
            col.problems.append(Problem("Trang tính rỗng.", file=path.name, sheet=sheet))
            continue
        unit_col = df.columns[0]
        name_col = next((c for c in df.columns[1:] if _norm_header(c) in {"name", "tên", "uname", "ten"}), None)
        ind_cols = []
        for c in df.columns[1:]:
            if c == name_col:
                continue
            code = col.indicator(c, dict(file=path.name, sheet=sheet, row=1, column=str(c)))
            ind_cols.append((c, code))
        for rownum, r in _records(df):
            base = dict(file=path.name, sheet=sheet, row=rownum)
            unit = col.unit(r[unit_col], {**base, "column": str(unit_col)})
            for c, code in ind_cols:
                if code is not None:
                    col.add(unit, code, year, r[c], {**base, "column": str(c)})
    return col.dataset()


def read_idata(path: str | Path, framework: Framework | None = None) -> Dataset:
    """COINr's iData CSV: uCode, uName, group columns, Time, denominators, indicator columns."""
    path = Path(path)
    df = read_csv_text(path)
    if "uCode" not in df.columns:
        raise DataError(Problem("Thiếu cột uCode (định dạng iData của COINr).", file=path.name, row=1))
    groups = [c for c in df.columns if c.endswith("_group") or (framework is not None and c in framework.groups)]
    denoms = framework.denominators if framework is not None else []
    ind_cols = [c for c in df.columns if c not in IDATA_ID_COLUMNS and c not in groups and c not in denoms]
    col = _Collector(path.name, framework, None)
    unit_rows, den_rows = [], []
    for rownum, r in _records(df):
        base = dict(file=path.name, row=rownum)
        unit = col.unit(r["uCode"], {**base, "column": "uCode"})
        year = 0
        if "Time" in df.columns:
            year, p = _parse_year(r["Time"], {**base, "column": "Time"})
            if p:
                col.problems.append(p)
        if unit is None:
            continue
        unit_rows.append({"unit": unit, "name": r.get("uName") or unit, **{g: r[g] or None for g in groups}})
        for c in ind_cols:
            code = col.indicator(c, dict(file=path.name, row=1, column=c))
            col.add(unit, code, year, r[c], {**base, "column": c})
        for d in denoms:
            if d in df.columns:
                v, p = parse_number(r[d], **base, column=d)
                if p:
                    col.problems.append(p)
                den_rows.append((unit, d, year, v))
    dupe_units = pd.Series([u["unit"] for u in unit_rows]).duplicated()
    if "Time" not in df.columns and dupe_units.any():
        col.problems.append(Problem("Mã đơn vị bị trùng.", file=path.name, column="uCode"))
    if col.problems:
        # indicator-header problems repeat on every row: keep one of each
        col.problems = list(dict.fromkeys(col.problems))
    units = pd.DataFrame(unit_rows).drop_duplicates("unit").set_index("unit")
    ds = col.dataset(units)
    ds.denominators = pd.DataFrame(den_rows, columns=["unit", "name", "year", "value"])
    return ds


def read_data(path: str | Path, framework: Framework | None = None,
              units: pd.DataFrame | None = None, resolve=None) -> Dataset:
    """Read any supported data file, choosing the reader from its content.

    ``units``: the known units (index = code, column ``name``); any other unit is an error.
    ``resolve``: optional callable name → code for names not in ``units`` verbatim (aliases, prefixes);
    it raises ``KeyError``/``ValueError`` with a Vietnamese message for an unknown name.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(Problem("Không tìm thấy tệp.", file=path.name))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        sheets = read_xlsx_sheets(path)
        names = list(sheets)
        if any(n.strip().isdigit() for n in names):
            return read_wide_xlsx(path, framework, units, resolve, sheets=sheets)  # parsed once
        return read_long(path, framework, units, resolve, sheets=sheets)
    if suffix in (".csv", ".txt", ""):
        head = read_csv_text(path)
        if "uCode" in head.columns and not {"indicator", "value"} <= set(head.columns):
            return read_idata(path, framework)
        col = _Collector(path.name, framework, units, resolve)  # the table just read: not read twice
        _read_long_frame(head, col, None)
        return col.dataset()
    raise DataError(Problem(f"Định dạng tệp «{suffix}» không được hỗ trợ; dùng .csv hoặc .xlsx.", file=path.name))


def dataset_from_wide(wide: pd.DataFrame, year: int = 0, units: pd.DataFrame | None = None) -> Dataset:
    """Wrap a units × indicators table as a Dataset (for tests and what-if)."""
    if units is None:
        units = pd.DataFrame({"name": list(wide.index)}, index=pd.Index(wide.index, name="unit"))
    long = wide.rename_axis(index="unit", columns="indicator").stack(future_stack=True).rename("value") \
        .reset_index()
    long["year"] = int(year)
    long["value"] = long["value"].astype(float)
    return Dataset(units, long[["unit", "indicator", "year", "value"]])


__all__ = ["Dataset", "read_data", "read_long", "read_wide_xlsx", "read_idata", "dataset_from_wide", "Formula"]

"""The framework: a versioned tree of codes (indicator → … → index) with per-node metadata.

Readers accept the project's own CSV/YAML format and COINr's iMeta CSV. Every structural problem
(duplicate code, unknown parent, cycle, mixed levels, bad weight or direction, no indicator) is
reported at once, in Vietnamese, with the row it comes from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from piiplan.engine.errors import FrameworkError, Problem
from piiplan.numbers import float_or_none

CONFIDENCE_LEVELS = ("confirmed", "name-confirmed", "inferred", "placeholder")
NODE_COLUMNS = ["code", "parent", "level", "name_vi", "name_en", "unit", "direction", "weight", "source",
                "confidence"]
IMETA_COLUMNS = {"Level", "iCode", "iName", "Direction", "Weight", "Parent", "Type"}


@dataclass
class Framework:
    """A validated hierarchy. ``nodes`` is indexed by code (str) in file order.

    Columns: level (int, 1 = indicator), parent (str or None), name_vi, name_en, unit, direction (±1 on
    indicators), weight (≥ 0, relative to siblings), source, confidence, plus any extra metadata column
    (e.g. ``target``, ``denominator``, ``merge``, ``goalpost_lo``/``goalpost_hi``).
    """

    nodes: pd.DataFrame
    name: str = "framework"
    groups: list[str] = field(default_factory=list)        # iMeta "Group" rows: unit grouping columns
    denominators: list[str] = field(default_factory=list)  # iMeta "Denominator" rows

    # ---- structure -------------------------------------------------------------------------------
    @cached_property
    def indicators(self) -> list[str]:
        return [c for c, lv in self.nodes["level"].items() if lv == 1]

    @cached_property
    def levels(self) -> int:
        return max(self.nodes["level"].tolist())

    def codes_at(self, level: int) -> list[str]:
        return [c for c, lv in self.nodes["level"].items() if lv == level]

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {c: [] for c in self.nodes.index}
        for code, parent in self.nodes["parent"].items():
            if not _blank(parent):
                out[parent].append(code)
        return out

    def children(self, code: str) -> list[str]:
        return list(self._children[code])

    def parent(self, code: str) -> str | None:
        p = self.nodes.at[code, "parent"]
        return None if _blank(p) else p

    def ancestors(self, code: str) -> list[str]:
        out, p = [], self.parent(code)
        while p is not None:
            out.append(p)
            p = self.parent(p)
        return out

    def descendants(self, code: str, level: int = 1) -> list[str]:
        """Codes at ``level`` below ``code`` (itself if it is at that level), in framework order."""
        if self.nodes.at[code, "level"] == level:
            return [code]
        out: list[str] = []
        for child in self.children(code):
            out.extend(self.descendants(child, level))
        return out

    @cached_property
    def roots(self) -> list[str]:
        return [c for c, p in self.nodes["parent"].items() if _blank(p)]

    @property
    def root(self) -> str:
        return self.roots[0]

    @cached_property
    def codes(self) -> list[str]:
        """All codes, indicators first then each level up (COINr's column order)."""
        out: list[str] = []
        for lv in range(1, self.levels + 1):
            out.extend(self.codes_at(lv))
        return out

    def name_of(self, code: str) -> str:
        row = self.nodes.loc[code]
        return str(row.get("name_vi") or row.get("name_en") or code)

    name_vi = name_of

    def source_of(self, code: str) -> str:
        """The data source as users read it: the Vietnamese ``source_vi`` if given, else ``source``."""
        for col in ("source_vi", "source"):
            if col in self.nodes.columns and not _blank(self.nodes.at[code, col]):
                return str(self.nodes.at[code, col])
        return ""

    def direction(self) -> np.ndarray:
        d = self.nodes["direction"].to_dict()
        return np.array([d[c] for c in self.indicators], dtype=float)

    def weights(self) -> pd.Series:
        return self.nodes["weight"].astype(float)

    def meta(self, column: str, default=None) -> pd.Series:
        """A metadata column over the indicators (``default`` where absent)."""
        if column not in self.nodes.columns:
            return pd.Series(default, index=self.indicators, dtype=object)
        return self.nodes.loc[self.indicators, column]

    @cached_property
    def fingerprint(self) -> str:
        """A short content hash: two frameworks with the same fingerprint compute the same index."""
        text = self.nodes.to_csv(lineterminator="\n")
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def with_weights(self, weights: dict[str, float]) -> "Framework":
        nodes = self.nodes.copy()
        for code, w in weights.items():
            if code not in nodes.index:
                raise FrameworkError(Problem(f"Mã «{code}» không có trong khung chỉ số."))
            nodes.at[code, "weight"] = float(w)
        return Framework(nodes, name=self.name, groups=list(self.groups), denominators=list(self.denominators))

    def to_frame(self) -> pd.DataFrame:
        """The project CSV layout (code as a column)."""
        return self.nodes.reset_index()

    def to_csv(self, path: str | Path) -> None:
        df = self.to_frame()
        df["parent"] = df["parent"].fillna("")
        df.to_csv(path, index=False, lineterminator="\n")

    # ---- readers ---------------------------------------------------------------------------------
    @classmethod
    def from_frame(cls, df: pd.DataFrame, name: str = "framework") -> "Framework":
        nodes, groups, denoms = _normalise_frame(df, name)
        return cls(nodes, name=name, groups=groups, denominators=denoms)

    @classmethod
    def from_csv(cls, path: str | Path, name: str | None = None) -> "Framework":
        from piiplan.engine.tables import read_csv_rows

        path = Path(path)
        header, body = read_csv_rows(path, error_cls=FrameworkError)
        name = name or path.name
        if IMETA_COLUMNS <= set(header):   # COINr's layout: through the frame reader
            return cls.from_frame(pd.DataFrame(body, columns=header, dtype=object), name=name)
        if not body or not header:
            raise FrameworkError(Problem("Tệp rỗng: không có nút nào.", file=name))
        _require_columns(header, name)
        records = [dict(zip(header, row), _row=i) for i, row in enumerate(body, start=2)]
        return cls(_check_rows(records, [*header, "_row"], name), name=name)

    @classmethod
    def from_yaml(cls, path: str | Path, name: str | None = None) -> "Framework":
        import yaml

        path = Path(path)
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, yaml.YAMLError) as exc:
            raise FrameworkError(Problem(f"Không đọc được YAML: {exc}", file=path.name)) from None
        rows = _yaml_rows(doc, path.name)
        return cls.from_frame(pd.DataFrame(rows), name=name or path.name)

    @classmethod
    def read(cls, path: str | Path) -> "Framework":
        path = Path(path)
        if path.suffix.lower() in (".yaml", ".yml"):
            return cls.from_yaml(path)
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            from piiplan.engine.tables import read_xlsx_sheet

            return cls.from_frame(read_xlsx_sheet(path, error_cls=FrameworkError), name=path.name)
        return cls.from_csv(path)


def _yaml_rows(doc, fname: str) -> list[dict]:
    if isinstance(doc, dict) and "nodes" in doc:
        doc = doc["nodes"]
    if isinstance(doc, dict) and "code" in doc:  # nested tree
        rows: list[dict] = []

        def walk(node: dict, parent: str | None) -> None:
            kids = node.get("children") or []
            row = {k: v for k, v in node.items() if k != "children"}
            row.setdefault("parent", parent)
            rows.append(row)
            for kid in kids:
                walk(kid, str(node["code"]))

        walk(doc, None)
        return rows
    if isinstance(doc, list) and all(isinstance(r, dict) for r in doc):
        return doc
    raise FrameworkError(Problem("YAML phải là danh sách nút (nodes) hoặc một cây có 'code' và 'children'.",
                                 file=fname))


def _records(df: pd.DataFrame) -> list[dict]:
    """The rows as dicts (far cheaper than ``iterrows``, which builds a Series per row)."""
    columns = [str(c) for c in df.columns]
    return [dict(zip(columns, row)) for row in zip(*(df[c].tolist() for c in df.columns))]


def _blank(v) -> bool:
    """None, NaN, an empty or blank text, or "NA"."""
    if v is None:
        return True
    if type(v) is str:
        v = v.strip()
        return not v or (len(v) == 2 and v.upper() == "NA")
    return (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and v.strip().upper() in ("", "NA"))


def _normalise_frame(df: pd.DataFrame, fname: str) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Map either layout onto the node table; return (nodes, group columns, denominator columns)."""
    if df.empty or len(df.columns) == 0:
        raise FrameworkError(Problem("Tệp rỗng: không có nút nào.", file=fname))
    cols = set(df.columns)
    groups: list[str] = []
    denoms: list[str] = []
    if IMETA_COLUMNS <= cols:  # COINr iMeta
        kinds = df["Type"].astype(str)
        groups = df.loc[kinds == "Group", "iCode"].astype(str).tolist()
        denoms = df.loc[kinds == "Denominator", "iCode"].astype(str).tolist()
        keep = df[kinds.isin(["Indicator", "Aggregate"])].copy()
        out = pd.DataFrame({
            "code": keep["iCode"], "parent": keep["Parent"], "level": keep["Level"],
            "name_vi": keep["iName"], "name_en": keep["iName"], "unit": keep.get("Unit"),
            "direction": keep["Direction"], "weight": keep["Weight"], "source": None, "confidence": None,
        })
        for extra, target in (("Target", "target"), ("Denominator", "denominator")):
            if extra in keep.columns:
                out[target] = keep[extra]
        out["_row"] = keep.index.to_numpy() + 2
        df = out
    else:
        _require_columns(df.columns, fname)
        df = df.copy()
        df["_row"] = np.arange(len(df)) + 2
    columns = [str(c) for c in df.columns]
    return _check_rows(_records(df), columns, fname), groups, denoms


def _require_columns(columns, fname: str) -> None:
    missing = [c for c in ("code", "parent") if c not in set(columns)]
    if missing:
        raise FrameworkError(Problem(
            "Thiếu cột bắt buộc: " + ", ".join(missing)
            + f". Các cột cần có: {', '.join(NODE_COLUMNS)} (hoặc định dạng iMeta của COINr).", file=fname))


def _missing(v) -> bool:
    """NaN, None or pandas' NA (what ``DataFrame.notna`` calls missing)."""
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)


def _check_rows(records: list[dict], columns: list[str], fname: str) -> pd.DataFrame:
    """Validate the node rows (dicts with a ``_row`` line number) and build the node table.

    Plain Python on the rows, one DataFrame at the end: parsing the PII framework costs well under a
    millisecond (it was 15–22 ms through pandas, ten times a build)."""
    problems: list[Problem] = []
    columns = list(columns) + [c for c in NODE_COLUMNS if c not in columns]
    rows = [{c: (v if type(v) is str or not _missing(v) else None) for c in columns for v in (r.get(c),)}
            for r in records]
    seen: dict[str, int] = {}
    for r in rows:
        row = int(r["_row"])
        code = r["code"]
        if _blank(code):
            problems.append(Problem("Mã (code) bị trống.", file=fname, row=row, column="code"))
            r["code"] = ""
            continue
        code = _code_str(code)
        if code in seen:
            problems.append(Problem(f"Mã «{code}» bị trùng (đã có ở dòng {seen[code]}).", file=fname, row=row,
                                    column="code"))
        seen.setdefault(code, row)
        r["code"] = code
    for r in rows:
        r["parent"] = None if _blank(r["parent"]) else _code_str(r["parent"])
        for col in ("name_vi", "name_en", "unit", "source", "confidence"):
            v = r[col]
            r[col] = None if _blank(v) else str(v).strip()
    for r in rows:
        row = int(r["_row"])
        if r["parent"] is not None and r["parent"] not in seen:
            problems.append(Problem(f"Nút cha «{r['parent']}» của «{r['code']}» không tồn tại.", file=fname,
                                    row=row, column="parent"))
        w = r["weight"]
        wv = float_or_none(w)
        if _blank(w) or wv is None:
            problems.append(Problem(f"Trọng số của «{r['code']}» bị thiếu hoặc không phải số.", file=fname, row=row,
                                    column="weight"))
        elif wv < 0 or not np.isfinite(wv):
            problems.append(Problem(f"Trọng số của «{r['code']}» phải là số không âm (đang là {w}).", file=fname,
                                    row=row, column="weight"))
        if not _blank(r["confidence"]) and r["confidence"] not in CONFIDENCE_LEVELS:
            problems.append(Problem(
                f"Mức tin cậy «{r['confidence']}» không hợp lệ; dùng một trong: {', '.join(CONFIDENCE_LEVELS)}.",
                file=fname, row=row, column="confidence"))
    structural = [p for p in problems if p.column in ("code", "parent")]
    if structural:
        raise FrameworkError(problems)
    for r in rows:
        wv = float_or_none(r["weight"])
        r["weight"] = float(wv) if wv is not None else np.nan
    tree_problems, levels = _check_tree(rows, fname)
    problems += tree_problems
    if problems:
        raise FrameworkError(problems)
    index = pd.Index([r["code"] for r in rows], dtype=object, name="code")
    data: dict[str, pd.Series] = {}
    for c in columns:
        if c in ("code", "_row"):
            continue
        # numpy arrays of the final dtype: pandas then neither infers (object stays object, not its string
        # dtype) nor casts (its integer cast sets up warning filters, milliseconds on a cold process)
        if c == "level":
            values = np.array([levels[r["code"]] for r in rows], dtype=np.int64)
        elif c == "weight":
            values = np.array([r["weight"] for r in rows], dtype=float)
        elif c == "direction":
            values = _objects([None if float_or_none(r[c]) is None else int(float_or_none(r[c])) for r in rows])
        else:
            values = _objects([r[c] for r in rows])
        data[c] = pd.Series(values, index=index, dtype=values.dtype, copy=False)
    return pd.DataFrame(data, index=index, copy=False)


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _check_tree(rows: list[dict], fname: str) -> tuple[list[Problem], dict[str, int]]:
    """Cycles, levels (given, or derived from the tree with leaf = 1), one root; returns (problems, levels)."""
    problems: list[Problem] = []
    parent = {r["code"]: r["parent"] for r in rows}
    line = {r["code"]: int(r["_row"]) for r in rows}
    has_child = {p for p in parent.values() if p is not None}
    # cycles
    in_cycle: set[str] = set()
    for start in parent:
        path, node = [], start
        while node is not None and node not in path and node not in in_cycle:
            path.append(node)
            node = parent.get(node)
        if node is not None and node in path:
            cyc = path[path.index(node):]
            if not in_cycle & set(cyc):
                problems.append(Problem("Vòng lặp trong cây: " + " → ".join(cyc + [node]) + ".", file=fname,
                                        row=line[node], column="parent"))
            in_cycle |= set(cyc)
    if in_cycle:
        return problems, {}
    depth_from_leaf: dict[str, int] = {}

    def height(code: str) -> int:
        if code not in depth_from_leaf:
            kids = [c for c, p in parent.items() if p == code]
            depth_from_leaf[code] = 1 + max((height(k) for k in kids), default=0)
        return depth_from_leaf[code]

    levels: dict[str, int] = {}
    for r in rows:
        lv = float_or_none(r["level"])
        if _blank(r["level"]):
            levels[r["code"]] = height(r["code"])
        elif lv is None or lv != int(lv) or lv < 1:
            problems.append(Problem(f"Cấp (level) của «{r['code']}» phải là số nguyên ≥ 1.", file=fname,
                                    row=int(r["_row"]), column="level"))
        else:
            levels[r["code"]] = int(lv)
    if problems:
        return problems, levels
    for r in rows:
        code, row, lv = r["code"], int(r["_row"]), levels[r["code"]]
        p = parent[code]
        if p is not None and levels[p] != lv + 1:
            problems.append(Problem(
                f"Cấp không nhất quán: «{code}» ở cấp {lv} nhưng nút cha «{p}» ở cấp {levels[p]} "
                f"(nút cha phải ở cấp {lv + 1}).", file=fname, row=row, column="level"))
        if lv == 1:
            if code in has_child:
                problems.append(Problem(f"«{code}» là chỉ số (cấp 1) nhưng lại có nút con.", file=fname, row=row,
                                        column="level"))
            d = float_or_none(r["direction"])
            if d not in (1, -1):
                problems.append(Problem(f"Chiều tác động của chỉ số «{code}» phải là 1 hoặc -1 (đang là "
                                        f"«{'' if r['direction'] is None else r['direction']}»).", file=fname,
                                        row=row, column="direction"))
        elif code not in has_child:
            problems.append(Problem(f"Nút tổng hợp «{code}» (cấp {lv}) không có nút con nào.", file=fname, row=row,
                                    column="code"))
    if not any(levels[c] == 1 for c in levels):
        problems.append(Problem("Khung không có chỉ số nào (cấp 1).", file=fname))
    roots = [c for c, p in parent.items() if p is None]
    if len(roots) > 1:
        problems.append(Problem(f"Khung phải có đúng một nút gốc; đang có {len(roots)}: {', '.join(roots[:6])}.",
                                file=fname, column="parent"))
    return problems, levels


def _code_str(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()



def load_framework(name: str = "pii-2025") -> Framework:
    """A framework shipped as package data (``src/piiplan/data/frameworks/<name>.csv``)."""
    from importlib import resources

    ref = resources.files("piiplan") / "data" / "frameworks" / f"{name}.csv"
    with resources.as_file(ref) as path:
        if not path.exists():
            raise FrameworkError(Problem(f"Không có khung chỉ số «{name}» trong dữ liệu của gói."))
        return Framework.from_csv(path, name=name)

"""The recipe: the ordered pipeline steps, each chosen by name with its parameters.

A recipe is plain data (JSON/YAML), so any result can be rebuilt from it and a what-if is "edit the
recipe, rebuild". Dotted keys address a step's parameter: ``treat.winmax``, ``normalise.method``,
``aggregate.weights.1`` (weight of node "1").
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from piiplan.engine.errors import Problem, RecipeError

STEP_ORDER = ("denominate", "impute", "screen", "treat", "normalise", "aggregate")
STEP_DEFAULTS: dict[str, dict] = {
    "denominate": {"by": {}, "scale": 1.0},             # by: "metadata" or {code: denominator column}
    "impute": {"method": "none", "group": None},
    "screen": {"threshold": 0.0, "include": [], "exclude": []},
    "treat": {"method": "coinr", "skew": None, "kurt": None, "winmax": -1, "log": None, "overrides": {}},
    "normalise": {"method": "minmax", "lower": 0.0, "upper": 100.0, "mean": 0.0, "sd": 1.0, "scale": 100.0},
    "aggregate": {"method": "amean", "p": 2.0, "min_coverage": 0.0, "weights": {}},
}


_SCALARS = (str, int, float, bool, type(None))


def _copy(value):
    """A deep copy of recipe data (JSON-like: dicts, lists, scalars), ten times cheaper than ``deepcopy``,
    which it falls back on for anything else."""
    t = type(value)
    if t in _SCALARS:
        return value
    if t is dict:
        return {k: _copy(v) for k, v in value.items()}
    if t is list:
        return [_copy(v) for v in value]
    return copy.deepcopy(value)


@dataclass
class Recipe:
    """Ordered steps ``[{"step": name, **params}]`` plus a name and free-text notes."""

    steps: list[dict] = field(default_factory=list)
    name: str = "custom"
    notes: str = ""

    def __post_init__(self) -> None:
        self.steps = [self._complete(s) for s in self.steps]
        self.validate()

    @staticmethod
    def _complete(step: dict) -> dict:
        name = step.get("step")
        if name not in STEP_DEFAULTS:
            raise RecipeError(Problem(f"Bước «{name}» không tồn tại; các bước: {', '.join(STEP_ORDER)}."))
        full = {"step": name, **_copy(STEP_DEFAULTS[name])}
        unknown = set(step) - set(full)
        if unknown:
            raise RecipeError(Problem(f"Bước «{name}» không có tham số: {', '.join(sorted(unknown))}."))
        full.update(_copy(step))
        return full

    def validate(self) -> None:
        names = [s["step"] for s in self.steps]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise RecipeError(Problem(f"Mỗi bước chỉ được xuất hiện một lần: {', '.join(sorted(dup))}."))
        for must in ("normalise", "aggregate"):
            if must not in names:
                raise RecipeError(Problem(f"Công thức thiếu bước bắt buộc «{must}»."))
        if names.index("normalise") > names.index("aggregate"):
            raise RecipeError(Problem("Bước chuẩn hoá phải đứng trước bước tổng hợp."))
        problems = [Problem(m) for s in self.steps for m in _check_params(s)]
        if problems:
            raise RecipeError(problems)

    def step(self, name: str) -> dict:
        """The parameters of a step (the defaults if the recipe skips it)."""
        for s in self.steps:
            if s["step"] == name:
                return s
        return {"step": name, **_copy(STEP_DEFAULTS[name]), "_absent": True}

    def has(self, name: str) -> bool:
        return any(s["step"] == name for s in self.steps)

    # ---- editing -----------------------------------------------------------------------------------
    def copy(self) -> "Recipe":
        return Recipe(_copy(self.steps), self.name, self.notes)

    def set(self, key: str, value) -> "Recipe":
        """A copy with one parameter changed: ``treat.winmax``, ``aggregate.weights.1``, ``treat.method``…"""
        parts = key.split(".")
        name = parts[0]
        if name not in STEP_DEFAULTS or len(parts) < 2:
            raise RecipeError(Problem(f"Khoá «{key}» không hợp lệ; dạng đúng: <bước>.<tham số>, ví dụ treat.winmax."))
        new = self.copy()
        if not new.has(name):
            new.steps.append({"step": name, **_copy(STEP_DEFAULTS[name])})
            new.steps.sort(key=lambda s: STEP_ORDER.index(s["step"]))
        target = new.step(name)
        if parts[1] not in STEP_DEFAULTS[name]:
            raise RecipeError(Problem(f"Bước «{name}» không có tham số «{parts[1]}»."))
        node = target
        for p in parts[1:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value
        new.name = f"{self.name}*"
        new.validate()
        return new

    def set_from_text(self, assignment: str) -> "Recipe":
        """Parse ``KEY=VALUE`` (VALUE in JSON or a bare word) and apply it."""
        if "=" not in assignment:
            raise RecipeError(Problem(f"«{assignment}» phải có dạng KHOÁ=GIÁ_TRỊ."))
        key, raw = assignment.split("=", 1)
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        return self.set(key.strip(), value)

    # ---- serialisation -------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """The recipe as plain data, every default written out resolved (``treat.winmax`` is the method's
        number, not ``-1``), so a saved recipe says exactly what was computed."""
        return {"name": self.name, "notes": self.notes, "steps": [_resolved(s) for s in self.steps]}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, sort_keys=False)

    @classmethod
    def from_dict(cls, d: dict) -> "Recipe":
        if not isinstance(d, dict) or not isinstance(d.get("steps"), list):
            raise RecipeError(Problem("Công thức phải là một đối tượng có danh sách «steps»."))
        return cls(d["steps"], d.get("name", "custom"), d.get("notes", ""))

    @classmethod
    def from_json(cls, text: str) -> "Recipe":
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            raise RecipeError(Problem(f"Tệp công thức không phải JSON hợp lệ (lỗi ở dòng {exc.lineno}, cột "
                                      f"{exc.colno}).")) from None

    @classmethod
    def load(cls, path: str | Path) -> "Recipe":
        path = Path(path)
        text = path.read_text(encoding="utf-8")
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            return cls.from_dict(yaml.safe_load(text))
        return cls.from_json(text)

    def save(self, path: str | Path) -> None:
        path = Path(path)
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            path.write_text(yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False), encoding="utf-8")
        else:
            path.write_text(self.to_json() + "\n", encoding="utf-8")

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(self.to_dict()["steps"], sort_keys=True).encode()).hexdigest()[:16]


METHOD_NAMES = {
    "impute": ("none", "mean", "median", "group_mean", "group_median", "panel_latest", "panel_linear"),
    "treat": ("coinr", "gii", "none"),
    "normalise": ("minmax", "zscore", "rank", "prank", "goalposts", "dist2target", "fracmax"),
    "aggregate": ("amean", "gmean", "hmean", "genmean"),
}


def _resolved(step: dict) -> dict:
    """A copy of ``step`` with the method's defaults written in place of "use the default" (``None`` for
    skew, kurtosis and log, ``-1`` for winmax) — what ``treat`` will use."""
    from piiplan.engine.treat import DEFAULTS

    out = _copy(step)
    if out["step"] == "treat" and out.get("method") in DEFAULTS:
        base = DEFAULTS[out["method"]]
        for key in ("skew", "kurt", "log"):
            if out.get(key) is None:
                out[key] = base[key]
        if out.get("winmax") == -1:
            out["winmax"] = base["winmax"]
    return out


def _is_num(v) -> bool:
    import math

    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _check_params(step: dict) -> list[str]:
    """Vietnamese messages for every parameter of a step that has the wrong type or range."""
    name, out = step["step"], []
    where = f"Bước «{name}»"
    method = step.get("method")
    if name in METHOD_NAMES and method not in METHOD_NAMES[name]:
        out.append(f"{where}: phương pháp «{method}» không hợp lệ; chọn: {', '.join(METHOD_NAMES[name])}.")
    if name == "treat":
        for key in ("skew", "kurt"):
            v = step.get(key)
            if v is not None and not (_is_num(v) and v > 0):
                out.append(f"{where}: «{key}» phải là số dương (đang là «{v}»).")
        w = step.get("winmax")
        if w is not None and not (isinstance(w, int) and not isinstance(w, bool) and (w >= 1 or w == -1)):
            out.append(f"{where}: «winmax» phải là số nguyên ≥ 1, null (không giới hạn) hoặc -1 (mặc định của "
                       f"phương pháp) (đang là «{w}»).")
        if step.get("log") not in (None, "log_ct", "log_gii"):
            out.append(f"{where}: «log» phải là log_ct hoặc log_gii.")
        if not isinstance(step.get("overrides"), dict):
            out.append(f"{where}: «overrides» phải là một bảng mã chỉ số → chỉ định.")
    elif name == "normalise":
        for key in ("lower", "upper", "mean", "sd", "scale"):
            if not _is_num(step.get(key)):
                out.append(f"{where}: «{key}» phải là số (đang là «{step.get(key)}»).")
        if not out and step["lower"] >= step["upper"]:
            out.append(f"{where}: cận dưới phải nhỏ hơn cận trên.")
        if not out and step["sd"] <= 0:
            out.append(f"{where}: độ lệch chuẩn «sd» phải dương.")
    elif name == "aggregate":
        if not _is_num(step.get("p")):
            out.append(f"{where}: «p» phải là số.")
        mc = step.get("min_coverage")
        if not (_is_num(mc) and 0 <= mc <= 1):
            out.append(f"{where}: «min_coverage» phải là số từ 0 đến 1 (đang là «{mc}»).")
        weights = step.get("weights")
        if not isinstance(weights, dict):
            out.append(f"{where}: «weights» phải là một bảng mã → trọng số, ví dụ {{\"1\": 2}}.")
        else:
            for code, w in weights.items():
                if not (_is_num(w) and w >= 0):
                    out.append(f"{where}: trọng số của «{code}» phải là số không âm (đang là «{w}»).")
    elif name == "screen":
        t = step.get("threshold")
        if not (_is_num(t) and 0 <= t <= 1):
            out.append(f"{where}: «threshold» phải là số từ 0 đến 1 (đang là «{t}»).")
        for key in ("include", "exclude"):
            if not isinstance(step.get(key), list):
                out.append(f"{where}: «{key}» phải là danh sách đơn vị.")
    elif name == "denominate":
        by = step.get("by")
        if not (by == "metadata" or isinstance(by, dict)):
            out.append(f"{where}: «by» phải là \"metadata\" hoặc một bảng mã chỉ số → cột mẫu số.")
        sc = step.get("scale")
        if not (_is_num(sc) or isinstance(sc, dict)):
            out.append(f"{where}: «scale» phải là số hoặc một bảng mã chỉ số → hệ số.")
    elif name == "impute":
        if step.get("group") is not None and not isinstance(step.get("group"), str):
            out.append(f"{where}: «group» phải là tên cột nhóm.")
    return out


PRESETS: dict[str, dict] = {
    "coinr": {
        "name": "coinr",
        "notes": "Mặc định của COINr: xử lý ngoại lai (độ lệch 2, độ nhọn 3,5, tối đa 5 điểm, rồi log), "
                 "chuẩn hoá min-max [0, 100], trung bình cộng có trọng số.",
        "steps": [{"step": "treat", "method": "coinr"}, {"step": "normalise", "method": "minmax"},
                  {"step": "aggregate", "method": "amean"}],
    },
    "gii": {
        "name": "gii",
        "notes": "Quy tắc GII: không gán giá trị thiếu; ngoại lai khi |độ lệch| > 2,25 và độ nhọn > 3,5; "
                 "min-max [0, 100]; trung bình cộng; điểm tổng hợp chỉ tính khi có ít nhất 50% thành phần.",
        "steps": [{"step": "impute", "method": "none"}, {"step": "treat", "method": "gii"},
                  {"step": "normalise", "method": "minmax"},
                  {"step": "aggregate", "method": "amean", "min_coverage": 0.5}],
    },
    "pii": {
        "name": "pii",
        "notes": "Cách đọc tốt nhất về phương pháp của Bộ KH&CN (giả định, xem docs/methodology.md): xử lý "
                 "ngoại lai mặc định của COINr, min-max [0, 100], trung bình cộng trọng số bằng nhau ở mọi cấp; "
                 "Đầu vào = TB trụ cột 1–5, Đầu ra = TB trụ cột 6–7, PII = TB(Đầu vào, Đầu ra).",
        "steps": [{"step": "impute", "method": "none"}, {"step": "treat", "method": "coinr"},
                  {"step": "normalise", "method": "minmax"}, {"step": "aggregate", "method": "amean"}],
    },
}


def preset(name: str = "pii") -> Recipe:
    try:
        return Recipe.from_dict(_copy(PRESETS[name]))
    except KeyError:
        raise RecipeError(Problem(f"Không có công thức mẫu «{name}»; chọn: {', '.join(PRESETS)}.")) from None

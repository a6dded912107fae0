"""Helpers shared by the command families: loading inputs, printing errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from piiplan.engine.errors import InputError
from piiplan.numbers import format_number as fmt  # noqa: F401 (the one vi-VN number rule)

EXIT_USER_ERROR = 2


def add_input_args(p, data_required: bool = False) -> None:
    p.add_argument("--framework", "-f", help="tệp khung chỉ số (CSV/YAML/iMeta); mặc định: khung PII 2025")
    p.add_argument("--data", "-d", required=data_required,
                   help="tệp số liệu (iData CSV, CSV/XLSX dạng dài, XLSX mỗi năm một trang); mặc định: dữ liệu mô phỏng")
    p.add_argument("--year", type=int, help="năm tính (mặc định: năm mới nhất)")
    p.add_argument("--preset", default="pii", help="công thức mẫu: pii (mặc định), coinr, gii")
    p.add_argument("--recipe", help="tệp công thức JSON/YAML (thay cho --preset)")
    p.add_argument("--set", action="append", default=[], metavar="KHOÁ=GIÁ_TRỊ",
                   help="đổi một tham số công thức, ví dụ treat.winmax=3 hoặc treat.method=none")


def province_units(fw):
    """For the shipped provincial framework: the 34 provinces and a resolver of their names and aliases
    (so an unknown or former province in a data file is an error naming its row). Otherwise (None, None)."""
    if fw.name != "pii-2025":
        return None, None
    from piiplan import reference

    table = reference.provinces()
    units = table[["name", "region"]].copy()
    units.index.name = "unit"
    return units, reference.resolve_province


def read_user_data(path, fw):
    from piiplan.engine import read_data

    units, resolve = province_units(fw)
    ds = read_data(path, fw, units=units, resolve=resolve)
    return ds


def synthetic_label(ds) -> str | None:
    """The label to show beside numbers computed from the shipped synthetic panel, else None."""
    try:
        from piiplan.demo import SYNTHETIC_LABEL
    except ImportError:
        return None
    return SYNTHETIC_LABEL if SYNTHETIC_LABEL in str(getattr(ds, "source", "")) else None


def load_inputs(args):
    """(framework, dataset, recipe, year) from the common arguments."""
    from piiplan.engine import Framework, Recipe, load_framework, preset

    fw = Framework.read(args.framework) if args.framework else load_framework("pii-2025")
    if args.data:
        ds = read_user_data(args.data, fw)
    else:
        try:
            from piiplan.demo import load_demo
        except ImportError:
            raise InputError("Chưa có dữ liệu mô phỏng đi kèm; hãy chỉ định --data.") from None
        ds = load_demo()
    recipe = Recipe.load(args.recipe) if getattr(args, "recipe", None) else preset(args.preset)
    for assignment in getattr(args, "set", []) or []:
        recipe = recipe.set_from_text(assignment)
    year = args.year if args.year is not None else ds.years[-1]
    if year not in ds.years:
        raise InputError(f"Không có số liệu năm {year}; các năm có: {', '.join(map(str, ds.years))}.")
    return fw, ds, recipe, year


def report_error(exc: Exception) -> int:
    if isinstance(exc, InputError):
        for p in exc.problems:
            print(f"Lỗi: {p}", file=sys.stderr)
    else:
        print(f"Lỗi: {exc}", file=sys.stderr)
    return EXIT_USER_ERROR


def user_error(exc: BaseException) -> InputError | None:
    """The Vietnamese message of an error the user can fix (a path, an encoding, a malformed file), or
    ``None`` for anything else (a bug, which keeps its traceback)."""
    if isinstance(exc, InputError):
        return exc
    if isinstance(exc, KeyError):
        return InputError(str(exc.args[0]) if exc.args else str(exc))
    if isinstance(exc, OSError) and not isinstance(exc, (BrokenPipeError, ConnectionError)):
        name = Path(str(exc.filename or "")).name or str(exc.filename or "")
        if isinstance(exc, FileNotFoundError):
            return InputError(f"Không tìm thấy tệp hoặc thư mục «{name}».")
        if isinstance(exc, IsADirectoryError):
            return InputError(f"«{name}» là một thư mục; hãy chỉ định một tệp.")
        if isinstance(exc, NotADirectoryError):
            return InputError(f"Không dùng được «{name}»: một phần của đường dẫn là tệp, không phải thư mục.")
        if isinstance(exc, FileExistsError):
            return InputError(f"«{name}» đã có và là một tệp; hãy chỉ định một thư mục.")
        if isinstance(exc, PermissionError):
            return InputError(f"Không có quyền đọc hoặc ghi «{name}».")
        return InputError(f"Không đọc hoặc ghi được «{name}».")
    if isinstance(exc, UnicodeError):
        return InputError("Tệp không phải văn bản mã UTF-8; hãy lưu lại với mã UTF-8 (trong Excel: «CSV UTF-8»).")
    if isinstance(exc, json.JSONDecodeError):
        return InputError(f"Tệp JSON không hợp lệ (lỗi ở dòng {exc.lineno}, cột {exc.colno}).")
    try:
        import yaml
    except ImportError:  # pragma: no cover - yaml is a dependency
        return None
    if isinstance(exc, yaml.YAMLError):
        mark = getattr(exc, "problem_mark", None)
        where = f" (lỗi ở dòng {mark.line + 1})" if mark is not None else ""
        return InputError(f"Tệp YAML không hợp lệ{where}.")
    return None


def guarded(func):
    """Run a command; user errors (inputs, paths, encodings) print one Vietnamese line per problem and exit 2."""
    def run(args):
        try:
            return func(args)
        except Exception as exc:  # noqa: BLE001 - narrowed by user_error(); anything else is re-raised
            err = user_error(exc)
            if err is None:
                raise
            return report_error(err)
    return run


def dump_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=_default))


def _default(o):
    import numpy as np

    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return None if np.isnan(o) else float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if hasattr(o, "to_dict"):
        return o.to_dict()
    if hasattr(o, "__dataclass_fields__"):
        from dataclasses import asdict

        return asdict(o)
    return str(o)

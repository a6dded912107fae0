"""Build the report inputs from plain dicts (JSON / YAML), so any caller can hand over data as text.

``load(HalfYearReport, data)`` walks the dataclass type hints: nested dataclasses, lists of them, dates
given as ``"2026-06-20"`` or ``date`` objects. Unknown keys are an error (typos must not pass silently).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from pathlib import Path

from piiplan.reports import model


def _convert(tp, value):
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        for a in args:
            if a in (float, int) and isinstance(value, (int, float)) and not isinstance(value, bool):
                return a(value) if a is float else value
        for a in args:
            if a is str and isinstance(value, str):
                return value
        return _convert(args[0], value)
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_convert(item, v) for v in value]
    if dataclasses.is_dataclass(tp):
        return load(tp, value)
    if tp is date:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if tp is float:
        return float(value)
    return value


def load(cls, data: dict):
    """Instantiate dataclass ``cls`` from a dict, converting nested values by their type hints."""
    if isinstance(data, cls):
        return data
    hints = typing.get_type_hints(cls, vars(model))
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"{cls.__name__}: trường không hợp lệ: {', '.join(sorted(unknown))}")
    return cls(**{k: _convert(hints[k], v) for k, v in data.items()})


def load_yaml(cls, path: str | Path):
    """Load a dataclass from a YAML file."""
    import yaml

    with open(path, encoding="utf-8") as fh:
        return load(cls, yaml.safe_load(fh))

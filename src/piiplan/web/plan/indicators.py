"""The framework's indicators as the plan uses them: codes, Vietnamese names, pillars (cached)."""

from __future__ import annotations

import functools
import re

from piiplan.analysis.profile import natural_key  # noqa: F401 (the one code order: "1.2.1" < "1.10.1")

CODE_RE = re.compile(r"\b(\d+\.\d+\.\d+)\b")


def sort_codes(codes) -> list[str]:
    return sorted(set(codes), key=natural_key)


@functools.lru_cache(maxsize=4)
def _framework(name: str):
    from piiplan.engine import load_framework

    return load_framework(name)


def indicator_codes(framework: str = "pii-2025") -> list[str]:
    return list(_framework(framework).indicators)


def indicator_name(code: str, framework: str = "pii-2025") -> str:
    fw = _framework(framework)
    try:
        return str(fw.name_of(code))
    except (KeyError, LookupError):
        return ""


def pillar_of(code: str) -> str:
    return str(code).split(".")[0]


def pillar_name(pillar: str, framework: str = "pii-2025") -> str:
    return indicator_name(pillar, framework)


def labelled(codes, framework: str = "pii-2025") -> list[dict]:
    return [{"code": c, "name": indicator_name(c, framework)} for c in sort_codes(codes)]

"""The Vietnamese ↔ code glossary (`docs/glossary.md`) matches the code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "glossary.md"
SRC = ROOT / "src" / "piiplan"

# Names every layer shares (docs/STYLE: "Names: indicator, sub_pillar, pillar, …").
CORE_TERMS = {"indicator", "sub_pillar", "pillar", "sub_index", "unit", "agency", "task",
              "reporting_period", "evidence", "approval", "normalise"}
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def glossary_terms(text: str) -> dict[str, bool]:
    """Code term → planned?, from the glossary tables' second column."""
    terms: dict[str, bool] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not line.lstrip().startswith("|") or set(cells[1]) <= {"-", " "}:
            continue
        planned = "(planned)" in cells[1]
        for term in re.findall(r"`([^`]+)`", cells[1]):
            terms[term] = planned
    return terms


def snake_parts(name: str) -> list[str]:
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
    return [p for p in snake.split("_") if p]


def matches(term: str, identifier: str) -> bool:
    """``term`` is a snake_case part of ``identifier`` (last part may be plural)."""
    want, have = term.lower().split("_"), snake_parts(identifier)
    n = len(want)
    for i in range(len(have) - n + 1):
        window = have[i:i + n]
        if window[:-1] == want[:-1] and window[-1] in {want[-1], want[-1] + "s",
                                                        want[-1] + "es",
                                                        re.sub(r"ex$", "ices", want[-1]),
                                                        re.sub(r"y$", "ies", want[-1])}:
            return True
    return False


def source_identifiers(root: Path) -> set[str]:
    """Python names, attributes, arguments and identifier-like string constants under root."""
    found: set[str] = set()
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                found.add(node.id)
            elif isinstance(node, ast.Attribute):
                found.add(node.attr)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.add(node.name)
            elif isinstance(node, ast.arg):
                found.add(node.arg)
            elif isinstance(node, ast.keyword) and node.arg:
                found.add(node.arg)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and IDENT.fullmatch(node.value):
                found.add(node.value)
    return found


def defined_names(root: Path) -> set[str]:
    """Names piiplan itself defines (functions, classes, arguments, assigned variables)."""
    found: set[str] = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.add(node.name)
            elif isinstance(node, ast.arg):
                found.add(node.arg)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                found.add(node.id)
    return found


@pytest.fixture(scope="module")
def terms() -> dict[str, bool]:
    return glossary_terms(GLOSSARY.read_text(encoding="utf-8"))


def test_glossary_holds_the_shared_names(terms):
    assert CORE_TERMS <= set(terms)


def test_every_code_term_appears_in_the_source(terms):
    identifiers = source_identifiers(SRC)
    missing = [t for t, planned in terms.items()
               if not planned and not any(matches(t, i) for i in identifiers)]
    assert not missing, f"glossary terms not used in src/piiplan: {missing}"


def test_one_spelling_of_normalise():
    american = sorted(n for n in defined_names(SRC) if re.search(r"normaliz", n, re.I))
    assert not american, american


def test_matcher():
    assert matches("sub_pillar", "sub_pillar_scores")
    assert matches("reporting_period", "ReportingPeriod")
    assert matches("agency", "agencies")
    assert not matches("agency", "agent")
    assert matches("indicator", "indicators")
    assert matches("sub_index", "sub_indices")
    assert not matches("pillar", "pillarbox")
    assert not matches("task", "multitasking")
    text = "| a | b | c |\n|---|---|---|\n| chỉ số | `indicator` | x |\n| y | `task` *(planned)* | z |"
    assert glossary_terms(text) == {"indicator": False, "task": True}


def test_an_unknown_term_would_be_reported():
    identifiers = source_identifiers(SRC)
    assert not any(matches("flux_capacitor", i) for i in identifiers)

"""Docs that cannot drift: every name in the code blocks of docs/engine-api.md and docs/analysis.md exists
(with a call's number of arguments accepted), and docs/deployment.md lists exactly the environment variables
the workspace reads."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
API_DOCS = ("engine-api.md", "analysis.md")


def code_blocks(name: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (DOCS / name).read_text(encoding="utf-8"), re.S)


def namespace():
    """What the docs' variables stand for, and every public name of the engine and analysis modules."""
    from piiplan.analysis.context import IndexInputs
    from piiplan.analysis.target import TargetResult
    from piiplan.engine import Dataset, Framework, Recipe, Results
    from piiplan.engine.pipeline import Pipeline, State

    variables = {"fw": Framework, "res": Results, "ds": Dataset, "recipe": Recipe, "inputs": IndexInputs,
                 "plan": TargetResult, "pipe": Pipeline, "state": State}
    names: dict[str, object] = {}
    for package in ("piiplan.engine", "piiplan.analysis"):
        pkg = importlib.import_module(package)
        for path in sorted(Path(pkg.__file__).parent.glob("*.py")):
            module = importlib.import_module(f"{package}.{path.stem}" if path.stem != "__init__" else package)
            names.update({k: v for k, v in vars(module).items() if not k.startswith("_")})
    return variables, names


def _attr(cls, name: str):
    if name in getattr(cls, "__dataclass_fields__", {}) or name in getattr(cls, "__annotations__", {}):
        return True, None
    if not hasattr(cls, name):
        return False, None
    return True, inspect.getattr_static(cls, name)


def _accepts(func, n_args: int, keywords: list[str]) -> bool:
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return True
    params = list(sig.parameters.values())
    if params and params[0].name in ("self", "cls"):
        params = params[1:]
    sig = sig.replace(parameters=params)
    try:
        sig.bind(*([None] * n_args), **{k: None for k in keywords})
    except TypeError:
        return False
    return True


def references(block: str):
    """(object name, attribute or None, call node or None, line) for every name the block uses."""
    text = "\n".join(line.split("#", 1)[0].rstrip() for line in block.splitlines())
    text = re.sub(r"->\s*[\w\[\]|., ]+", "", text)           # "fw.parent(code) -> str | None"
    for line in text.splitlines():
        for part in re.split(r";\s+", line.strip()):
            if not part:
                continue
            try:
                tree = ast.parse(part)
            except SyntaxError:
                yield None, None, None, part
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                    call = next((c for c in ast.walk(tree) if isinstance(c, ast.Call) and c.func is node), None)
                    yield node.value.id, node.attr, call, part
                elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                    yield node.func.id, None, node, part
                elif isinstance(node, ast.ImportFrom):
                    for alias in node.names:
                        yield f"import:{node.module}", alias.name, None, part


@pytest.mark.parametrize("doc", API_DOCS)
def test_every_name_in_the_api_docs_exists(doc):
    variables, names = namespace()
    assigned = set()
    problems = []
    for block in code_blocks(doc):
        assigned |= set(re.findall(r"^from [\w.]+ import (.+)$", block, re.M) and
                        [n.strip() for names_ in re.findall(r"^from [\w.]+ import (.+)$", block, re.M)
                         for n in names_.split(",")])
        for obj, attr, call, line in references(block):
            if obj is None:
                problems.append(f"not Python: {line}")
                continue
            if obj.startswith("import:"):
                module = importlib.import_module(obj[7:])
                if not hasattr(module, attr):
                    problems.append(f"{obj[7:]}.{attr} does not exist ({line})")
                continue
            n_args = len(call.args) if call is not None else 0
            keywords = [k.arg for k in call.keywords if k.arg] if call is not None else []
            if attr is None:                                       # a bare call: name(...)
                target = names.get(obj) or variables.get(obj)
                if target is None and obj not in assigned and obj not in dir(__builtins__):
                    problems.append(f"{obj}() does not exist ({line})")
                elif target is not None and not _accepts(target, n_args, keywords):
                    problems.append(f"{obj}() does not take these arguments ({line})")
                continue
            cls = variables.get(obj) or names.get(obj)
            if cls is None:
                continue                                           # a local such as `units`
            found, member = _attr(cls, attr)
            if not found:
                problems.append(f"{obj}.{attr} does not exist on {getattr(cls, '__name__', cls)} ({line})")
            elif call is not None and callable(member) and not isinstance(member, property):
                func = member.__func__ if isinstance(member, (staticmethod, classmethod)) else member
                if not _accepts(func, n_args, keywords):
                    problems.append(f"{obj}.{attr}() does not take these arguments ({line})")
            elif call is not None and (member is None or isinstance(member, property)
                                       or isinstance(member, (str, int, float, list, dict))):
                problems.append(f"{obj}.{attr} is a value, not a method ({line})")
        assigned |= set(re.findall(r"^(\w+)\s*=", block, re.M))
    assert not problems, "\n".join(problems)


def _settings_variables() -> set[str]:
    """Environment variables the workspace reads: the typed readers in settings, and os.environ elsewhere."""
    found = set()
    web = ROOT / "src" / "piiplan" / "web"
    found |= set(re.findall(r'env_\w+\(\s*"([A-Z][A-Z0-9_]+)"', (web / "settings.py").read_text(encoding="utf-8")))
    for path in web.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z][A-Z0-9_]+)"', text))
        found |= set(re.findall(r'os\.getenv\(\s*"([A-Z][A-Z0-9_]+)"', text))
    return found - {"DJANGO_SETTINGS_MODULE"}


def _documented_variables() -> set[str]:
    text = (DOCS / "deployment.md").read_text(encoding="utf-8")
    start = text.index("| Variable |")
    table = text[start:text.index("\n\n", start)]
    return {name for row in table.splitlines()[2:] for name in re.findall(r"`([A-Z][A-Z0-9_]+)`",
                                                                        row.split("|")[1])}


def test_every_setting_is_documented_and_every_documented_setting_is_read():
    read, documented = _settings_variables(), _documented_variables()
    undocumented = sorted(read - documented)
    unread = sorted(documented - read)
    assert not undocumented, ("read by the workspace but missing from the table in docs/deployment.md: "
                              + ", ".join(undocumented))
    assert not unread, "listed in docs/deployment.md but read nowhere: " + ", ".join(unread)

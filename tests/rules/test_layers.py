"""Conventions of the module graph: no layer reaches into another's private names, no two modules import
each other, and the layers point downwards only."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted((SRC / "piiplan").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    is_package = MODULES[module].name == "__init__.py"
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def _type_checking_nodes(tree) -> set:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            out.update(id(n) for child in node.body for n in ast.walk(child))
    return out


def _imports(module: str):
    """(imported module, names) for every import in ``module``, top level or inside functions (imports only
    for type checkers left out)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    skip = _type_checking_nodes(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            names = []
            for alias in node.names:
                if f"{target}.{alias.name}" in MODULES:
                    yield f"{target}.{alias.name}", []
                else:
                    names.append(alias.name)
            if names:
                yield target, names


def layer(module: str) -> str:
    """``piiplan.engine.build`` → ``engine``; the web's apps are layers of their own (``web.pages``)."""
    parts = module.split(".")[1:]
    if parts[:1] == ["web"] and len(parts) > 2:
        return "web." + parts[1]
    return parts[0] if parts else ""


def test_no_layer_imports_another_layers_private_names():
    bad = []
    for module in MODULES:
        for target, names in _imports(module):
            if not target.startswith("piiplan") or layer(target) == layer(module):
                continue
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            private += [p for p in target.split(".") if p.startswith("_") and p != "__init__"]
            if private:
                bad.append(f"{module} imports {', '.join(private)} from {target}")
    assert not bad, "\n".join(bad)


def test_no_two_modules_import_each_other():
    graph = {m: {t for t, _ in _imports(m) if t in MODULES and t != m} for m in MODULES}
    pairs = {tuple(sorted((a, b))) for a, targets in graph.items() for b in targets if a in graph.get(b, ())}
    assert not pairs, "\n".join(f"{a} <-> {b}" for a, b in sorted(pairs))


BASE = {"numbers", "safe_cells", "upload_limits"}  # leaf helpers with no piiplan imports
LOWER = {  # what each layer may import from piiplan (the layers point downwards)
    "numbers": set(),
    "safe_cells": set(),
    "upload_limits": set(),
    "reference": BASE,
    "engine": BASE | {"engine"},
    "analysis": BASE | {"reference", "engine", "analysis"},
    "demo": BASE | {"reference", "engine", "analysis", "demo"},
    "reports": BASE | {"reference", "engine", "analysis", "demo", "reports"},
}


def test_layers_point_downwards():
    bad = []
    for module in MODULES:
        allowed = LOWER.get(layer(module))
        if allowed is None:
            continue
        for target, _ in _imports(module):
            if target.startswith("piiplan.") and target in MODULES and layer(target) not in allowed:
                bad.append(f"{module} → {target}")
    assert not bad, "\n".join(bad)

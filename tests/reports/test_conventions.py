"""The reports layer stays plain: no Django, no web, no CLI imports."""

import ast
from pathlib import Path

import piiplan.reports

SRC = Path(piiplan.reports.__file__).parent


def test_reports_import_no_django_web_or_cli():
    for path in SRC.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("django", "piiplan.web", "piiplan.cli")), f"{path.name}: {name}"


def test_modules_stay_small():
    for path in SRC.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 500, path.name

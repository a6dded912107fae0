"""analysis sits above the engine only: no Django, web or reports; every command is documented."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_analysis_imports_no_upper_layer():
    code = ("import sys, piiplan.analysis, piiplan.analysis.sensitivity\n"
            "bad = [m for m in sys.modules if m.split('.')[0] == 'django' or m.startswith(('piiplan.web', "
            "'piiplan.reports', 'piiplan.cli'))]\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_analysis_command_is_documented():
    cli = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    doc = (ROOT / "docs" / "analysis.md").read_text(encoding="utf-8")
    for cmd in ("profile", "whatif", "gains", "target", "uncertainty", "project"):
        assert f"`piiplan {cmd}" in cli, cmd
    for module in ("profile", "whatif", "gains", "target", "uncertainty", "sensitivity", "projection"):
        assert f"`{module}.py`" in doc, module

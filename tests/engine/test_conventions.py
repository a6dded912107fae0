"""The engine and the analysis stay pure: importing them loads no Django, no web, no reports."""

import subprocess
import sys


def test_engine_and_analysis_load_no_django():
    code = (
        "import sys, piiplan.engine, piiplan.analysis, piiplan.engine.export\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith(('django.', 'piiplan.web',"
        " 'piiplan.reports')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_engine_sources_do_not_mention_django():
    from pathlib import Path

    import piiplan.engine

    root = Path(piiplan.engine.__file__).parent
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import django" not in text and "from django" not in text, path

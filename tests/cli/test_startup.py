"""`piiplan` starts without numpy, pandas or Django: the command modules import them when a command runs."""

import subprocess
import sys


def test_parser_and_help_load_no_heavy_module():
    code = ("import sys, piiplan.cli as c\nc.build_parser()\n"
            "print(','.join(sorted(m for m in ('numpy', 'pandas', 'django', 'yaml', 'matplotlib', 'docx')"
            " if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == ""


def test_lazy_engine_names_are_the_real_ones():
    from piiplan import engine
    from piiplan.engine import build as build_function
    from piiplan.engine.build import build

    assert build_function is build and engine.build is build and callable(engine.build)
    assert set(engine.__all__) <= set(dir(engine))

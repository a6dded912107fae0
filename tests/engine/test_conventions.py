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


def test_large_builds_run_with_one_blas_thread(monkeypatch):
    """From SINGLE_THREAD_FROM_UNITS units on, the build runs inside a one-BLAS-thread limit (cost stays
    linear); the numbers are the same either way."""
    import contextlib

    import numpy as np
    import pandas as pd

    import sys

    from piiplan.engine import build, load_framework

    b = sys.modules["piiplan.engine.build"]     # the module (the package's ``build`` is the function)

    entered = []

    @contextlib.contextmanager
    def spy():
        entered.append(True)
        yield

    fw = load_framework("pii-2025")
    rng = np.random.default_rng(3)
    big = pd.DataFrame(rng.lognormal(1, 1, (b.SINGLE_THREAD_FROM_UNITS, len(fw.indicators))),
                       index=[f"U{i}" for i in range(b.SINGLE_THREAD_FROM_UNITS)], columns=fw.indicators)
    limited = build(fw, big, "pii")
    monkeypatch.setattr(b, "_one_blas_thread", spy)
    again = build(fw, big, "pii")
    assert entered == [True]
    np.testing.assert_array_equal(limited.aggregated.to_numpy(), again.aggregated.to_numpy())
    build(fw, big.iloc[:34], "pii")
    assert entered == [True]                                  # small builds pay nothing

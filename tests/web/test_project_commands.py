"""The README's two commands exist and CI runs exactly the README's test command."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_starts_with_the_run_and_test_commands():
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:600]
    assert "bash scripts/run.sh" in head and "bash scripts/test.sh" in head


def test_ci_runs_exactly_the_readme_test_command():
    lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert "set -e" in lines
    assert [line for line in lines if "scripts/" in line] == ["bash scripts/test.sh"]
    assert os.stat(ROOT / ".ci" / "run").st_mode & stat.S_IXUSR


def test_scripts_are_valid_bash():
    for name in ("setup.sh", "run.sh", "serve.sh", "test.sh", "_python.sh"):
        result = subprocess.run(["bash", "-n", str(ROOT / "scripts" / name)], capture_output=True, text=True)
        assert result.returncode == 0, (name, result.stderr)


def test_setup_installs_what_the_tests_need():
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    for package in ("chromium", "fonts-liberation", "fonts-dejavu-core", "libreoffice-writer-nogui",
                    "libreoffice-calc-nogui", "poppler-utils", "postgresql"):
        assert package in setup
    assert 'pip install -q -e ".[$EXTRAS]"' in setup and 'EXTRAS="dev"' in setup


def test_postgres_driver_is_an_extra_installed_where_postgresql_is_used():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not any(d.startswith("psycopg") for d in project["dependencies"])
    assert any(d.startswith("psycopg") for d in project["optional-dependencies"]["postgres"])
    assert any(d.startswith("Pillow") for d in project["dependencies"])
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert 'postgres://*|postgresql://*|pgsql://*) EXTRAS="dev,postgres"' in setup
    assert "PIIPLAN_POSTGRES=1 bash scripts/setup.sh" in (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")


def test_setup_picks_the_postgres_extra_from_database_url(tmp_path):
    """Run the extras selection of setup.sh as written, for three DATABASE_URL values."""
    import re
    import subprocess

    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    block = re.search(r'EXTRAS="dev"\n.*?PIIPLAN_POSTGRES[^\n]*\n', setup, re.S).group(0)
    for url, expected in (("", "dev"), ("sqlite:////tmp/x.sqlite3", "dev"),
                          ("postgresql://u@h:5432/db", "dev,postgres")):
        out = subprocess.run(["bash", "-c", block + 'echo "$EXTRAS"'], capture_output=True, text=True,
                             env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"}, check=True)
        assert out.stdout.strip() == expected, url


def test_the_tests_import_this_trees_package_and_so_do_their_subprocesses():
    # Another checkout's editable install must not supply the code under test (tests/conftest.py).
    import sys

    import piiplan

    src = ROOT / "src"
    assert Path(piiplan.__file__).resolve().is_relative_to(src)
    out = subprocess.run([sys.executable, "-c", "import piiplan; print(piiplan.__file__)"], capture_output=True,
                         text=True, check=True, cwd="/")
    assert Path(out.stdout.strip()).resolve().is_relative_to(src)

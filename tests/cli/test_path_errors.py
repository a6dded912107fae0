"""Every command, every path it takes: a directory, a missing file, an unwritable output, a bad encoding —
exit 2 and Vietnamese lines only, never a traceback."""

from __future__ import annotations

import re

import pytest

from piiplan.cli import main

# Commands and the arguments they need besides the path under test.
INPUT_COMMANDS = {
    "compute": ["compute", "--out", "{out}"],
    "explain": ["explain", "--unit", "Lạng Sơn", "--indicator", "1.1.1"],
    "profile": ["profile", "--unit", "Lạng Sơn"],
    "whatif": ["whatif", "--edit", "Lạng Sơn:1.1.1=50"],
    "gains": ["gains", "--unit", "Lạng Sơn"],
    "target": ["target", "--unit", "Lạng Sơn", "--rank", "20"],
    "uncertainty": ["uncertainty", "--n", "10"],
    "project": ["project"],
    "report half-year": ["report", "half-year", "--out", "{out}"],
    "report profile": ["report", "profile", "--out", "{out}"],
    "report template": ["report", "template", "--agency", "STC", "--out", "{out}"],
    "report ministry-form": ["report", "ministry-form", "--out", "{out}"],
    "report results": ["report", "results", "--out", "{out}"],
}
OUT_COMMANDS = {
    **{k: v for k, v in INPUT_COMMANDS.items() if "{out}" in v},
    "demo-data": ["demo-data", "--out", "{out}"],
}
ENGLISH = re.compile(r"Traceback|Error\b|Expecting|No such file|Errno|Is a directory|not a directory", re.I)


@pytest.fixture
def paths(tmp_path):
    folder = tmp_path / "thu-muc"
    folder.mkdir()
    afile = tmp_path / "tep.txt"
    afile.write_text("x", encoding="utf-8")
    latin = tmp_path / "latin1.csv"
    latin.write_bytes("unit,indicator,year,value\nL\xe1ng S\xf4n,1.1.1,2025,1\n".encode("latin-1")
                      .replace(b"\xe1", b"\xe1\xff"))
    return {"dir": str(folder), "missing": str(tmp_path / "khong-co.csv"), "file": str(afile),
            "latin": str(latin), "out": str(tmp_path / "ra"), "under_file": str(afile / "con")}


def run(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as exc:        # argparse
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.err


def check(code, err, what):
    assert code == 2, (what, code, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines and all(line.startswith("Lỗi:") for line in lines), (what, err)
    assert not ENGLISH.search(err), (what, err)


def fill(args, paths):
    return [a.replace("{out}", paths["out"]) for a in args]


@pytest.mark.parametrize("command", INPUT_COMMANDS)
@pytest.mark.parametrize("option", ["--data", "--framework", "--recipe"])
@pytest.mark.parametrize("kind", ["dir", "missing", "latin"])
def test_bad_input_paths(command, option, kind, paths, capsys):
    argv = fill(INPUT_COMMANDS[command], paths) + [option, paths[kind]]
    check(*run(argv, capsys), (command, option, kind))


@pytest.mark.parametrize("command", OUT_COMMANDS)
@pytest.mark.parametrize("kind", ["file", "under_file"])
def test_unwritable_outputs(command, kind, paths, capsys):
    argv = [a.replace("{out}", paths[kind]) for a in OUT_COMMANDS[command]]
    check(*run(argv, capsys), (command, kind))


@pytest.mark.parametrize("kind", ["dir", "missing", "latin"])
def test_validate_paths(kind, paths, capsys):
    check(*run(["validate", paths[kind]], capsys), kind)
    check(*run(["validate", paths["file"], "--framework", paths[kind]], capsys), kind)


@pytest.mark.parametrize("kind", ["dir", "missing", "latin"])
def test_report_inputs(kind, paths, capsys):
    check(*run(["report", "reminder", "--input", paths[kind], "--out", paths["out"]], capsys), kind)
    check(*run(["report", "half-year", "--input", paths[kind], "--out", paths["out"]], capsys), kind)

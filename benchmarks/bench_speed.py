"""Speed where it is felt, before and after, side by side (issue 15 item 9).

Each measurement runs in fresh subprocesses, for two source trees: this checkout's ``src`` ("after") and
the ``src`` of a git revision given with ``--before`` ("before", extracted with ``git archive``), so the
two columns see the same machine load. Measured:

* ``piiplan --help`` start-up, minus a bare ``python -c pass`` (what the command itself costs);
* the cold path of one process: parse the PII framework file, build the 2025 index of the demo panel and
  make its tables (ranking, scores), imports excluded (the demo's wide data tables are made first and
  reported apart: they are data loading, not the index);
* PII builds of 3,321 and 10,000 synthetic units, per unit, with the default BLAS threads and the engine's own
  setting (one thread from 500 units on).

    python benchmarks/bench_speed.py --before 5816313 [--write docs/performance.md]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COLD = r"""
import importlib, json, sys, time
# imports excluded: every module the path loads, including those the engine loads on first use
for name in ("piiplan.engine", "piiplan.engine.build", "piiplan.engine.pipeline", "piiplan.engine.results",
             "piiplan.engine.tables", "piiplan.engine.treat", "piiplan.engine.impute", "piiplan.engine.normalise",
             "piiplan.engine.aggregate", "piiplan.engine.denominate", "piiplan.engine.screen", "piiplan.engine.rank",
             "piiplan.upload_limits", "piiplan.demo", "piiplan.reference"):
    try:
        importlib.import_module(name)
    except ImportError:
        pass
from piiplan.engine import build
from piiplan.demo import load_demo
from piiplan.engine.framework import Framework
from piiplan.reference import framework_path
ds = load_demo()
path = framework_path("pii-2025")
t = time.perf_counter()
wide, den, hist = ds.wide(2025), ds.denominator_table(2025), ds.history(2025)
groups = ds.units.drop(columns=["name"], errors="ignore")
t0 = time.perf_counter()
fw = Framework.read(path)
t1 = time.perf_counter()
res = build(fw, wide, "pii", groups=groups, denominators=den, history=hist, year=2025)
t2 = time.perf_counter()
res.ranking(fw.root); res.aggregated; res.ranks
t3 = time.perf_counter()
print(json.dumps({"data": t0 - t, "parse": t1 - t0, "build": t2 - t1, "tables": t3 - t2, "total": t3 - t0}))
"""

SCALE = r"""
import json, sys, time, statistics
sys.path.insert(0, %(bench)r)
from bench_engine import synthetic
from piiplan.engine import build, load_framework, preset
fw, r = load_framework("pii-2025"), preset("pii")
out = {}
for n in (340, 3321, 10000):
    d = synthetic(fw, n)
    build(fw, d, r)
    def t():
        runs = []
        for _ in range(5 if n < 1000 else 2):
            a = time.perf_counter(); build(fw, d, r); runs.append(time.perf_counter() - a)
        return statistics.median(runs)
    out[n] = t()
print(json.dumps(out))
"""


def run(code: str, src: Path) -> dict:
    env = {"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True,
                         timeout=600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def wall(argv: list[str], src: Path, repeat: int = 5) -> float:
    env = {"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, *argv], capture_output=True, env=env, check=True, timeout=120)
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def measure(trees: dict[str, Path], rounds: int = 5) -> dict[str, dict]:
    """Every measurement, alternating between the trees round after round (so both see the same load);
    medians over the rounds."""
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    for _ in range(rounds):
        for name, src in trees.items():
            runs[name].append({"bare": wall(["-c", "pass"], src, 3), "cli": wall(["-m", "piiplan.cli", "--help"], src, 3),
                               "cold": run(COLD, src),
                               "scale": run(SCALE % {"bench": str(ROOT / "benchmarks")}, src)})
    out = {}
    for name, rs in runs.items():
        med = lambda values: statistics.median(values)   # noqa: E731
        out[name] = {"bare": med(r["bare"] for r in rs), "cli": med(r["cli"] for r in rs),
                     "cold": {k: med(r["cold"][k] for r in rs) for k in rs[0]["cold"]},
                     "scale": {k: med(r["scale"][k] for r in rs) for k in rs[0]["scale"]}}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", required=True, help="git revision to compare with (e.g. main's base)")
    ap.add_argument("--write", help="append the table to this Markdown file")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.before, "src"], capture_output=True,
                                 check=True).stdout
        with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
            tar.extractall(tmp)
        both = measure({"before": Path(tmp) / "src", "after": ROOT / "src"})
    before, after = both["before"], both["after"]
    ms = lambda s: f"{s * 1000:,.1f} ms".replace(",", " ")   # noqa: E731
    rows = [("`piiplan --help` start, minus `python -c pass`", before["cli"] - before["bare"],
             after["cli"] - after["bare"]),
            ("`python -c pass` (the machine's own start-up)", before["bare"], after["bare"]),
            ("cold path: parse the PII framework file", before["cold"]["parse"], after["cold"]["parse"]),
            ("cold path: build 34 × 52 (demo 2025)", before["cold"]["build"], after["cold"]["build"]),
            ("cold path: tables (ranking, scores, ranks)", before["cold"]["tables"], after["cold"]["tables"]),
            ("cold path: total", before["cold"]["total"], after["cold"]["total"]),
            ("(before the cold path) the demo's wide tables, long → wide", before["cold"]["data"],
             after["cold"]["data"])]
    for n in ("340", "3321", "10000"):
        rows.append((f"PII build, {int(n):,} units × 52".replace(",", " "), before["scale"][n], after["scale"][n]))
    lines = [f"| measurement | before (`{args.before}`) | after |", "|---|---|---|"]
    lines += [f"| {name} | {ms(b)} | {ms(a)} |" for name, b, a in rows]
    per = lambda d: ", ".join(f"{int(n):,} → {d[n] / int(n) * 1e6:.2f} µs/unit".replace(",", " ")  # noqa: E731
                              for n in ("340", "3321", "10000"))
    lines += ["", f"Cost per unit, before: {per(before['scale'])}; after: {per(after['scale'])}."]
    text = "\n".join(lines)
    print(text)
    if args.write:
        path = Path(args.write)
        path.write_text(path.read_text(encoding="utf-8").rstrip() + "\n\n" + text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""Engine timings, in one process: a 34 × 52 PII build, a 3,321 × 52 build (every commune of the
country), scaling in the number of units, and COINr's Case 3 (100 replications, replayed exactly).

Run: python benchmarks/bench_engine.py [--write docs/performance.md]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

from piiplan.engine import Framework, build, load_framework, preset, read_data

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "coinr-asem"


def timeit(fn, repeat: int, number: int) -> float:
    """Best-of-``repeat`` median seconds per call."""
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        runs.append((time.perf_counter() - t) / number)
    return statistics.median(runs)


def synthetic(fw: Framework, n: int, seed: int = 1) -> pd.DataFrame:
    """n units with skewed, correlated, 2 %-missing raw values (the shape of real provincial data)."""
    rng = np.random.default_rng(seed)
    m = len(fw.indicators)
    base = rng.normal(size=(n, 1))
    X = np.exp(0.6 * base + rng.normal(scale=0.8, size=(n, m)))
    X[rng.random((n, m)) < 0.02] = np.nan
    return pd.DataFrame(X, index=[f"U{i:05d}" for i in range(n)], columns=fw.indicators)


def case3_seconds() -> float:
    fw = Framework.from_csv(GOLDEN / "asem_imeta.csv")
    wide = read_data(GOLDEN / "asem_raw_idata.csv", fw).wide(indicators=fw.indicators)
    wts = pd.read_csv(GOLDEN / "asem_ua_para_weights.csv")
    norm = pd.read_csv(GOLDEN / "asem_ua_para_norm.csv").set_index("rep")["f_n"]
    base = preset("coinr")
    recipes = []
    for rep in range(1, 101):
        w = wts[wts["rep"] == rep]
        r = base.set("aggregate.weights", {str(c): float(v) for c, v in zip(w["iCode"], w["Weight"])})
        if norm[rep] == "n_zscore":
            r = r.set("normalise.method", "zscore").set("normalise.mean", 10).set("normalise.sd", 2)
        recipes.append(r)

    def run_full():
        fw.__dict__.pop("_compiled", None)
        for r in recipes:
            build(fw, wide, r)

    return timeit(run_full, repeat=3, number=1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", help="append the results to this Markdown file")
    args = ap.parse_args()
    fw = load_framework("pii-2025")
    recipe = preset("pii")
    rows = []
    d34 = synthetic(fw, 34)
    t34 = timeit(lambda: build(fw, d34, recipe), repeat=7, number=200)
    rows.append(("PII build, 34 × 52 (skewed synthetic data: every indicator winsorised or logged)", t34))
    from piiplan.demo import load_demo

    demo = load_demo()
    wide, groups = demo.wide(2025, fw.indicators), demo.units.drop(columns=["name"])
    rows.append(("PII build, 34 × 52 (the demo panel, 2025)",
                 timeit(lambda: build(fw, wide, recipe, groups=groups), repeat=7, number=200)))
    for n in (340, 3321, 10000):
        d = synthetic(fw, n)
        rows.append((f"PII build, {n:,} × 52", timeit(lambda: build(fw, d, recipe), repeat=5, number=5)))
    full = case3_seconds()
    rows.append(("COINr Case 3: 100 full rebuilds of ASEM 51 × 49", full))
    machine = f"{platform.processor() or platform.machine()}, {platform.system()} {platform.release()}, " \
              f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}"
    lines = ["| benchmark | time |", "|---|---|"]
    for name, sec in rows:
        lines.append(f"| {name} | {sec * 1000:.3f} ms |")
    per_unit = [(n, s) for (name, s), n in zip(rows[2:5], (340, 3321, 10000))]
    lines.append("")
    lines.append("Cost per unit: " + ", ".join(f"{n:,} units → {s / n * 1e6:.2f} µs/unit" for n, s in per_unit))
    text = "\n".join(lines)
    print(machine)
    print(text)
    if args.write:
        path = Path(args.write)
        path.write_text(path.read_text(encoding="utf-8") + f"\n\nMachine: {machine}\n\n{text}\n"
                        if path.exists() else text, encoding="utf-8")


if __name__ == "__main__":
    main()

"""Analysis timings on the demo panel (34 provinces × 52 indicators, 2025) and on COINr's ASEM cases.

Targets (issue 4): 10,000 Monte Carlo replications of the 34 × 52 index in ≤ 2 s (COINr: 5.7–7.0 s for
100 rebuilds of ASEM on this machine); the target-rank optimiser for four places in ≤ 2 s.

Run: python benchmarks/bench_analysis.py [--repeat 5] [--write docs/performance.md]
(``--write`` replaces the "## Analysis" section of the file, or appends it; other sections are kept.)
"""

from __future__ import annotations

import argparse
import platform
import re
import statistics
import time
from pathlib import Path

import pandas as pd

from piiplan.analysis.context import IndexInputs
from piiplan.analysis.gains import marginal_gains
from piiplan.analysis.profile import profile
from piiplan.analysis.projection import project
from piiplan.analysis.sensitivity import sensitivity
from piiplan.analysis.target import default_bounds, optimise
from piiplan.analysis.uncertainty import Assumptions, monte_carlo, replay
from piiplan.analysis.whatif import what_if
from piiplan.demo import demo_framework, load_demo
from piiplan.engine import Framework, read_data

ASEM = Path("/work/shared/reference/coinr-asem")
UNIT = "Lạng Sơn"


def timeit(fn, repeat: int) -> tuple[float, float]:
    fn()                                   # warm-up (imports, caches)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), max(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--write", help="Markdown file whose '## Analysis' section is replaced (or appended)")
    args = ap.parse_args()
    fw, ds = demo_framework(), load_demo()
    inp = IndexInputs.from_dataset(fw, ds, 2025, "pii")
    prev = IndexInputs.from_dataset(fw, ds, 2024, "pii")
    bounds = default_bounds(fw, ds, 2025)
    a = Assumptions.default()
    rows = [
        ("Monte Carlo, 10.000 lần lặp, 34 × 52 (trọng số ±25% ba cấp, 2 chuẩn hoá, xử lý có/không, "
         "2 cách gán)", "≤ 2 s", timeit(lambda: monte_carlo(inp, a, n=10_000, seed=1, k=25), args.repeat)),
        ("Monte Carlo, 100 lần lặp, 34 × 52", "", timeit(lambda: monte_carlo(inp, a, n=100, seed=1), args.repeat)),
        ("Sobol, N = 1.000 (6.000 lần tính), hạng của Lạng Sơn", "",
         timeit(lambda: sensitivity(inp, a, n=1000, seed=1, unit=UNIT, n_boot=100), args.repeat)),
        ("Tối ưu hạng: Lạng Sơn 29 → ≤ 25 (4 bậc)", "≤ 2 s",
         timeit(lambda: optimise(inp, UNIT, 25, bounds=bounds, ladder=0), args.repeat)),
        ("Tối ưu hạng 4 bậc + thang nỗ lực 1…8 bậc", "",
         timeit(lambda: optimise(inp, UNIT, 25, bounds=bounds, ladder=8), args.repeat)),
        ("Hồ sơ tỉnh (có so sánh năm trước)", "", timeit(lambda: profile(inp, UNIT, previous=prev), args.repeat)),
        ("Lợi ích biên, 52 chỉ số", "", timeit(lambda: marginal_gains(inp, UNIT), args.repeat)),
        ("Giả định (what-if), 1 giá trị", "", timeit(lambda: what_if(inp, [(UNIT, "6.3.1", 80.0)]), args.repeat)),
        ("Dự báo năm tới (2 phương pháp, có kế hoạch)", "",
         timeit(lambda: project(fw, ds, 2025, "pii", plan={UNIT: {"6.3.1": 5.0}}), args.repeat)),
    ]
    coinr = []
    if ASEM.exists():
        afw = Framework.from_csv(ASEM / "asem_imeta.csv")
        ainp = IndexInputs.from_dataset(afw, read_data(ASEM / "asem_raw_idata.csv", afw), recipe="coinr")
        w = pd.read_csv(ASEM / "asem_ua_para_weights.csv").rename(columns={"iCode": "code", "Weight": "weight"})
        spec = {"n_minmax": {"method": "minmax"}, "n_zscore": {"method": "zscore", "mean": 10.0, "sd": 2.0}}
        norms = [spec[f] for f in pd.read_csv(ASEM / "asem_ua_para_norm.csv").sort_values("rep").f_n]
        case4 = Assumptions(weight_noise={2: 0.25, 3: 0.25}, normalisation=list(spec.values()))
        coinr = [
            ("ASEM Case 3: 100 lần lặp (phát lại)", "5,7–7,0 s", timeit(lambda: replay(ainp, w, norms), args.repeat)),
            ("ASEM Case 4: Sobol N = 100 (400 lần tính)", "25–27 s",
             timeit(lambda: sensitivity(ainp, case4, n=100, seed=1, output="mean_abs_rank_change"), args.repeat)),
        ]
    lines = [f"| {name} | {fmt(med)} | {fmt(mx)} | {target} |" for name, target, (med, mx) in rows]
    lines += [f"| {name} | {fmt(med)} | {fmt(mx)} | COINr {ref} |" for name, ref, (med, mx) in coinr]
    table = "\n".join(["| Phép tính | trung vị (s) | lớn nhất (s) | mục tiêu / COINr |", "|---|---|---|---|"] + lines)
    print(table)
    if args.write:
        section = (f"## Analysis\n\n`python benchmarks/bench_analysis.py` — {args.repeat} runs each after one "
                   f"warm-up, on the shipped demo panel (2025) and COINr's ASEM reference cases. Machine: "
                   f"{platform.machine()}, {_cores()} cores, Python {platform.python_version()}. COINr figures are "
                   f"those of `reference/coinr-asem/README.md`, measured on this machine.\n\n{table}\n")
        path = Path(args.write)
        old = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
        pat = re.compile(r"^## Analysis\n.*?(?=^## |\Z)", re.S | re.M)
        new = pat.sub(lambda _: section + "\n", old) if pat.search(old) else old.rstrip("\n") + "\n\n" + section
        path.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def _cores() -> int:
    import os

    return os.cpu_count() or 1


def fmt(v: float) -> str:
    return f"{v:.3f}"


if __name__ == "__main__":
    main()

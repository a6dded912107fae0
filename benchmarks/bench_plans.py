"""Realistic target plans (issue 10): every province of the demo panel × every target 1–8 places up.

Each case runs what the web job and ``piiplan target`` run: reach from the panel, the anytime exact search
under the time budget (default 10 s), the Monte Carlo probability (1.000 seeded draws, margin raised until
the plan holds with P ≥ 0,8) and, when no plan is within a year's reach, the multi-year pathway to 2030.
Reports the number of cases, feasible ones, proven optimal ones, plan rows beyond their default reach
(must be 0), the median and the worst time, and the worst case.

Run: python benchmarks/bench_plans.py [--budget 10] [--places 8] [--units "Lạng Sơn,Lai Châu"] [--write docs/performance.md]
(the full sweep takes several minutes on one core; ``--write`` replaces the "## Realistic plans" section.)
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from datetime import date
from pathlib import Path

from piiplan.analysis.context import IndexInputs
from piiplan.analysis.realistic import PlanOptions, plan_target
from piiplan.demo import demo_framework, load_demo


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", type=float, default=10.0)
    ap.add_argument("--places", type=int, default=8)
    ap.add_argument("--units", default="")
    ap.add_argument("--write")
    args = ap.parse_args(argv)
    ds, fw = load_demo(), demo_framework()
    inputs = IndexInputs.from_dataset(fw, ds)
    ranks = inputs.build().ranks[fw.root]
    units = [u.strip() for u in args.units.split(",") if u.strip()] or list(ranks.index)
    times, rows = [], []
    beyond = feasible = optimal = 0
    for unit in units:
        for up in range(1, args.places + 1):
            k = int(ranks[unit]) - up
            if k < 1:
                continue
            t0 = time.perf_counter()
            out = plan_target(fw, ds, unit, k, options=PlanOptions(time_budget=args.budget, as_of=date(2026, 3, 1)))
            dt = time.perf_counter() - t0
            times.append(dt)
            feasible += out.feasible
            optimal += out.feasible and out.optimal
            beyond += sum(abs(r.change) > r.default_reach * (1 + 1e-9) + 1e-12 for r in out.rows if not r.overridden)
            rows.append((dt, unit, k, out.feasible, out.optimal, out.probability))
            print(f"{unit:<24} → {k:>2}: {dt:5.2f} s  {'khả thi' if out.feasible else 'không'}"
                  f"{'' if out.optimal else ' (chưa tối ưu)'}", flush=True)
    worst = max(rows)
    text = (f"## Realistic plans\n\n{len(times)} cases (34 provinces × 1–{args.places} places up, demo panel 2025), "
            f"time budget {args.budget:g} s, 1.000 Monte Carlo draws, P ≥ 0,8, pathway to 2030.\n\n"
            f"| cases | feasible in one year | proven optimal | rows beyond default reach | median | worst |\n"
            f"|---|---|---|---|---|---|\n"
            f"| {len(times)} | {feasible} | {optimal} | {beyond} | {statistics.median(times):.2f} s | "
            f"{worst[0]:.2f} s ({worst[1]} → {worst[2]}) |\n")
    print(text)
    if args.write:
        path = Path(args.write)
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if "## Realistic plans" in old:
            old = re.sub(r"## Realistic plans\n.*?(?=\n## |\Z)", text.rstrip() + "\n", old, flags=re.S)
        else:
            old = old.rstrip() + "\n\n" + text
        path.write_text(old, encoding="utf-8")
    return 0 if beyond == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

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
import os
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
    # hardest first (the lowest-ranked provinces), so a partial run already holds the worst cases
    units = [u.strip() for u in args.units.split(",") if u.strip()] or list(ranks.sort_values(ascending=False).index)
    times, cpus, rows = [], [], []
    total = sum(min(args.places, int(ranks[u]) - 1) for u in units)
    beyond = feasible = optimal = 0
    for unit in units:
        for up in range(1, args.places + 1):
            k = int(ranks[unit]) - up
            if k < 1:
                continue
            t0, c0 = time.perf_counter(), time.process_time()
            out = plan_target(fw, ds, unit, k, options=PlanOptions(time_budget=args.budget, as_of=date(2026, 3, 1)))
            dt, cpu = time.perf_counter() - t0, time.process_time() - c0
            times.append(dt)
            cpus.append(cpu)
            feasible += out.feasible
            optimal += out.feasible and out.optimal
            beyond += sum(abs(r.change) > r.default_reach * (1 + 1e-9) + 1e-12 for r in out.rows if not r.overridden)
            rows.append((dt, unit, k, out.feasible, out.optimal, out.probability))
            print(f"{unit:<24} → {k:>2}: {dt:5.2f} s (CPU {cpu:5.2f} s)  {'khả thi' if out.feasible else 'không'}"
                  f"{'' if out.optimal else ' (chưa tối ưu)'}", flush=True)
            if args.write and len(times) % 10 == 0:
                _write(args.write, _table(args, times, cpus, rows, feasible, optimal, beyond, total))
    text = _table(args, times, cpus, rows, feasible, optimal, beyond, total)
    print(text)
    if args.write:
        _write(args.write, text)
    return 0 if beyond == 0 else 1


def _table(args, times, cpus, rows, feasible, optimal, beyond, total) -> str:
    worst = max(rows)
    worst_cpu = max(cpus)
    done = "" if len(times) == total else f" (partial run: {len(times)} of {total} cases done)"
    return (f"## Realistic plans\n\n`python benchmarks/bench_plans.py --write docs/performance.md`: "
            f"{len(times)} cases{done} (34 provinces × 1–{args.places} places up, demo panel 2025), time budget "
            f"{args.budget:g} s, 1.000 Monte Carlo draws, P ≥ 0,8, pathway to 2030. Wall time depends on the load "
            f"of the machine (load average at the end of this run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores); CPU time is the "
            f"process's own.\n\n"
            f"| cases | feasible in one year | proven optimal | rows beyond default reach | median (wall / CPU) | "
            f"worst wall | worst CPU |\n|---|---|---|---|---|---|---|\n"
            f"| {len(times)} | {feasible} | {optimal} | {beyond} | {statistics.median(times):.2f} s / "
            f"{statistics.median(cpus):.2f} s | {worst[0]:.2f} s ({worst[1]} → {worst[2]}) | {worst_cpu:.2f} s |\n")


def _write(target: str, text: str) -> None:
    path = Path(target)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if "## Realistic plans" in old:
        old = re.sub(r"## Realistic plans\n.*?(?=\n## |\Z)", text.rstrip() + "\n", old, flags=re.S)
    else:
        old = old.rstrip() + "\n\n" + text
    path.write_text(old, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())

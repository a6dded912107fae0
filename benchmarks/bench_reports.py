"""Report timings: the half-year report DOCX on a full-size input (52 indicators, 61 tasks, 24 evidence
documents, three appendices), plus the other writers. Target: the half-year DOCX in at most 3 s.

The input is the report test fixture (tests/reports/fixtures/half_year.yaml, synthetic data): the demo
panel has index values but no plan tasks, and the tasks and appendices are what make the report long.

Run: python benchmarks/bench_reports.py [--repeat 5] [--write docs/performance.md]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

from piiplan.reports.agency_template import write_agency_template
from piiplan.reports.half_year import write_half_year_report
from piiplan.reports.loading import load_yaml
from piiplan.reports.model import (AgencyTemplate, HalfYearReport, ProvinceProfile, ReminderLetter,
                                   TemplateIndicator)
from piiplan.reports.profile import write_profile
from piiplan.reports.reminder import write_reminder_letter

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "reports" / "fixtures"
TARGET_S = 3.0


def timeit(fn, repeat: int) -> tuple[float, float]:
    """(median, max) seconds of ``repeat`` calls."""
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), max(runs)


def inputs():
    half = load_yaml(HalfYearReport, FIXTURES / "half_year.yaml")
    profile = load_yaml(ProvinceProfile, FIXTURES / "profile.yaml")
    reminder = load_yaml(ReminderLetter, FIXTURES / "reminder.yaml")
    template = AgencyTemplate("Sở Tài chính", "STC", "Lạng Sơn", 2026,
                              [TemplateIndicator(r.code, r.name, r.unit, "", r.base_value) for r in half.indicators])
    return half, profile, reminder, template


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--write", help="append the results to this Markdown file (under '## Reports')")
    args = ap.parse_args(argv)
    half, profile, reminder, template = inputs()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        rows = [
            ("Báo cáo 6 tháng (DOCX, 52 chỉ số, %d nhiệm vụ)" % len(half.tasks),
             timeit(lambda: write_half_year_report(half, out / "bc.docx"), args.repeat)),
            ("Hồ sơ tỉnh (DOCX, có biểu đồ)", timeit(lambda: write_profile(profile, out / "hs.docx"), args.repeat)),
            ("Công văn đôn đốc (DOCX)", timeit(lambda: write_reminder_letter(reminder, out / "cv.docx"), args.repeat)),
            ("Biểu thu thập số liệu (XLSX, 52 chỉ số)",
             timeit(lambda: write_agency_template(template, out / "bieu.xlsx"), args.repeat)),
        ]
    machine = f"{platform.processor() or platform.machine()}, Python {platform.python_version()}"
    lines = ["| Output | median (s) | max (s) |", "|---|---|---|"]
    lines += [f"| {name} | {med:.3f} | {mx:.3f} |" for name, (med, mx) in rows]
    half_med = rows[0][1][0]
    verdict = "within" if half_med <= TARGET_S else "OVER"
    text = "\n".join(lines) + f"\n\nHalf-year DOCX: {half_med:.2f} s, {verdict} the {TARGET_S:.0f} s target."
    print(text)
    if args.write:
        path = Path(args.write)
        old = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
        source = "the full-size test fixture (synthetic)"
        section = (f"\n## Reports\n\n`python benchmarks/bench_reports.py` — {args.repeat} runs each, on {source}. "
                   f"Machine: {machine}.\n\n{text}\n")
        path.write_text(old.rstrip("\n") + "\n" + section, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

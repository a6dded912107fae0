"""Data import timings: preview (check + read + validate every touched year) and confirm (re-read,
merge, store, activate) of long-table CSV files of 34 provinces × 52 indicators × N years, in a
throwaway SQLite workspace. Then a one-year file again, to show that later imports are not slowed by
the earlier ones.

Run:  python benchmarks/bench_imports.py [--years 1 3 10 26] [--write docs/performance.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARK = "<!-- bench_imports -->"


def setup_django(folder: Path) -> None:
    os.environ["PIIPLAN_VAR_DIR"] = str(folder)
    os.environ["DJANGO_SETTINGS_MODULE"] = "piiplan.web.settings"
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def long_csv(years: int, start: int = 2025) -> bytes:
    """The demo panel's latest year repeated over ``years`` years (values varied), as a long table."""
    import pandas as pd

    from piiplan.demo import load_demo

    demo = load_demo()
    last = demo.values[demo.values["year"] == demo.years[-1]]
    frames = [last.assign(year=start - i, value=last["value"] * (1 + 0.003 * i)) for i in range(years)]
    return pd.concat(frames).to_csv(index=False).encode("utf-8")


def run(years_list: list[int]) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import RequestFactory

    from piiplan.web.indexdata import imports, service

    user = get_user_model().objects.create_user("bench", password="x-bench-only", role="dost_staff")
    request = RequestFactory().post("/")
    request.user = user
    rows = []
    for label, years in [*[(f"{y} năm", y) for y in years_list], ("1 năm, sau các lượt trên", 1)]:
        body = long_csv(years)
        upload = SimpleUploadedFile(f"dai-{years}.csv", body)
        service.clear_memo()
        t0 = time.perf_counter()
        batch = imports.start(upload, user)
        t1 = time.perf_counter()
        assert batch.status == "draft", batch.problems[:3]
        imports.confirm(batch, request)
        t2 = time.perf_counter()
        rows.append({"label": label, "rows": body.count(b"\n") - 1, "kb": len(body) / 1024,
                     "preview": t1 - t0, "confirm": t2 - t1})
        print(f"{label:>26}: {rows[-1]['rows']:>6} dòng, {rows[-1]['kb']:>7.0f} kB — xem trước {t1 - t0:5.2f} s, "
              f"xác nhận {t2 - t1:5.2f} s", flush=True)
    return rows


def table(rows: list[dict]) -> str:
    def vi(x: float, d: int = 2) -> str:
        return f"{x:,.{d}f}".replace(",", " ").replace(".", ",")

    lines = [MARK, "", "| Tệp (34 tỉnh × 52 chỉ số) | Dòng | Kích thước | Xem trước | Xác nhận |",
             "|---|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['label']} | {r['rows']} | {vi(r['kb'] / 1024, 1)} MB | {vi(r['preview'])} s | "
                     f"{vi(r['confirm'])} s |")
    lines += ["", f"_{platform.processor() or platform.machine()}, Python {platform.python_version()}, SQLite; "
                  f"`python benchmarks/bench_imports.py`_", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, nargs="+", default=[1, 3, 10, 26])
    parser.add_argument("--write", type=Path, help="replace the import section of this Markdown file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="piiplan-bench-imports-") as folder:
        setup_django(Path(folder))
        rows = run(args.years)
    if args.write:
        text = args.write.read_text(encoding="utf-8")
        block = table(rows)
        if MARK in text:
            head, _, rest = text.partition(MARK)
            tail = rest.split("\n\n_", 1)[1].split("\n", 1)[1] if "\n\n_" in rest else ""
            text = head + block + tail
        else:
            text = text.rstrip("\n") + "\n\n## Imports\n\n" + block
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

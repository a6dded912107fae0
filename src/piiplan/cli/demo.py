"""`piiplan demo` and `piiplan demo-data` — the synthetic demo panel (see docs/demo-data.md)."""

from __future__ import annotations

import os

from piiplan.cli._common import fmt, guarded
from piiplan.engine import InputError

PROVINCE_ENV = "PIIPLAN_PROVINCE"
DEFAULT_PROVINCE = "Lạng Sơn"


def register(sub) -> None:
    """Add this family's sub-commands to the top-level parser."""
    from piiplan.demo import DEFAULT_SEED

    p = sub.add_parser("demo", help="xếp hạng PII và tóm tắt một tỉnh từ dữ liệu mô phỏng đi kèm")
    p.add_argument("--unit", "-u", default=None,
                   help=f"tỉnh cần tóm tắt (mặc định: biến môi trường {PROVINCE_ENV} hoặc «{DEFAULT_PROVINCE}»)")
    p.add_argument("--year", type=int, help="năm (mặc định: năm mới nhất, 2025)")
    p.set_defaults(func=guarded(demo))

    p = sub.add_parser("demo-data", help="sinh lại bộ dữ liệu mô phỏng đã hiệu chỉnh và báo cáo hiệu chỉnh")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="hạt giống ngẫu nhiên (mặc định: %(default)s)")
    p.add_argument("--out", "-o", required=True, help="thư mục ghi các tệp")
    p.set_defaults(func=guarded(demo_data))


def _province(arg: str | None) -> str:
    from piiplan.reference import ReferenceDataError, resolve_province

    name = arg or os.environ.get(PROVINCE_ENV) or DEFAULT_PROVINCE
    try:
        return resolve_province(name)
    except ReferenceDataError as exc:
        raise InputError(str(exc)) from None


def demo(args) -> int:
    from piiplan.demo import SYNTHETIC_LABEL, demo_framework, load_demo
    from piiplan.demo.summary import summarise
    from piiplan.engine import build_dataset

    unit = _province(args.unit)
    fw = demo_framework()
    ds = load_demo()
    year = args.year if args.year is not None else ds.years[-1]
    if year not in ds.years:
        raise InputError(f"Không có số liệu năm {year}; các năm có: {', '.join(map(str, ds.years))}.")
    res = build_dataset(fw, ds, year, "pii")
    n = len(res.units)
    a = res.aggregated
    print(f"{SYNTHETIC_LABEL.upper()}")
    print()
    print(f"Bảng xếp hạng {fw.root} năm {year} ({n} tỉnh, thành phố)")
    width = max(len(u) for u in res.units)
    print(f"{'Hạng':>4}  {'Tỉnh, thành phố':<{width}}  {'PII':>6}  {'Đầu vào':>7}  {'Đầu ra':>7}")
    for u, row in res.ranking().iterrows():
        mark = "  ◀" if u == unit else ""
        print(f"{int(row['rank']):>4}  {u:<{width}}  {fmt(row['score']):>6}  {fmt(a.at[u, 'INPUT']):>7}  "
              f"{fmt(a.at[u, 'OUTPUT']):>7}{mark}")
    s = summarise(res, unit)
    print()
    print(f"{unit} — năm {year}")
    print(f"  Điểm PII: {fmt(s.score)}, hạng {s.rank}/{n}")
    print(f"  Chỉ số thành phần đầu vào: {fmt(s.input)} (hạng {s.input_rank}/{n}); "
          f"đầu ra: {fmt(s.output)} (hạng {s.output_rank}/{n})")
    print("  Các trụ cột so với trung bình cả nước:")
    for r in s.pillars.itertuples(index=False):
        side = "cao hơn" if r.above else "thấp hơn"
        print(f"    {r.code}. {r.name}: {fmt(r.score)} (hạng {int(r.rank)}/{n}; trung bình {fmt(r.mean)}) "
              f"— {side} trung bình")
    for title, codes in (("Năm thế mạnh (thứ hạng tốt nhất trong các tỉnh)", s.strengths),
                         ("Năm điểm yếu (thứ hạng thấp nhất trong các tỉnh)", s.weaknesses)):
        print(f"  {title}:")
        for i, code in enumerate(codes, 1):
            print(f"    ({i}) {code} {fw.name_of(code)}: hạng {int(res.ranks.at[unit, code])}/{n}, "
                  f"điểm chuẩn hoá {fmt(a.at[unit, code])}")
    print()
    print(f"({SYNTHETIC_LABEL}.)")
    return 0


def demo_data(args) -> int:
    from piiplan.demo.calibrate import CalibrationError
    from piiplan.demo.generate import generate, write

    try:
        panel = generate(args.seed)
    except CalibrationError:
        print(f"Lỗi: với hạt giống {args.seed} không hiệu chỉnh được bộ dữ liệu đạt mọi mục tiêu; "
              "hãy thử hạt giống khác.")
        return 1
    paths = write(panel, args.out)
    cal = panel.calibration
    print(f"Đã sinh dữ liệu mô phỏng (hạt giống {panel.seed}, luồng {panel.attempt}): "
          f"{len(panel.units)} tỉnh × {len(panel.raw)} năm × {len(panel.framework.indicators)} chỉ số.")
    print(f"Hiệu chỉnh: đạt {int(cal['ok'].sum())}/{len(cal)} mục tiêu (xem calibration.md).")
    print(f"Đã ghi {len(paths)} tệp vào {args.out}: {', '.join(p.name for p in paths)}")
    return 0

"""`piiplan compute`, `piiplan explain`, `piiplan validate` — the engine on the command line."""

from __future__ import annotations

from pathlib import Path

from piiplan.cli._common import add_input_args, dump_json, fmt, guarded, load_inputs, read_user_data, synthetic_label
from piiplan.engine.errors import DataError, FrameworkError, InputError


def register(sub) -> None:
    p = sub.add_parser("compute", help="tính chỉ số từ khung + số liệu, ghi các bảng kết quả")
    add_input_args(p)
    p.add_argument("--out", "-o", required=True, help="thư mục kết quả")
    p.add_argument("--no-xlsx", action="store_true", help="không ghi tệp Excel")
    p.set_defaults(func=guarded(compute))

    p = sub.add_parser("explain", help="giải thích một ô: gốc → xử lý → chuẩn hoá → đóng góp")
    add_input_args(p)
    p.add_argument("--unit", "-u", required=True, help="đơn vị (tỉnh), ví dụ \"Lạng Sơn\"")
    p.add_argument("--indicator", "-i", required=True, help="mã chỉ số hoặc mã nhóm/trụ cột, ví dụ 1.2.1")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=guarded(explain))

    p = sub.add_parser("validate", help="kiểm tra một tệp khung chỉ số hoặc số liệu")
    p.add_argument("path", help="tệp cần kiểm tra")
    p.add_argument("--framework", "-f", help="khung chỉ số dùng để kiểm tra mã (mặc định: PII 2025)")
    p.set_defaults(func=guarded(validate))


def compute(args) -> int:
    from piiplan.engine import build_dataset
    from piiplan.engine.export import write_outputs

    fw, ds, recipe, year = load_inputs(args)
    res = build_dataset(fw, ds, year, recipe)
    label = synthetic_label(ds)
    written = write_outputs(res, args.out, xlsx=not args.no_xlsx, label=label)
    root = fw.root
    if label:
        print(label.upper())
    print(f"Đã tính {fw.root} năm {year}: {len(res.units)} đơn vị × {len(fw.indicators)} chỉ số "
          f"(công thức «{recipe.name}»).")
    top = res.ranking(root).head(5)
    for unit, row in top.iterrows():
        print(f"  {int(row['rank']):>3}. {unit}: {fmt(row['score'])}")
    print(f"Đã ghi {len(written)} tệp vào {args.out}")
    return 0


def explain(args) -> int:
    from piiplan.engine import build_dataset

    fw, ds, recipe, year = load_inputs(args)
    res = build_dataset(fw, ds, year, recipe)
    info = res.explain(args.unit, args.indicator)
    label = synthetic_label(ds)
    if args.json:
        dump_json({**info, "data_label": label} if label else info)
        return 0
    if label:
        print(label.upper())
    print(f"{info['unit']} — {info['code']} {info['name']} (năm {year})")
    print(f"  Điểm: {fmt(info['score'])}; hạng {fmt(info['rank'], 0)}/{info['n_units']}; "
          f"trung bình cả nước {fmt(info['mean'])}")
    labels = {"raw": "Giá trị gốc", "denominated": "Sau chia mẫu số", "imputed": "Sau gán giá trị thiếu",
              "screened": "Sau sàng lọc", "treated": "Sau xử lý ngoại lai", "normalised": "Điểm chuẩn hoá"}
    for step in info.get("trail", []):
        skipped = " (bước này không áp dụng trong công thức)" if step.get("skipped") else ""
        print(f"  {labels[step['stage']]}: {fmt(step['value'], 4)}{skipped}")
    if "treatment" in info:
        t = info["treatment"]
        print(f"  Xử lý ngoại lai: {t['rule_vi']}")
        for c in info["contributions"]:
            if c["weight_share"] is not None:
                print(f"  Đóng góp vào {c['code']} ({c['name']}): tỷ trọng {fmt(100 * c['weight_share'])}% "
                      f"→ {fmt(c['points'])} điểm")
    for c in info.get("children", []):
        share = "" if c["weight_share"] is None else f", tỷ trọng {fmt(100 * c['weight_share'])}%"
        print(f"  {c['code']} {c['name']}: {fmt(c['score'])} điểm, hạng {fmt(c['rank'], 0)}{share}")
    return 0


def validate(args) -> int:
    from piiplan.engine import Framework, load_framework

    path = Path(args.path)
    kind = _guess_kind(path)
    if kind == "framework":
        fw = Framework.read(path)
        n = {lv: len(fw.codes_at(lv)) for lv in range(1, fw.levels + 1)}
        print(f"Khung chỉ số hợp lệ: {n[1]} chỉ số, {fw.levels} cấp ("
              + ", ".join(f"cấp {lv}: {k}" for lv, k in n.items()) + f"), gốc «{fw.root}».")
        return 0
    fw = Framework.read(args.framework) if args.framework else load_framework("pii-2025")
    ds = read_user_data(path, fw)
    missing = ds.values["value"].isna().mean() * 100
    print(f"Số liệu hợp lệ: {len(ds.units)} đơn vị, {len(ds.indicators)} chỉ số, năm "
          f"{', '.join(map(str, ds.years))}; {fmt(missing, 1)}% ô trống.")
    for year in ds.years:
        present = set(ds.values.loc[ds.values["year"] == year, "unit"])
        absent = [u for u in ds.units.index if u not in present]
        if absent:
            print(f"Lưu ý: năm {year} không có số liệu của {len(absent)} đơn vị: {', '.join(absent[:8])}"
                  + ("…" if len(absent) > 8 else "") + ".")
        lacking = [c for c in fw.indicators if c not in set(ds.values.loc[ds.values["year"] == year, "indicator"])]
        if lacking:
            print(f"Lưu ý: năm {year} thiếu hẳn {len(lacking)} chỉ số: {', '.join(lacking[:8])}"
                  + ("…" if len(lacking) > 8 else "") + ".")
    return 0


def _guess_kind(path: Path) -> str:
    from piiplan.engine.tables import read_csv_text

    if path.suffix.lower() in (".yaml", ".yml"):
        return "framework"
    if path.suffix.lower() == ".csv" and path.exists():
        try:
            cols = set(read_csv_text(path).columns)
        except InputError:
            return "data"
        if {"code", "parent"} <= cols or {"iCode", "Parent", "Level"} <= cols:
            return "framework"
    return "data"


__all__ = ["register", "DataError", "FrameworkError"]

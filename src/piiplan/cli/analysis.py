"""`piiplan profile | whatif | gains | target | uncertainty | project` — decision support (docs/analysis.md)."""

from __future__ import annotations

import math

from piiplan.cli._analysis_args import (ProgressBar, _at_least, _edits, _fail, _inputs, _label_json, _print_label,
                                         _rank, _unit)
from piiplan.cli._common import add_input_args, dump_json, fmt, guarded


EDIT_HELP = ("thay đổi số liệu, cùng một nghĩa ở mọi lệnh: MÃ=GIÁ_TRỊ đặt giá trị mới (\"Lạng Sơn:6.3.1=80\"), "
             "MÃ+=Δ hoặc MÃ-=Δ cộng/trừ (\"6.3.1+=5\"), MÃ=+10%% hoặc MÃ=-5%% thay đổi theo phần trăm; "
             "lặp lại được")


def register(sub) -> None:
    p = sub.add_parser("profile", help="hồ sơ một tỉnh: điểm/hạng mọi cấp, điểm mạnh/yếu, so với trung bình")
    add_input_args(p)
    p.add_argument("--unit", "-u", required=True, help="tỉnh, ví dụ \"Lạng Sơn\"")
    p.add_argument("--rule", choices=("province", "gii"), default="province",
                   help="quy tắc điểm mạnh/yếu: province = quy tắc báo cáo tỉnh (theo hạng, mặc định) hoặc "
                        "gii = quy tắc GII (theo thứ hạng phần trăm)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=guarded(profile_cmd))

    p = sub.add_parser("whatif", help="đổi số liệu gốc và tính lại toàn bộ chỉ số")
    add_input_args(p)
    p.add_argument("--unit", "-u", help="tỉnh mặc định cho các --edit không ghi tỉnh")
    p.add_argument("--edit", "-e", action="append", required=True, metavar="[TỈNH:]MÃ=GIÁ_TRỊ",
                   help=EDIT_HELP)
    p.add_argument("--top", type=_positive_int, default=10, help="số tỉnh thay đổi nhiều nhất được in (mặc định 10)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=guarded(whatif_cmd))

    p = sub.add_parser("gains", help="điểm PII thu được trên mỗi đơn vị / mỗi 10%% cải thiện của từng chỉ số")
    add_input_args(p)
    p.add_argument("--unit", "-u", required=True, help="tỉnh")
    p.add_argument("--top", type=_positive_int, default=15, help="số chỉ số được in (mặc định 15)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=guarded(gains_cmd))

    p = sub.add_parser("target", help="phương án ít nỗ lực nhất, trong tầm một năm, để đạt hạng mục tiêu")
    add_input_args(p)
    p.add_argument("--unit", "-u", required=True, help="tỉnh")
    p.add_argument("--rank", "-k", type=int, required=True, help="hạng mục tiêu (đạt hạng ≤ k)")
    p.add_argument("--fix", action="append", default=[], metavar="MÃ", help="chỉ số không thể thay đổi")
    p.add_argument("--bound", action="append", default=[], metavar="MÃ=X",
                   help="đặt rõ mức cải thiện tối đa trong một năm (đơn vị gốc), thay cho tầm mặc định tính từ "
                        "số liệu các tỉnh; được ghi trên phương án")
    p.add_argument("--reach", default="100", metavar="PHÂN_VỊ",
                   help="tầm cải thiện một năm = phân vị này của các mức cải thiện đã thấy (100 = tốt nhất, "
                        "mặc định; ví dụ 90); chỉ số cơ cấu và khảo sát bên ngoài dùng mức điển hình (trung vị)")
    p.add_argument("--weight", action="append", default=[], metavar="MÃ=W", help="trọng số nỗ lực (mặc định 1)")
    p.add_argument("--steps", type=int, default=10, help="số bước chia tầm cải thiện (mặc định 10)")
    p.add_argument("--competitors", choices=("trend", "still"), default="trend",
                   help="các tỉnh khác đi theo xu hướng riêng (mặc định) hoặc đứng yên")
    p.add_argument("--probability", default="0.8", metavar="P",
                   help="xác suất giữ hạng tối thiểu khi các tỉnh khác biến động (0–1, mặc định 0,8; 0 = không kiểm tra)")
    p.add_argument("--draws", type=int, default=1000, help="số lần lặp Monte Carlo (mặc định 1.000)")
    p.add_argument("--seed", type=int, default=2030, help="hạt giống ngẫu nhiên (mặc định 2030)")
    p.add_argument("--time", default="10", metavar="GIÂY", help="thời gian tìm kiếm tối đa (giây, mặc định 10)")
    p.add_argument("--ladder", type=int, default=8, help="tính nỗ lực cho 1…N bậc (mặc định 8; 0 = bỏ qua)")
    p.add_argument("--margin", type=float, default=0.0,
                   help="khoảng cách an toàn tối thiểu (điểm PII) phải hơn các tỉnh xếp sau (mặc định 0)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=guarded(_target_cmd))

    p = sub.add_parser("uncertainty", help="phân tích bất định Monte Carlo (và độ nhạy Sobol)")
    add_input_args(p)
    p.add_argument("--n", type=int, default=1000, help="số lần lặp (mặc định 1000)")
    p.add_argument("--seed", type=int, default=None, help="hạt giống ngẫu nhiên (để tái lập)")
    p.add_argument("--unit", "-u", help="tỉnh cần xem (và đầu ra của phân tích độ nhạy)")
    p.add_argument("--k", type=int, help="tính xác suất đạt hạng ≤ k")
    p.add_argument("--noise", type=float, default=0.25, help="biên độ nhiễu trọng số mỗi cấp (mặc định 0,25)")
    p.add_argument("--sobol", action="store_true", help="thêm chỉ số độ nhạy Sobol (N·(d+2) lần tính)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=guarded(uncertainty_cmd))

    p = sub.add_parser("project", help="dự báo hạng năm tới theo xu hướng từng tỉnh, có/không có kế hoạch")
    add_input_args(p)
    p.add_argument("--unit", "-u", help="tỉnh có kế hoạch")
    p.add_argument("--target-rank", type=int, help="áp dụng phương án tối ưu đạt hạng ≤ k cho tỉnh --unit")
    p.add_argument("--edit", "-e", action="append", default=[], metavar="[TỈNH:]MÃ=GIÁ_TRỊ",
                   help=EDIT_HELP + " (áp dụng lên giá trị dự báo năm tới)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=guarded(project_cmd))


# ---- commands ----------------------------------------------------------------------------------------

def _target_cmd(args) -> int:
    from piiplan.cli.target import target_cmd

    return target_cmd(args)


def profile_cmd(args) -> int:
    from piiplan.analysis.context import IndexInputs
    from piiplan.analysis.profile import RULE_VI, profile

    fw, ds, inputs = _inputs(args)
    unit = _unit(inputs, args.unit)
    prev = None
    earlier = [y for y in ds.years if y < inputs.year]
    if earlier:
        prev = IndexInputs.from_dataset(fw, ds, earlier[-1], inputs.recipe)
    p = profile(inputs, unit, previous=prev, rule=args.rule)
    if args.json:
        dump_json({**_label_json(ds), **p.to_dict()})
        return 0
    _print_label(ds)
    s = p.summary
    print(f"{unit} — {fw.root} năm {inputs.year}: {fmt(s['score'])} điểm, hạng {_rank(s['rank'])}/{s['n_units']} "
          f"(trung bình cả nước {fmt(s['national_mean'])})")
    if "rank_prev" in s:
        print(f"  Năm {s['year_prev']}: hạng {_rank(s['rank_prev'])}, {fmt(s['score_prev'])} điểm; "
              f"thay đổi {fmt(s['score_change'])} điểm, {_signed(s['rank_change'])} bậc")
    print("Các cấp:")
    # top-down in tree order: PII, INPUT, 1, 1.1, 1.2, 2, …, OUTPUT, 6, …
    order = [c for c in _tree_order(fw, fw.root) if c in p.levels.index and p.levels.at[c, "level"] > 1]
    for code, r in p.levels.loc[order].iterrows():
        reg = f", vùng {fmt(r['region_mean'])}" if "region_mean" in r else ""
        print(f"  {code:<7} {r['name'][:48]:<48} {fmt(r['score']):>7}  hạng {_rank(r['rank']):>3}  "
              f"(TB cả nước {fmt(r['national_mean'])}{reg})")
    for title, df in (("Điểm mạnh", p.strengths), ("Điểm yếu", p.weaknesses)):
        print(f"{title} ({RULE_VI.get(p.rule, p.rule)}):")
        for code, r in df.iterrows():
            print(f"  {code:<7} hạng {_rank(r['rank']):>3}  {r['name']}")
    below = p.indicators[p.indicators.position == "dưới"].sort_values("gap_points")
    print(f"Chỉ số dưới trung bình cả nước: {len(below)} (thiếu hụt lớn nhất trước)")
    for code, r in below.head(10).iterrows():
        print(f"  {code:<7} {fmt(r['raw'], 3)} so với TB {fmt(r['national_mean_raw'], 3)} {r['unit_of_measure']} "
              f"({fmt(r['gap_points'])} điểm)")
    if p.change is not None and not p.change.empty:
        ch = p.change[p.change.level == fw.levels - 2] if fw.levels > 2 else p.change
        print("Đóng góp vào thay đổi điểm theo trụ cột:")
        for code, r in ch.sort_values("contribution").iterrows():
            print(f"  {code:<7} {fmt(r['contribution'], 3):>7} điểm; nếu không có thay đổi này: hạng "
                  f"{_rank(r['rank_without'])}")
    return 0


def _signed(v) -> str:
    return ("+" if v > 0 else "") + fmt(v, 0)


def whatif_cmd(args) -> int:
    from piiplan.analysis.whatif import what_if

    fw, ds, inputs = _inputs(args)
    edits = _edits(inputs, args.edit, args.unit)
    w = what_if(inputs, edits)
    if args.json:
        dump_json({**_label_json(ds), **w.to_dict()})
        return 0
    _print_label(ds)
    for e in w.edits:
        print(f"{e.unit} — {e.indicator}: {fmt(e.old, 4)} → {fmt(e.new, 4)}")
    for n in w.notes:
        print(f"  Lưu ý: {n}")
    t = w.table
    moved = t.reindex(t.score_change.abs().sort_values(ascending=False).index).head(args.top)
    print("Tỉnh thay đổi nhiều nhất:")
    for u, r in moved.iterrows():
        print(f"  {u:<28} {fmt(r.score_before)} → {fmt(r.score_after)}  hạng {_rank(r.rank_before)} → "
              f"{_rank(r.rank_after)}")
    return 0


def gains_cmd(args) -> int:
    from piiplan.analysis.gains_effort import effort_gains
    from piiplan.analysis.gains import Gains
    from piiplan.analysis.levers import CLASSES
    from piiplan.analysis.reach import reach_model

    fw, ds, inputs = _inputs(args)
    unit = _unit(inputs, args.unit)
    table = effort_gains(inputs, unit, reach_model(fw, ds, inputs.year))
    res = inputs.build()
    g = Gains(unit, float(res.aggregated.at[unit, fw.root]), float(res.ranks.at[unit, fw.root]), table)
    if args.json:
        dump_json({**_label_json(ds), **g.to_dict()})
        return 0
    _print_label(ds)
    print(f"{unit}: {fmt(g.score)} điểm, hạng {_rank(g.rank)}. Điểm PII cho một năm tiến bộ tốt nhất từng thấy ở "
          f"từng chỉ số (cột sau: trong tầm một năm; +10 %):")
    for code, r in table.head(args.top).iterrows():
        warn = f"  ⚠ {r.warnings}" if isinstance(r.warnings, str) and r.warnings else ""
        print(f"  {code:<7} +{fmt(r.points_per_year, 3)} điểm/năm tiến bộ tốt nhất; trong tầm một năm "
              f"+{fmt(r.points_reach, 3)} ({_signed(r.places_reach)} bậc); +10 %: +{fmt(r.points_10pct, 3)}  "
              f"[{CLASSES.get(r.lever_class, r.lever_class)}] {r['name'][:50]}{warn}")
    wasted = table[table.warnings.fillna("") != ""]
    if len(wasted):
        print(f"Có {len(wasted)} chỉ số kèm cảnh báo (xem --json).")
    return 0


def uncertainty_cmd(args) -> int:
    from piiplan.analysis.sensitivity import sensitivity
    from piiplan.analysis.uncertainty import GROUP_VI, Assumptions, monte_carlo

    fw, ds, inputs = _inputs(args)
    unit = _unit(inputs, args.unit) if args.unit else None
    _at_least(args.n, 1, "Số lần lặp --n", " (nên dùng ít nhất 100, tốt hơn 1.000)")
    if not (math.isfinite(args.noise) and 0 <= args.noise < 1):
        _fail(f"Biên độ nhiễu trọng số --noise phải trong khoảng [0; 1) (ví dụ 0,25 = ±25%); nhận được "
              f"{fmt(args.noise)}.")
    if args.k is not None and not 1 <= args.k <= len(inputs.units):
        _fail(f"--k phải từ 1 đến {len(inputs.units)} (số tỉnh trong dữ liệu); nhận được {args.k}.")
    a = Assumptions.default()
    a.weight_noise = {lv: args.noise for lv in range(2, fw.levels)} if args.noise > 0 else {}
    res = monte_carlo(inputs, a, n=args.n, seed=args.seed, k=args.k, progress=ProgressBar("Monte Carlo"))
    sens = None
    if args.sobol:
        sens = sensitivity(inputs, a, n=max(args.n // 6, 50), seed=args.seed,
                           output="rank" if unit else "mean_abs_rank_change", unit=unit,
                           progress=ProgressBar("Độ nhạy Sobol"))
    if args.json:
        out = {**_label_json(ds), **res.to_dict([unit] if unit else None)}
        if sens is not None:
            out["sensitivity"] = sens.to_dict()
        dump_json(out)
        return 0
    _print_label(ds)
    stats = res.rank_stats
    rows = stats.loc[[unit]] if unit else stats.sort_values("nominal")
    print(f"{args.n} lần lặp: nhiễu trọng số ±{fmt(100 * args.noise, 0)}%, chuẩn hoá min-max/z-score, "
          f"xử lý ngoại lai có/không, gán giá trị thiếu không/trung bình.")
    for u, r in rows.iterrows():
        p = f", P(hạng ≤ {args.k}) = {fmt(100 * r[f'p_rank_le_{args.k}'], 1)}%" if args.k else ""
        print(f"  {u:<28} hạng {_rank(r['nominal']):>3}; trung vị {fmt(r['median'], 1)}; "
              f"khoảng 5–95%: {fmt(r['q5'], 1)}–{fmt(r['q95'], 1)}{p}")
    if sens is not None:
        print("Độ nhạy (Sobol, bậc một / toàn phần):")
        for name, r in sens.indices.iterrows():
            print(f"  {GROUP_VI.get(name, name):<22} {fmt(r.Si, 2)} [{fmt(r.Si_q5, 2)}; {fmt(r.Si_q95, 2)}] / "
                  f"{fmt(r.STi, 2)} [{fmt(r.STi_q5, 2)}; {fmt(r.STi_q95, 2)}]")
    return 0


def project_cmd(args) -> int:
    from piiplan.analysis.projection import project, trend_years
    from piiplan.analysis.realistic import PlanOptions, plan_target

    fw, ds, inputs = _inputs(args)
    years = trend_years(ds, inputs.year)
    if len(years) < 2:
        _fail(f"Tính đến năm {inputs.year} chỉ có số liệu của một năm: không tính được xu hướng nên không dự báo "
              f"được năm {inputs.year + 1}; cần số liệu ít nhất hai năm (bộ dữ liệu có các năm "
              f"{', '.join(map(str, ds.years))}).")
    edits = _edits(inputs, args.edit, args.unit)
    plan: dict[str, dict[str, float]] = {}
    if args.target_rank is not None:
        unit = _unit(inputs, args.unit)
        if not 1 <= args.target_rank <= len(inputs.units):
            _fail(f"Hạng mục tiêu phải từ 1 đến {len(inputs.units)} (số tỉnh trong dữ liệu); nhận được "
                  f"{args.target_rank}.")
        out = plan_target(fw, ds, unit, args.target_rank, year=inputs.year, recipe=inputs.recipe,
                          options=PlanOptions(probability=0.0, pathway_until=inputs.year))
        if not out.feasible:
            # not reachable is a result, not a user error: exit 1, as `piiplan target`
            if args.json:
                dump_json({**_label_json(ds), "target": out.to_dict()})
            else:
                _print_label(ds)
                print(f"Không tìm được phương án trong tầm một năm. {out.reason}")
            return 1
        plan = {unit: {r.code: r.change for r in out.rows}}
    p = project(fw, ds, inputs.year, inputs.recipe, plan=plan or None, edits=edits)
    planned = bool(plan or edits)
    if args.json:
        dump_json({**_label_json(ds), **p.to_dict()})
        return 0
    _print_label(ds)
    print(f"Dự báo {fw.root} năm {p.target_year} theo xu hướng {p.first_year}–{p.year} "
          f"(tuyến tính / tăng trưởng kép){' và có kế hoạch' if planned else ''}:")
    show = p.table if not args.unit else p.table.loc[[_unit(inputs, args.unit)]]
    for u, r in show.iterrows():
        extra = ""
        if planned:
            extra = f"; có kế hoạch: {_rank(r['rank_linear_plan'])} / {_rank(r['rank_compound_plan'])}"
        print(f"  {u:<28} hạng {_rank(r['rank'])} → {_rank(r['rank_linear'])} / {_rank(r['rank_compound'])}{extra}")
    return 0


def _tree_order(fw, code: str) -> list[str]:
    out = [code]
    for child in fw.children(code):
        out.extend(_tree_order(fw, child))
    return out


def _positive_int(text: str) -> int:
    """argparse type: a whole number ≥ 1 (argparse turns the ValueError into a Vietnamese 'Lỗi:' line)."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» không phải số nguyên") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"phải là số nguyên ≥ 1 (đang là {value})")
    return value

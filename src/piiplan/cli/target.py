"""`piiplan target` — the realistic target plan (docs/analysis.md, *Realistic target plans*)."""

from __future__ import annotations

from piiplan.cli._common import dump_json, fmt
from piiplan.cli._analysis_args import (ProgressBar, _at_least, _fail, _inputs, _known_codes, _label_json, _number,
                                         _pairs, _print_label, _rank, _unit)


def _target_options(args, inputs):
    """Check every `target` option before the search (user errors exit 2) → PlanOptions."""
    from piiplan.analysis.realistic import PlanOptions

    n_units = len(inputs.units)
    if not 1 <= args.rank <= n_units:
        _fail(f"Hạng mục tiêu phải từ 1 đến {n_units} (số tỉnh trong dữ liệu); nhận được {args.rank}.")
    _at_least(args.steps, 1, "--steps")
    _at_least(args.margin, 0, "--margin")
    _at_least(args.ladder, 0, "--ladder")
    bounds = _pairs(args.bound, "--bound")
    weights = _pairs(args.weight, "--weight")
    for option, codes in (("--fix", args.fix), ("--bound", bounds), ("--weight", weights)):
        _known_codes(inputs, [str(c).strip() for c in codes], option)
    for code, v in bounds.items():
        _at_least(v, 0, f"Mức cải thiện tối đa của {code} (--bound)")
    for code, w in weights.items():
        if w <= 0:
            _fail(f"Trọng số nỗ lực của {code} phải > 0 (nhận được {fmt(w)}); để giữ nguyên chỉ số, dùng "
                  f"--fix {code}.")
    probability = _number(args.probability, "--probability")
    if not 0 <= probability <= 1:
        _fail(f"--probability (xác suất giữ hạng) phải trong khoảng 0–1, ví dụ 0,8; nhận được {fmt(probability)}.")
    reach = _number(args.reach, "--reach")
    if not 0 < reach <= 100:
        _fail(f"--reach (phân vị mức cải thiện) phải trong khoảng (0; 100], 100 = mức tốt nhất từng thấy; "
              f"nhận được {fmt(reach)}.")
    seconds = _number(args.time, "--time")
    if not 0 < seconds <= 600:
        _fail(f"--time (thời gian tìm kiếm) phải từ 0 đến 600 giây; nhận được {fmt(seconds)}.")
    if args.draws < 100:
        _fail(f"--draws (số lần lặp Monte Carlo) phải ≥ 100, nên dùng 1.000; nhận được {args.draws}.")
    return PlanOptions(percentile=reach, bounds=bounds, weights=weights,
                       fixed=tuple(str(c).strip() for c in args.fix), margin=args.margin,
                       competitors=args.competitors, probability=probability, draws=args.draws, seed=args.seed,
                       time_budget=seconds, steps=args.steps, ladder=args.ladder)


def target_cmd(args) -> int:
    from piiplan.analysis.realistic import PlanOptionError, plan_target

    fw, ds, inputs = _inputs(args)
    unit = _unit(inputs, args.unit)
    options = _target_options(args, inputs)
    bar = ProgressBar("Đang tìm phương án")
    try:
        out = plan_target(fw, ds, unit, args.rank, year=inputs.year, recipe=inputs.recipe, options=options,
                          progress=lambda share, _text: bar(int(100 * share), 100))
    except PlanOptionError as exc:
        _fail(str(exc))
    if args.json:
        dump_json({**_label_json(ds), **out.to_dict()})
        return 0 if out.feasible else 1
    _print_label(ds)
    print_plan(out)
    return 0 if out.feasible else 1


def print_plan(out) -> None:
    """The realistic plan as text (the same facts as the web page and the JSON)."""
    from piiplan.analysis.levers import CLASSES

    o = out.options
    print(f"{out.unit}: hạng hiện tại {_rank(out.rank_before)} ({fmt(out.score_before)} điểm), mục tiêu ≤ "
          f"{out.target_rank}; các tỉnh khác {'theo xu hướng riêng' if out.competitors == 'trend' else 'đứng yên'}")
    reach = "mức tốt nhất từng thấy" if o.percentile >= 100 else f"phân vị {fmt(o.percentile, 0)} của các mức đã thấy"
    print(f"Tầm một năm: {reach} (chỉ số cơ cấu, khảo sát bên ngoài: mức điển hình); nỗ lực tính bằng năm tiến bộ "
          f"tốt nhất (1,00 = mức một tỉnh từng đạt trong một năm)."
          + (f" Giới hạn đặt tay: {', '.join(f'{c}={fmt(v, 4)}' for c, v in o.bounds.items())}." if o.bounds else ""))
    if not out.feasible:
        print(f"Không tìm được phương án trong tầm một năm. {out.reason}")
        if out.pathway:
            print(f"Lộ trình nhiều năm (mỗi năm trong tầm một năm, đến {o.pathway_until}):")
            for y in out.pathway:
                held = ("" if y.get("probability") is None
                        else f"; xác suất giữ hạng {fmt(100 * y['probability'], 0)} %")
                print(f"  {y['year']}: mục tiêu hạng {y['target_rank']}, đạt hạng {_rank(y['rank'])}; "
                      f"{len(y['changes'])} chỉ số, nỗ lực {fmt(y['effort'])}{held}")
        return
    if not out.rows:
        print(f"Mục tiêu đã đạt: {out.unit} đang ở hạng {_rank(out.rank_before)} (≤ {out.target_rank}); không cần "
              f"cải thiện chỉ số nào." + _holding_text(out))
        _print_ladder(out)
        return
    state = "tối ưu" if out.optimal else f"chưa chứng minh tối ưu, có thể giảm tối đa {fmt(out.gap)}"
    print(f"Phương án ({len(out.rows)} chỉ số, tổng nỗ lực {fmt(out.effort)} năm tiến bộ tốt nhất; {state}):")
    for r in out.rows:
        pct = f" ({'+' if r.change >= 0 else ''}{fmt(r.change_pct, 1)} %)" if r.change_pct is not None else ""
        flag = " [giới hạn đặt tay]" if r.overridden else ""
        print(f"  {r.code:<7} {fmt(r.value_from, 4)} → {fmt(r.value_to, 4)}{pct}  +{fmt(r.points, 3)} điểm  "
              f"nỗ lực {fmt(r.effort)}  PII {r.edition} (số liệu {r.data_year})  {r.name}{flag}")
        print(f"          {CLASSES.get(r.lever_class, r.lever_class)}: {r.rationale}")
    print(f"Kết quả tính lại: hạng {_rank(out.rank_after)}, {fmt(out.score_after)} điểm; hơn tỉnh xếp sau "
          f"{fmt(out.margin, 3)} điểm." + _holding_text(out))
    _print_ladder(out)


def _holding_text(out) -> str:
    if out.probability is None:
        return ""
    text = (f" Xác suất giữ hạng khi các tỉnh khác đi theo xu hướng và biến động như đã thấy: "
            f"{fmt(100 * out.probability, 1)} % ({fmt(out.draws, 0)} lần lặp, hạt giống {out.options.seed}).")
    if out.holds is False and out.timed_out:
        text += (f" Hết thời gian trước khi tìm được phương án đạt xác suất ≥ {fmt(100 * out.options.probability, 0)} %"
                 f"; đây là phương án chắc chắn nhất đã tìm được (tăng --time).")
    elif out.holds is False:
        text += (f" Không có phương án nào trong tầm một năm đạt xác suất ≥ {fmt(100 * out.options.probability, 0)} %;"
                 f" đây là phương án chắc chắn nhất tìm được.")
    return text


def _print_ladder(out) -> None:
    if out.ladder:
        print("Nỗ lực cần cho từng bậc (năm tiến bộ tốt nhất):")
        for r in out.ladder:
            e = fmt(r["effort"]) if r["feasible"] else "không đạt được trong tầm một năm"
            print(f"  +{r['places_up']} bậc (hạng {r['target_rank']}): {e}")

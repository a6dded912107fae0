"""`piiplan report …` — official outputs (see docs/reports.md and docs/cli.md).

The commands build the plain inputs of :mod:`piiplan.reports` from the engine results (on the shipped
synthetic demo panel unless ``--data`` is given) and, for the texts only people can write (the half-year
narrative, the tasks, a letter's items), from a YAML/JSON file given with ``--input``.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path

from piiplan.cli._common import add_input_args, guarded, load_inputs
from piiplan.engine.errors import InputError

KINDS = ("half-year", "annual", "ad-hoc")
PROVINCE_ENV = "PIIPLAN_PROVINCE"
DEFAULT_PROVINCE = "Lạng Sơn"


def register(sub) -> None:
    """Add this family's sub-commands to the top-level parser."""
    p = sub.add_parser("report", help="xuất báo cáo, hồ sơ tỉnh, công văn, biểu mẫu (DOCX/PDF/XLSX)")
    rsub = p.add_subparsers(dest="report_command", metavar="LOẠI")
    for kind, help_vi in (("half-year", "báo cáo 6 tháng gửi UBND tỉnh"), ("annual", "báo cáo năm gửi UBND tỉnh"),
                          ("ad-hoc", "báo cáo đột xuất gửi UBND tỉnh")):
        q = rsub.add_parser(kind, help=help_vi)
        _common(q)
        q.add_argument("--input", "-i", help="tệp YAML/JSON nội dung báo cáo (các mục I–V, nhiệm vụ, minh chứng)")
        q.add_argument("--target-rank", type=int, help="hạng mục tiêu của Kế hoạch (để tính khoảng cách)")
        q.add_argument("--target-year", type=int, help="năm đạt hạng mục tiêu")
        q.set_defaults(func=guarded(half_year), kind=kind)
    q = rsub.add_parser("profile", help="hồ sơ tỉnh 2 trang (điểm, hạng, biểu đồ trụ cột, bảng chỉ số)")
    _common(q)
    q.set_defaults(func=guarded(profile))
    q = rsub.add_parser("reminder", help="công văn đôn đốc một cơ quan (nội dung từ tệp --input)")
    q.add_argument("--input", "-i", required=True, help="tệp YAML/JSON của công văn (cơ quan, các nhiệm vụ)")
    q.add_argument("--out", "-o", required=True, help="thư mục ghi tệp")
    q.add_argument("--pdf", action="store_true", help="ghi thêm bản PDF (cần LibreOffice)")
    q.set_defaults(func=guarded(reminder))
    q = rsub.add_parser("template", help="biểu thu thập số liệu (XLSX) cho một cơ quan")
    _common(q, pdf=False)
    q.add_argument("--agency", "-a", required=True, help="mã cơ quan trong danh sách của tỉnh, ví dụ STC")
    q.add_argument("--indicators", help="các mã chỉ số, cách nhau bởi dấu phẩy (mặc định: tất cả)")
    q.set_defaults(func=guarded(template))
    q = rsub.add_parser("ministry-form", help="bảng số liệu để nhập vào biểu mẫu trực tuyến của Bộ (XLSX)")
    _common(q, pdf=False)
    q.set_defaults(func=guarded(ministry_form))
    q = rsub.add_parser("results", help="sổ kết quả đầy đủ (mọi bước, điểm, hạng, nhật ký xử lý, công thức)")
    _common(q, pdf=False)
    q.set_defaults(func=guarded(results))


def _common(p, pdf: bool = True) -> None:
    add_input_args(p)
    p.add_argument("--unit", "-u", default=None,
                   help=f"tỉnh, thành phố (mặc định: biến môi trường {PROVINCE_ENV} hoặc «{DEFAULT_PROVINCE}»)")
    p.add_argument("--out", "-o", required=True, help="thư mục ghi tệp")
    if pdf:
        p.add_argument("--pdf", action="store_true", help="ghi thêm bản PDF (cần LibreOffice)")


def _province(unit: str | None) -> str:
    from piiplan.reference import ReferenceDataError, resolve_province

    try:
        return resolve_province(unit or os.environ.get(PROVINCE_ENV) or DEFAULT_PROVINCE)
    except ReferenceDataError as exc:
        raise InputError(str(exc)) from None


def _results(args, year=None):
    from piiplan.engine import build_dataset

    args.unit = args.unit or os.environ.get(PROVINCE_ENV) or DEFAULT_PROVINCE
    fw, ds, recipe, data_year = load_inputs(args)
    year = data_year if year is None else year
    res = build_dataset(fw, ds, year, recipe)
    from piiplan.reference import ReferenceDataError, match_unit

    try:
        args.unit = match_unit(args.unit, res.units)
    except ReferenceDataError as exc:
        raise InputError(f"{exc} Ví dụ: {', '.join(res.units[:3])}.") from None
    previous = build_dataset(fw, ds, year - 1, recipe) if year - 1 in ds.years else None
    synthetic = not args.data
    return fw, ds, res, previous, synthetic


def _read_input(path: str) -> dict:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"Không tìm thấy tệp nội dung {p.name}.")
    text = p.read_text(encoding="utf-8")
    if p.suffix.lower() == ".json":
        return json.loads(text)
    import yaml

    return yaml.safe_load(text) or {}


def _done(paths, want_pdf: bool, out: Path) -> int:
    from piiplan.reports.errors import ReportError
    from piiplan.reports.pdf import to_pdf

    for path in paths:
        print(f"Đã ghi {path}")
        if want_pdf:
            try:
                print(f"Đã ghi {to_pdf(path, out)}")
            except ReportError as exc:
                print(f"Lỗi: {exc}")
                return 2
    return 0


def organisation(unit: str | None = None):
    """The issuing organisation of every document the CLI writes (``piiplan.reports.organisation``).

    Its province is the workspace's (``PIIPLAN_PROVINCE``) or else ``unit``. Run with the web's database
    (``DATABASE_URL`` set), the CLI reads the row the DoST admin saved in the workspace, so documents from
    both carry the same issuing body and signer; otherwise the province file's defaults."""
    from piiplan.reports.organisation import defaults

    try:
        province = _province(os.environ.get(PROVINCE_ENV) or unit)
    except InputError:  # a unit of the user's own data that is not a province: the default province
        province = _province(DEFAULT_PROVINCE)
    if os.environ.get("DATABASE_URL"):
        try:
            import django

            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "piiplan.web.settings")
            django.setup()
            from piiplan.web.documents import organisation as from_web

            return from_web(province)
        except Exception as exc:  # the CLI still writes documents with the defaults
            print(f"Cảnh báo: không đọc được thông tin cơ quan ban hành từ cơ sở dữ liệu ({type(exc).__name__}); "
                  "dùng thông tin mặc định của tỉnh.", file=sys.stderr)
    return defaults(province)


def _issuer(unit: str):
    return organisation(unit).issuer()


def half_year(args) -> int:
    from piiplan.reports import from_results as fr
    from piiplan.reports.half_year import write_half_year_report
    from piiplan.reports.loading import load
    from piiplan.reports.model import DocumentHeader, HalfYearReport, TaskProgress

    data = _read_input(args.input) if args.input else {}
    fw, ds, res, previous, synthetic = _results(args)
    unit = args.unit
    org = organisation(unit)
    data.setdefault("issuer", org.issuer())
    data.setdefault("header", DocumentHeader(date=date.today(), subject="", recipients=[org.superior_in_text],
                                             kind="BC", copies_to=["Như trên", "Lãnh đạo Sở"],
                                             archive=org.archive()))
    data.setdefault("signature", org.signature())
    data.setdefault("year", int(res.year))
    if "position" not in data:
        data["position"] = fr.position_from_results(res, unit, previous=previous, target_rank=args.target_rank,
                                                    target_year=args.target_year)
    data.setdefault("kind", args.kind)
    if args.kind == "ad-hoc":
        data.setdefault("cutoff", date.today())  # "số liệu đến ngày …" of an ad-hoc report
    data.setdefault("base_year", int(previous.year) if previous is not None else None)
    data.setdefault("synthetic", synthetic)
    tasks = [load(TaskProgress, t) for t in data.get("tasks", [])]
    if "pillars" not in data:
        data["pillars"] = fr.pillars_from_results(res, unit, tasks)
    if "indicators" not in data:
        targets = data.pop("targets", None)
        data["indicators"] = fr.indicator_rows(res, unit, base=previous, targets=targets)
    report = load(HalfYearReport, data)
    stem = {"half-year": "bao-cao-6-thang", "annual": "bao-cao-nam", "ad-hoc": "bao-cao-dot-xuat"}[args.kind]
    out = Path(args.out)
    return _done([write_half_year_report(report, out / f"{stem}-{report.year}.docx")], args.pdf, out)


def profile(args) -> int:
    from piiplan.reference import province_slug
    from piiplan.reports.from_results import profile_from_results
    from piiplan.reports.profile import write_profile

    fw, ds, res, previous, synthetic = _results(args)
    note = ("Nguồn: dữ liệu mô phỏng đi kèm piiplan. " if synthetic else "") + \
        "Điểm chuẩn hoá 0–100; hạng 1 là cao nhất; TB cả nước là trung bình giá trị của các tỉnh, thành phố."
    p = profile_from_results(res, args.unit, previous=previous, synthetic=synthetic, issuer=_issuer(args.unit),
                             source_note=note)
    out = Path(args.out)
    path = write_profile(p, out / f"ho-so-{province_slug(args.unit)}-{p.year}.docx")
    return _done([path], args.pdf, out)


def reminder(args) -> int:
    from piiplan.reports.loading import load
    from piiplan.reports.model import ReminderLetter
    from piiplan.reports.reminder import write_reminder_letter

    data = _read_input(args.input)
    org = organisation(data.pop("unit", None))
    data.setdefault("issuer", org.issuer())
    data.setdefault("signature", org.signature())
    if isinstance(data.get("header"), dict):
        data["header"].setdefault("archive", org.archive())
    letter = load(ReminderLetter, data)
    out = Path(args.out)
    from piiplan.reference import province_slug

    path = write_reminder_letter(letter, out / f"cong-van-don-doc-{province_slug(letter.agency)}.docx")
    return _done([path], args.pdf, out)


def template(args) -> int:
    from piiplan.reference import agencies
    from piiplan.reports.agency_template import write_agency_template
    from piiplan.reports.from_results import agency_template_from_results

    from piiplan.reports.agency_template import template_year

    if getattr(args, "year", None) is None:
        args.year = template_year(load_inputs(args)[1].years)
    fw, ds, res, previous, synthetic = _results(args)
    table = agencies(args.unit)
    match = table[table["code"].str.upper() == args.agency.upper()]
    if match.empty:
        raise InputError(f"Không có cơ quan mã «{args.agency}»; các mã: {', '.join(table['code'])}.")
    codes = [c.strip() for c in args.indicators.split(",")] if args.indicators else None
    unknown = [c for c in codes or [] if c not in fw.indicators]
    if unknown:
        raise InputError(f"Mã chỉ số không có trong khung: {', '.join(unknown)}.")
    row = match.iloc[0]
    t = agency_template_from_results(res, args.unit, str(row["name"]), str(row["code"]), codes, previous=previous,
                                     issuer=_issuer(args.unit), synthetic=synthetic)
    path = write_agency_template(t, Path(args.out) / f"bieu-so-lieu-{row['code']}-{t.year}.xlsx")
    print(f"Đã ghi {path}")
    return 0


def ministry_form(args) -> int:
    from piiplan.reference import province_slug
    from piiplan.reports.from_results import ministry_form_from_results
    from piiplan.reports.ministry_form import write_ministry_form

    fw, ds, res, previous, synthetic = _results(args)
    form = ministry_form_from_results(res, args.unit, synthetic=synthetic)
    path = write_ministry_form(form, Path(args.out) / f"nhap-lieu-bo-{province_slug(args.unit)}-{form.year}.xlsx")
    print(f"Đã ghi {path}")
    return 0


def results(args) -> int:
    from piiplan.reports.results_workbook import write_results_workbook

    fw, ds, res, previous, synthetic = _results(args)
    names = ds.units["name"].to_dict() if "name" in ds.units.columns else None
    path = write_results_workbook(res, Path(args.out) / f"ket-qua-{fw.root}-{res.year}.xlsx", synthetic=synthetic,
                                  names=names)
    print(f"Đã ghi {path}")
    return 0

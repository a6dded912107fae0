"""Every table of the read-only pages as CSV or XLSX: ``/bang/<name>.csv`` and ``/bang/<name>.xlsx``.

The query string is the page's own (``?nam=…&tinh=…&ma=…``), and each table is built from the same
page context as the page (``views._memo_context``, results from the one content-keyed cache), so a download
costs no new computation and shows exactly what the page shows, with the same visibility (``data.snapshot``: the public gets
published results only). Text cells go through ``piiplan.reports.safe_cells`` (no live formulas).
CSV: UTF-8 with a byte-order mark (Excel opens the diacritics correctly), comma-separated, numbers
with a decimal point; XLSX: real numbers, a bold header, the synthetic label above the table.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.http import Http404, HttpResponse

from piiplan.reports.safe_cells import safe_row, set_text
from piiplan.web.accounts.access import access
from piiplan.web.pages import explore_views, views
from piiplan.web.pages.views import _memo_context, _or_unpublished, _start


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list]


def _ctx(request, snap, year, build, *args):
    return _memo_context(request, snap, year, build, *args)


def _ranking(request, snap, year, res):
    ctx = _ctx(request, snap, year, views._ranking)
    t = ctx["table"]
    cols = ["Hạng", "Tỉnh, thành phố", "Vùng"] + [c["label"] if c["key"] != t["code"] else f"Điểm {t['code']}"
                                                  for c in t["columns"]] + ["Thay đổi hạng"]
    rows = [[r["rank"], r["name"], r["region"]] + [r["values"][c["key"]] for c in t["columns"]] + [r["change"]]
            for r in t["rows"]]
    return Table(f"Xếp hạng {t['label']} năm {year}", cols, rows)


def _unit(request, snap, res):
    return explore_views.pick_unit(snap, res, request.GET.get("tinh"), [])


def _profile(request, snap, year, res):
    unit = _unit(request, snap, res)
    ctx = _ctx(request, snap, year, views._profile, unit)
    cols = ["Mã", "Tên", "Cấp", "Giá trị", "Đơn vị tính", "Điểm", "Hạng", "TB cả nước", "TB vùng", "Điểm mạnh/yếu"]
    marks = {"strength": "điểm mạnh", "weakness": "điểm yếu"}
    rows = [[r["code"], r["name"], r["level_label"], r["value"], r["unit_of_measure"], r["score"], r["rank"],
             r["national_mean"], r["regional_mean"], marks.get(r["mark"], "")] for r in ctx["rows"]]
    return Table(f"Hồ sơ {ctx['unit_name']} năm {year}", cols, rows)


def _peers(request, snap, year, res):
    unit = _unit(request, snap, res)
    ctx = _ctx(request, snap, year, views._profile, unit)
    cols = ["Tiêu chí", "Tỉnh, thành phố", "Giá trị tiêu chí", "Điểm PII", "Hạng PII"]
    rows = [["Điểm đầu vào gần nhất", p["name"], p["measure"], p["score"], p["rank"]] for p in ctx["peers"]["by_input"]]
    rows += [["GRDP bình quân đầu người gần nhất", p["name"], p["measure"], p["score"], p["rank"]]
             for p in ctx["peers"]["by_grdp"]]
    return Table(f"Các tỉnh tương tự {ctx['unit_name']} năm {year}", cols, rows)


def _strengths(request, snap, year, res):
    unit = _unit(request, snap, res)
    ctx = _ctx(request, snap, year, views._profile, unit)
    cols = ["Loại", "Mã", "Chỉ số", "Hạng", "Điểm", "Giá trị"]
    rows = [["Điểm mạnh", r["code"], r["name"], r["rank"], r["score"], r["raw"]] for r in ctx["strengths"]]
    rows += [["Điểm yếu", r["code"], r["name"], r["rank"], r["score"], r["raw"]] for r in ctx["weaknesses"]]
    return Table(f"Điểm mạnh, điểm yếu của {ctx['unit_name']} năm {year}", cols, rows)


def _indicators(request, snap, year, res):
    ctx = _ctx(request, snap, year, views._indicators)
    cols = ["Mã", "Tên chỉ số", "Đơn vị tính", "Trụ cột", "Độ tin cậy", f"Điểm {snap.home}", f"Hạng {snap.home}"]
    rows = [[r["code"], r["name"], r["unit_of_measure"], r["pillar"], r["confidence_label"], r["score"], r["rank"]]
            for r in ctx["rows"]]
    return Table(f"Sổ tay chỉ số năm {year}", cols, rows)


def _indicator(request, snap, year, res):
    code = (request.GET.get("ma") or "").strip()
    if code not in res.framework.indicators:
        raise Http404("Không có chỉ số này trong bộ chỉ số.")
    ctx = _ctx(request, snap, year, views._indicator, code)
    cols = ["Hạng", "Tỉnh, thành phố", f"Giá trị ({ctx['sheet']['unit_of_measure']})", "Điểm"]
    rows = [[r["rank"], r["name"], r["value"], r["score"]] for r in ctx["distribution"]]
    return Table(f"Chỉ số {code}. {ctx['sheet']['name']} năm {year}", cols, rows)


def _explain(request, snap, year, res):
    code = (request.GET.get("ma") or "").strip()
    if code not in res.framework.indicators:
        raise Http404("Không có chỉ số này trong bộ chỉ số.")
    ctx = _ctx(request, snap, year, views._indicator, code)
    explain = ctx["explain"] or {"trail": [], "contributions": []}
    rows = [["Từ số liệu thô đến điểm", s["label"], s["value"], None] for s in explain["trail"]]
    rows += [["Đóng góp vào các cấp trên", f"{c['code']} · {c['name']}", c["points"], c["share"]]
             for c in explain["contributions"]]
    return Table(f"Chỉ số {code} của {snap.names.get(snap.home, snap.home)} năm {year}",
                 ["Phần", "Bước / cấp", "Giá trị / điểm đóng góp", "Tỷ trọng (%)"], rows)


def _uncertainty(request, snap, year, res):
    from piiplan.web.pages.target import rank_target

    target = rank_target(res, snap.home, request.user) if snap.home in res.units else None
    k = target["target"] if target else max(1, len(res.units) // 2)
    ctx = _ctx(request, snap, year, views._uncertainty, k)
    cols = ["Tỉnh, thành phố", "Hạng hiện tại", "Hạng trung vị", "Hạng 5 %", "Hạng 95 %", f"P(hạng ≤ {k}) (%)"]
    rows = [[r["name"], r["nominal"], r["median"], r["q5"], r["q95"], r["p"]] for r in ctx["rows"]]
    return Table(f"Độ tin cậy của xếp hạng năm {year}", cols, rows)


def _map(request, snap, year, res):
    ctx = _ctx(request, snap, year, explore_views._tile_map)
    m = ctx["map"]
    cols = ["Hạng", "Tỉnh, thành phố", "Điểm", "Nhóm (5 = cao nhất)"] + ([f"Giá trị ({m['unit_of_measure']})"]
                                                                      if m["indicator"] else [])
    rows = [[t["rank"], t["name"], t["score"], t["cls"]] + ([t["value"]] if m["indicator"] else []) for t in m["tiles"]]
    return Table(f"Bản đồ {m['label']} năm {year}", cols, rows)


def _compare(request, snap, year, res):
    ctx = _ctx(request, snap, year, explore_views._compare)
    names = [u["name"] for u in ctx["comparison"]["units"]]
    cols = ["Mã", "Tên"] + [f"{n} – điểm" for n in names] + [f"{n} – hạng" for n in names] + ["TB cả nước"]
    rows = [[r["code"], r["name"]] + [c["score"] for c in r["cells"]] + [c["rank"] for c in r["cells"]]
            + [r["national_mean"]] for r in ctx["comparison"]["rows"]]
    return Table(f"So sánh {', '.join(names)} năm {year}", cols, rows)


def _compare_indicators(request, snap, year, res):
    ctx = _ctx(request, snap, year, explore_views._compare)
    names = [u["name"] for u in ctx["comparison"]["units"]]
    cols = ["Mã", "Tên chỉ số", "Chênh lệch điểm"] + [f"{n} – điểm" for n in names] + [f"{n} – giá trị" for n in names]
    rows = [[r["code"], r["name"], r["spread"]] + [c["score"] for c in r["cells"]] + [c["value"] for c in r["cells"]]
            for r in ctx["differing"]]
    return Table(f"Chỉ số khác biệt nhiều nhất năm {year}", cols, rows)


def _compare_ranks(request, snap, year, res):
    ctx = _ctx(request, snap, year, explore_views._compare)
    names = [u["name"] for u in ctx["comparison"]["units"]]
    rows = [[r["year"]] + [c["rank"] for c in r["cells"]] for r in ctx["ranks_years"]]
    return Table("Hạng PII qua các năm", ["Năm"] + names, rows)


def _trend(request, snap, year, res):
    ctx = _ctx(request, snap, year, explore_views._trends)
    cols = ["Năm", f"Điểm {ctx['unit_name']}", "Hạng", "TB cả nước", "TB vùng", "Tỉnh dẫn đầu", "Điểm tỉnh dẫn đầu"]
    if ctx["indicator"]:
        cols.append(f"Giá trị ({ctx['unit_of_measure']})")
    rows = [[r["year"], r["score"], r["rank"], r["national_mean"], r["regional_mean"], r["best_name"], r["best_score"]]
            + ([r["value"]] if ctx["indicator"] else []) for r in ctx["rows"]]
    return Table(f"Xu hướng {ctx['code_label']} – {ctx['unit_name']}", cols, rows)


def _trend_levels(request, snap, year, res):
    ctx = _ctx(request, snap, year, explore_views._trends)
    years = ctx["levels"]["years"]
    cols = ["Mã", "Tên"] + [f"Điểm {y}" for y in years] + [f"Hạng {y}" for y in years]
    rows = [[r["code"], r["name"]] + [c["score"] for c in r["cells"]] + [c["rank"] for c in r["cells"]]
            for r in ctx["levels"]["rows"]]
    return Table(f"Điểm và hạng qua các năm – {ctx['unit_name']}", cols, rows)


def _change(request, snap, year, res):
    ctx = _ctx(request, snap, year, explore_views._trends)
    change = ctx["change"]
    if change is None:
        return Table("Thay đổi so với năm trước", ["Mã"], [])
    p = change["year_prev"]
    cols = ["Mã", "Tên", f"Điểm {p}", f"Điểm {year}", "Thay đổi", f"Hạng {p}", f"Hạng {year}", "Đóng góp vào điểm PII"]
    rows = [[r["code"], r["name"], r["score_prev"], r["score"], r["score_change"], r["rank_prev"], r["rank"],
             r["contribution"]] for r in change["rows"]]
    return Table(f"Thay đổi so với năm {p} – {ctx['unit_name']}", cols, rows)


TABLES = {
    "xep-hang": _ranking, "ho-so": _profile, "tinh-tuong-tu": _peers, "diem-manh-yeu": _strengths, "so-tay-chi-so": _indicators,
    "chi-so": _indicator, "chi-so-giai-thich": _explain, "do-tin-cay": _uncertainty, "ban-do": _map, "so-sanh": _compare,
    "so-sanh-chi-so": _compare_indicators, "so-sanh-hang": _compare_ranks, "xu-huong": _trend,
    "xu-huong-cac-cap": _trend_levels, "thay-doi": _change,
}
FORMATS = ("csv", "xlsx")


def _csv(table: Table, note: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if note:
        writer.writerow(safe_row([note]))
    writer.writerow(safe_row(table.columns))
    for row in table.rows:
        writer.writerow(safe_row(["" if v is None else v for v in row]))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(table: Table, note: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Bảng"
    set_text(sheet.cell(row=1, column=1), table.title).font = Font(bold=True, size=12)
    first = 2
    if note:
        set_text(sheet.cell(row=2, column=1), note).font = Font(bold=True, color="9C5700")
        first = 3
    for j, name in enumerate(table.columns, start=1):
        set_text(sheet.cell(row=first, column=j), name).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(row=first, column=j).column_letter].width = min(48, max(10, len(name) + 2))
    for i, row in enumerate(table.rows, start=first + 1):
        for j, value in enumerate(row, start=1):
            set_text(sheet.cell(row=i, column=j), value)
    sheet.freeze_panes = sheet.cell(row=first + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@access("public")
@_or_unpublished("Tải bảng")
def table_download(request, name: str, fmt: str):
    if name not in TABLES or fmt not in FORMATS:
        raise Http404("Không có bảng này.")
    snap, year, res = _start(request)
    table = TABLES[name](request, snap, year, res)
    from piiplan.demo import SYNTHETIC_LABEL

    note = SYNTHETIC_LABEL if snap.synthetic else (f"Phiên bản dữ liệu: {snap.label}" if snap.label else "")
    body = _csv(table, note) if fmt == "csv" else _xlsx(table, note)
    mime = "text/csv; charset=utf-8" if fmt == "csv" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}-{year}.{fmt}"'
    return response

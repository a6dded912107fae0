"""The plan appendix in Excel: round trip, Vietnamese row/column errors, preview → confirm, the sample."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings as hsettings, strategies as st
from openpyxl import load_workbook

from piiplan.web.plan import appendix_sync
from piiplan.web.plan.appendix import (
    COLUMNS, SAMPLE_MARK, AppendixError, AppendixRow, parse_timing, read_appendix, write_appendix,
)
from piiplan.web.plan.indicators import indicator_codes
from piiplan.web.plan.models import Plan, Task


def load_sample_plan(personas):
    """The shipped Lạng Sơn sample appendix imported into a fresh plan (with the province's agencies)."""
    from piiplan.web.accounts.demo import load_agencies
    from piiplan.web.demo import DemoContext
    from piiplan.web.plan.sample import sample_dir, sample_meta

    load_agencies(DemoContext(province="Lạng Sơn", password="", write=lambda *_: None))
    meta = sample_meta()
    plan = Plan.objects.create(title="Mẫu", province="Lạng Sơn", year=2026, base_year=2025, base_rank=29, rank_gain=4)
    rows = read_appendix(sample_dir() / meta["appendix"])
    resolved, errors, _ = appendix_sync.resolve(rows)
    assert not errors, errors
    appendix_sync.apply(None, plan, resolved)
    return plan


def test_sample_covers_all_52_indicators_and_is_marked(personas):
    from piiplan.web.plan.sample import sample_dir, sample_meta

    path = sample_dir() / sample_meta()["appendix"]
    rows = read_appendix(path)
    covered = {c for r in rows for c in r.indicators}
    assert covered == set(indicator_codes()) and len(covered) == 52
    sheet = load_workbook(path).active
    texts = [sheet.cell(r, 1).value for r in range(1, 8)]
    assert SAMPLE_MARK in texts and "MẪU" in SAMPLE_MARK
    assert all(len(r.lead) > 0 for r in rows)


def test_committed_sample_equals_a_fresh_generation(tmp_path):
    from piiplan.web.plan.sample import sample_dir, sample_meta, write_sample

    fresh = write_sample(target=tmp_path / "fresh.xlsx")
    assert read_appendix(fresh) == [
        AppendixRow(**{**r.__dict__, "line": r.line}) for r in read_appendix(sample_dir() / sample_meta()["appendix"])
    ]


def test_export_then_import_gives_the_same_plan(client_for, personas):
    plan = load_sample_plan(personas)
    before = appendix_sync.plan_signature(plan)
    assert len(before) == 55
    exported = client_for("dost_staff").get(reverse("plan:appendix_export", kwargs={"pk": plan.pk}))
    assert exported.status_code == 200
    # Import the export into an empty plan: the same tasks, agencies, outputs and times.
    other = Plan.objects.create(title="Bản sao", province="Lạng Sơn", year=2026, base_year=2025, base_rank=29)
    client = client_for("dost_staff")
    url = reverse("plan:appendix_import", kwargs={"pk": other.pk})
    preview = client.post(url, {"file": SimpleUploadedFile("phu-luc.xlsx", exported.content)})
    assert preview.status_code == 200 and preview.context["token"]
    assert preview.context["diff"]["create"] == list(range(1, 56))
    done = client.post(url, {"token": preview.context["token"]})
    assert done.status_code == 302
    assert appendix_sync.plan_signature(other) == before
    # And re-importing the same file into the original plan changes nothing.
    resolved, errors, _ = appendix_sync.resolve(read_appendix(io.BytesIO(exported.content)))
    summary = appendix_sync.apply(None, plan, resolved)
    assert (summary.created, summary.updated, summary.removed, summary.unchanged) == (0, 0, 0, 55)
    assert appendix_sync.plan_signature(plan) == before


def test_import_updates_by_stt_and_removes_missing_rows(personas, world):
    rows = appendix_sync.plan_rows(world.plan)
    rows[0].output = "Sản phẩm mới"
    rows = [r for r in rows if r.number != 3] + [AppendixRow(9, ["2.1.1"], "Nhiệm vụ mới", personas.agency_b.name)]
    resolved, errors, _ = appendix_sync.resolve(read_appendix(io.BytesIO(write_appendix(rows, title="t"))))
    assert not errors
    summary = appendix_sync.apply(None, world.plan, resolved)
    assert (summary.created, summary.updated, summary.removed) == (1, 1, 1)
    assert Task.objects.get(pk=world.task_a.pk).output == "Sản phẩm mới"
    assert not Task.objects.filter(pk=world.task_b.pk).exists()
    assert Task.all_objects.get(pk=world.task_b.pk).is_deleted  # soft-deleted, restorable


def _sheet(rows, header=COLUMNS):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["PHỤ LỤC"])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_errors_name_row_and_column_in_vietnamese():
    bad = _sheet([
        (1, "1.2.1", "Nhiệm vụ đúng", "Sở Tài chính", "", "", "31/12/2026"),
        ("một", "1.2.1", "STT sai", "Sở Tài chính", "", "", ""),
        (3, "9.9.9", "Mã chỉ số lạ", "Sở Tài chính", "", "", ""),
        (4, "1.2.1", "", "Sở Tài chính", "", "", ""),
        (5, "1.2.1", "Hai chủ trì", "Sở Tài chính; Sở Nội vụ", "", "", ""),
        (6, "1.2.1", "Không chủ trì", "", "", "", ""),
        (7, "1.2.1", "Thời gian lạ", "Sở Tài chính", "", "", "sớm nhất có thể"),
        (8, "1.2.1", "Ngày không có thật", "Sở Tài chính", "", "", "31/02/2026"),
        (1, "1.2.1", "Trùng STT", "Sở Tài chính", "", "", ""),
        (10, "chỉ số vui", "Không có mã", "Sở Tài chính", "", "", ""),
    ])
    with pytest.raises(AppendixError) as info:
        read_appendix(bad)
    messages = [str(p) for p in info.value.problems]
    expected = [
        "Dòng 4, cột «STT»: «một» không phải số thứ tự",
        "Dòng 5, cột «Chỉ số»: mã chỉ số không có trong bộ chỉ số: 9.9.9",
        "Dòng 6, cột «Nhiệm vụ, giải pháp»: chưa ghi nội dung",
        "Dòng 7, cột «Cơ quan chủ trì»: mỗi nhiệm vụ phải có đúng một cơ quan chủ trì (đang ghi 2)",
        "Dòng 8, cột «Cơ quan chủ trì»: mỗi nhiệm vụ phải có đúng một cơ quan chủ trì.",
        "Dòng 9, cột «Thời gian»: không hiểu thời gian «sớm nhất có thể»",
        "Dòng 10, cột «Thời gian»: ngày «31/02/2026» không có thật",
        "Dòng 11, cột «STT»: số thứ tự 1 trùng với dòng 3",
        "Dòng 12, cột «Chỉ số»: không đọc được mã chỉ số",
    ]
    for text in expected:
        assert any(m.startswith(text) for m in messages), (text, messages)
    assert len(messages) == len(expected)


def test_missing_columns_and_non_excel_files():
    with pytest.raises(AppendixError, match="cột «Cơ quan phối hợp»: thiếu cột"):
        read_appendix(_sheet([], header=[c for c in COLUMNS if c != "Cơ quan phối hợp"]))
    with pytest.raises(AppendixError, match="không đọc được tệp"):
        read_appendix(io.BytesIO(b"%PDF-1.4 not a workbook"))
    with pytest.raises(AppendixError, match="không có nhiệm vụ nào"):
        read_appendix(_sheet([]))


def test_unknown_lead_agency_is_an_error_and_the_view_imports_nothing(client_for, world):
    content = write_appendix([AppendixRow(1, ["1.2.1"], "Nhiệm vụ", "Sở Không Tồn Tại")], title="t")
    url = reverse("plan:appendix_import", kwargs={"pk": world.plan.pk})
    response = client_for("dost_staff").post(url, {"file": SimpleUploadedFile("p.xlsx", content)})
    page = response.content.decode()
    assert "Dòng 6, cột «Cơ quan chủ trì»: không có cơ quan «Sở Không Tồn Tại»" in page
    assert "token" not in response.context or not response.context.get("token")
    assert Task.objects.filter(plan=world.plan).count() == 3


def test_unknown_coordinating_name_is_kept_as_text_with_a_warning(personas):
    rows = [AppendixRow(1, ["3.1.2"], "Hạ tầng", personas.agency_a.name,
                        ["Doanh nghiệp viễn thông", "UBND các xã, phường", personas.agency_b.name])]
    resolved, errors, warnings = appendix_sync.resolve(rows)
    assert not errors and len(warnings) == 1 and "Doanh nghiệp viễn thông" in str(warnings[0])
    item = resolved[0]
    assert item.all_communes and item.coordinating == [personas.agency_b] and item.other == ["Doanh nghiệp viễn thông"]


def test_tampered_preview_token_is_refused(client_for, world):
    url = reverse("plan:appendix_import", kwargs={"pk": world.plan.pk})
    response = client_for("dost_staff").post(url, {"token": "gia-mao"}, follow=True)
    assert "hết hạn hoặc không hợp lệ" in response.content.decode()


@pytest.mark.parametrize("text,expected", [
    ("30/06/2026", (date(2026, 6, 30), "")), ("Quý II/2026", (date(2026, 6, 30), "")),
    ("quý 4/2026", (date(2026, 12, 31), "")), ("Tháng 2/2028", (date(2028, 2, 29), "")),
    ("Năm 2026", (date(2026, 12, 31), "")), ("Thường xuyên", (None, "continuous")),
    ("Hàng năm", (None, "yearly")), ("6 tháng/lần", (None, "half_yearly")), ("", (None, "")),
])
def test_parse_timing(text, expected):
    assert parse_timing(text) == expected


names = st.text(alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệ ,.-()")), min_size=1, max_size=40)


@hsettings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(indicator_codes()), max_size=3, unique=True), names, names,
                          st.lists(names, max_size=3), names,
                          st.one_of(st.none(), st.dates(date(2025, 1, 1), date(2030, 12, 31))),
                          st.sampled_from(["", "continuous", "yearly", "half_yearly", "quarterly", "monthly"])),
                min_size=1, max_size=8))
def test_write_then_read_is_identity(items):
    rows = []
    for i, (codes, content, lead, coordinating, output, deadline, recurrence) in enumerate(items, start=1):
        clean = lambda s: " ".join(s.replace(";", " ").split()).strip(" -–•") or "x"  # noqa: E731
        rows.append(AppendixRow(i, sorted(codes, key=lambda c: tuple(map(int, c.split(".")))), clean(content),
                                clean(lead), [clean(c) for c in coordinating], clean(output),
                                None if recurrence else deadline, recurrence))
    back = read_appendix(io.BytesIO(write_appendix(rows, title="Phụ lục thử")))
    assert [(r.number, r.indicators, r.content, r.lead, r.coordinating, r.output, r.deadline, r.recurrence) for r in back] \
        == [(r.number, r.indicators, r.content, r.lead, r.coordinating, r.output, r.deadline, r.recurrence) for r in rows]


def _edit_cell(content: bytes, number: int, column: str, value) -> bytes:
    """Change one cell of an exported appendix the way a user would in Excel (the hidden column stays)."""
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "STT")
    col = [sheet.cell(header, j).value for j in range(1, sheet.max_column + 1)].index(column) + 1
    row = next(r for r in range(header + 1, sheet.max_row + 1) if sheet.cell(r, 1).value == number)
    sheet.cell(row, col, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_export_carries_hidden_task_versions_and_files_without_them_read_as_unknown(personas, world):
    from piiplan.web.plan.appendix import VERSION_COLUMN
    from piiplan.web.plan.sample import sample_dir, sample_meta

    content = write_appendix(appendix_sync.plan_rows(world.plan), title="t")
    sheet = load_workbook(io.BytesIO(content)).active
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "STT")
    assert sheet.cell(header, len(COLUMNS) + 1).value == VERSION_COLUMN
    assert sheet.column_dimensions["H"].hidden and sheet.protection.sheet
    assert not sheet.cell(header + 2, 3).protection.locked and sheet.cell(header + 2, 8).protection.locked
    tasks = {t.number: t.version for t in Task.objects.filter(plan=world.plan)}
    assert {r.number: r.version for r in read_appendix(io.BytesIO(content))} == tasks
    assert all(r.version is None for r in read_appendix(sample_dir() / sample_meta()["appendix"]))
    assert all(r.version is None for r in read_appendix(_sheet([(1, "1.2.1", "Nhiệm vụ", "Sở Tài chính", "", "", "")])))


def test_reimporting_an_unchanged_export_lists_nothing_to_change(client_for, personas):
    plan = load_sample_plan(personas)
    client = client_for("dost_staff")
    exported = client.get(reverse("plan:appendix_export", kwargs={"pk": plan.pk})).content
    url = reverse("plan:appendix_import", kwargs={"pk": plan.pk})
    preview = client.post(url, {"file": SimpleUploadedFile("phu-luc.xlsx", exported)})
    diff = preview.context["diff"]
    assert (diff["create"], diff["update"], diff["remove"], diff["conflicts"], diff["unchanged"]) == ([], [], [], [], 55)
    page = preview.content.decode()
    assert "Giữ nguyên: 55" in page and 'id="import-updates"' not in page and "Tệp không thay đổi nhiệm vụ nào" in page


def test_importing_an_older_export_keeps_later_edits_and_reports_the_conflict(client_for, personas):
    from piiplan.web.plan.services import save_task

    plan = load_sample_plan(personas)
    client = client_for("dost_staff")
    exported = client.get(reverse("plan:appendix_export", kwargs={"pk": plan.pk})).content
    task10 = Task.objects.get(plan=plan, number=10)
    assert task10.version == 1
    save_task(None, task10, {"output": "Sản phẩm sửa trên hệ thống"}, task10.version)
    old_output_11 = Task.objects.get(plan=plan, number=11).output
    # The old file also carries a genuine change to task 11, which must still be applied.
    older = _edit_cell(exported, 11, "Sản phẩm", "Sản phẩm sửa trong tệp")
    url = reverse("plan:appendix_import", kwargs={"pk": plan.pk})
    preview = client.post(url, {"file": SimpleUploadedFile("phu-luc.xlsx", older)})
    diff = preview.context["diff"]
    assert [(c.number, c.file_version, c.current_version) for c in diff["conflicts"]] == [(10, 1, 2)]
    assert [(t.number, [(f.column, f.old, f.new) for f in t.fields]) for t in diff["update"]] == [
        (11, [("Sản phẩm", old_output_11, "Sản phẩm sửa trong tệp")])]
    assert diff["unchanged"] == 53 and not diff["create"] and not diff["remove"]
    page = preview.content.decode()
    assert ("Nhiệm vụ STT 10 đã được sửa trên hệ thống sau khi xuất tệp (phiên bản 1 → 2); "
            "dòng này sẽ không được nhập.") in page
    done = client.post(url, {"token": preview.context["token"]}, follow=True)
    assert "Bỏ qua 1 dòng xung đột" in done.content.decode()
    task10 = Task.objects.get(plan=plan, number=10)
    assert (task10.output, task10.version) == ("Sản phẩm sửa trên hệ thống", 2)
    assert Task.objects.get(plan=plan, number=11).output == "Sản phẩm sửa trong tệp"
    assert Task.objects.filter(plan=plan).count() == 55


def test_rows_without_a_version_still_overwrite_as_before(personas, world):
    from piiplan.web.plan.services import save_task

    rows = appendix_sync.plan_rows(world.plan)
    for row in rows:
        row.version = None
    save_task(None, world.task_a, {"output": "Sửa trên hệ thống"}, world.task_a.version)
    resolved, errors, _ = appendix_sync.resolve(read_appendix(io.BytesIO(write_appendix(rows, title="t"))))
    assert not errors and all(r.row.version is None for r in resolved)
    assert appendix_sync.diff(world.plan, resolved)["conflicts"] == []
    summary = appendix_sync.apply(None, world.plan, resolved)
    assert (summary.updated, summary.conflicts) == (1, 0)
    assert Task.objects.get(pk=world.task_a.pk).output != "Sửa trên hệ thống"

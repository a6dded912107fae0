"""Hostile and oversized files on every upload path (data, agency template, plan appendix): each is a
400 with a Vietnamese message, changes nothing, leaves no file under MEDIA_ROOT, and a zip bomb is
refused in well under a second. Problem lists are capped; reading is linear in the file."""

from __future__ import annotations

import tracemalloc
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from piiplan import upload_limits
from piiplan.web.indexdata import service
from piiplan.web.indexdata.models import ImportBatch
from tests.web import hostile_files as hf
from tests.web.test_indexdata_imports import LONG_HEAD, state, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_memo():
    service.clear_memo()
    yield
    service.clear_memo()


def media_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []



@contextmanager
def small_footprint(limit_mb: int = 64):
    """The block allocates at most ``limit_mb`` MB at its peak (tracemalloc): a hostile file is refused before
    anything is inflated or expanded (the 100 MB zip bomb, billion laughs). Memory, not time: a timing
    fails on a loaded machine."""
    tracemalloc.start()
    try:
        yield
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < limit_mb * 2**20, f"peak {peak / 2**20:.1f} MB"

@pytest.mark.parametrize("kind", list(hf.HOSTILE), ids=list(hf.HOSTILE))
def test_hostile_workbook_on_the_data_import_is_a_400_and_changes_nothing(kind, client_for):
    build, _ = hf.HOSTILE[kind]
    content = build()
    staff = client_for("dost_staff")
    staff.get(reverse("indexdata:datasets"))  # warm-up: templates, URL resolver, demo panel
    before = state()
    with small_footprint():
        response = upload(staff, "so-lieu.xlsx", content)
    text = response.content.decode()
    assert response.status_code == 400, text[:2000]
    assert "Traceback" not in text and "Error" not in text.split("<main", 1)[-1][:200]
    # A Vietnamese message naming the file (or the part of it) that was refused.
    assert any(w in text for w in ("Tệp", "tệp", "Trang tính", "Thành phần")), text[:2000]
    assert state() == before
    assert not ImportBatch.objects.exclude(content=None).exists()
    assert media_files() == []


def test_zip_bomb_message_is_clear_and_fast(client_for):
    content = hf.zip_bomb(100)
    assert len(content) < 1024 * 1024   # a small upload…
    staff = client_for("dost_staff")
    staff.get(reverse("indexdata:datasets"))  # warm-up
    with small_footprint():   # refused from the zip directory: nothing is inflated
        response = upload(staff, "bom.xlsx", content)
    assert response.status_code == 400
    assert "khi giải nén lớn 100,0 MB" in response.content.decode()


def test_entities_are_refused_by_the_parser_too(tmp_path, monkeypatch):
    """Second line: with the container check switched off, defusedxml in openpyxl still refuses them."""
    from piiplan.engine import InputError
    from piiplan.engine.tables import read_xlsx_sheets

    monkeypatch.setattr(upload_limits, "check_xlsx", lambda *a, **k: None)
    for build in (hf.xxe, hf.malformed_xml):
        path = tmp_path / "x.xlsx"
        path.write_bytes(build())
        with pytest.raises(InputError) as info:
            read_xlsx_sheets(path)
        assert "x.xlsx" in str(info.value.problems[0])
    # Entities in the workbook part are parsed without expansion (lxml, resolve_entities=False): harmless.
    path = tmp_path / "lol.xlsx"
    path.write_bytes(hf.billion_laughs())
    with small_footprint():
        try:
            sheets = read_xlsx_sheets(path)
        except InputError:
            sheets = None
    assert sheets is None or "lol" not in str(sheets)


@pytest.mark.parametrize("kind", list(hf.HOSTILE), ids=list(hf.HOSTILE))
def test_hostile_workbook_as_agency_template_is_refused(kind, tmp_path):
    from piiplan.reports import ReportInputError, read_agency_template

    path = tmp_path / "bieu-mau.xlsx"
    path.write_bytes(hf.HOSTILE[kind][0]())
    with small_footprint(), pytest.raises(ReportInputError) as info:
        read_agency_template(path)
    assert "bieu-mau.xlsx" in str(info.value.problems[0])


@pytest.mark.parametrize("kind", list(hf.HOSTILE), ids=list(hf.HOSTILE))
def test_hostile_workbook_on_the_appendix_import_is_a_400(kind, client_for, personas):
    from tests.plan.world import make_world
    from piiplan.web.plan.models import Task

    world = make_world(personas)
    before = list(Task.all_objects.order_by("pk").values_list("pk", "version"))
    files_before = media_files()  # the world's evidence files
    url = reverse("plan:appendix_import", kwargs={"pk": world.plan.pk})
    staff = client_for("dost_staff")
    staff.get(url)  # warm-up
    content = hf.HOSTILE[kind][0]()
    with small_footprint():
        response = staff.post(url, {"file": SimpleUploadedFile("phu-luc.xlsx", content)})
    assert response.status_code == 400
    assert 'id="import-errors"' in response.content.decode()
    assert not response.context.get("token")
    assert list(Task.all_objects.order_by("pk").values_list("pk", "version")) == before
    assert media_files() == files_before


def test_oversized_appendix_is_refused(client_for, personas, settings):
    from tests.plan.world import make_world

    settings.PIIPLAN_APPENDIX_UPLOAD_MAX_BYTES = 10_000
    world = make_world(personas)
    url = reverse("plan:appendix_import", kwargs={"pk": world.plan.pk})
    response = client_for("dost_staff").post(url, {"file": SimpleUploadedFile("p.xlsx", b"PK" + b"x" * 20_000)})
    assert response.status_code == 400 and "Tệp quá lớn" in response.content.decode()


def test_row_cap_refuses_a_long_csv(client_for, monkeypatch):
    monkeypatch.setattr(upload_limits, "LIMITS", upload_limits.Limits(max_rows=500))
    body = (LONG_HEAD + "Lạng Sơn,1.1.1,2025,3\n" * 600).encode()
    before = state()
    response = upload(client_for("dost_staff"), "dai.csv", body)
    assert response.status_code == 400
    assert "hơn 500 dòng" in response.content.decode()
    assert state() == before and media_files() == []


def test_problem_list_is_capped_with_a_count_of_the_rest(client_for, monkeypatch):
    monkeypatch.setattr(upload_limits, "LIMITS", upload_limits.Limits(max_problems=50))
    body = (LONG_HEAD + "".join(f"Lạng Sơn,1.1.1,{2000 + i % 20},x{i}\n" for i in range(300))).encode()
    response = upload(client_for("dost_staff"), "sai.csv", body)
    assert response.status_code == 400
    batch = ImportBatch.objects.get()
    assert len(batch.problems) == 51
    assert batch.problems[-1]["message"].startswith("… và 250 lỗi khác")
    text = response.content.decode()
    assert "Tệp có 300 lỗi" in text and "… và 250 lỗi khác" in text


def test_no_file_is_kept_by_preview_confirm_or_cancel(client_for):
    staff = client_for("dost_staff")
    upload(staff, "a.csv", (LONG_HEAD + "Lạng Sơn,1.1.1,2025,1\n").encode())
    upload(staff, "b.csv", (LONG_HEAD + "Lạng Sơn,1.1.2,2025,2\n").encode())
    first, second = ImportBatch.objects.order_by("pk")
    assert first.content is not None and not first.file   # the pending preview is in the database
    assert media_files() == []
    staff.post(reverse("indexdata:import_reject", args=[first.pk]))
    staff.post(reverse("indexdata:import_confirm", args=[second.pk]))
    first.refresh_from_db(), second.refresh_from_db()
    assert first.content is None and second.content is None and second.status == "confirmed"
    assert media_files() == []


def test_an_import_interrupted_mid_read_leaves_no_file_and_no_row(client_for, monkeypatch):
    from piiplan.web.indexdata import imports

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # what a killed worker looks like from inside the request

    monkeypatch.setattr(imports, "read_upload", killed)
    before = state()
    with pytest.raises(KeyboardInterrupt):
        upload(client_for("dost_staff"), "a.csv", (LONG_HEAD + "Lạng Sơn,1.1.1,2025,1\n").encode())
    assert state() == before and not ImportBatch.objects.exists()
    assert media_files() == []


def test_reading_is_linear_in_the_file(tmp_path):
    """4× the rows costs about 4× the work (it was quadratic: 45k rows took 498 s). Work is counted as the
    Python function calls the reader makes (cProfile: deterministic, unlike a timing on a loaded machine);
    benchmarks/bench_imports.py measures the time."""
    import cProfile
    import pstats

    import pandas as pd

    from piiplan.demo import demo_framework, load_demo
    from piiplan.engine import read_data

    demo, fw = load_demo(), demo_framework()
    last = demo.values[demo.values["year"] == 2025]

    def calls(years: int) -> int:
        frame = pd.concat([last.assign(year=2025 - i) for i in range(years)])
        path = tmp_path / f"long-{years}.csv"
        frame.to_csv(path, index=False)
        profile = cProfile.Profile()
        profile.runcall(read_data, path, fw, units=demo.units)
        return pstats.Stats(profile).total_calls

    calls(1)  # warm-up: first-use imports and caches
    small, large = calls(2), calls(8)
    assert large < 4.5 * small, (small, large)

"""*Dữ liệu*: broken uploads are refused with a clear message and change nothing; good uploads preview,
confirm atomically, show up as versions; export re-imports unchanged; activation and publication."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from piiplan.demo import demo_framework, load_demo
from piiplan.web.audit.models import AuditEntry
from piiplan.web.indexdata import service
from piiplan.web.indexdata.models import DatasetVersion, FrameworkVersion, ImportBatch
from tests.web import indexdata_fixtures as ix

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_memo():
    service.clear_memo()
    yield
    service.clear_memo()


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def state():
    """Everything an import could change."""
    active = DatasetVersion.objects.filter(active=True).values_list("pk", "content_hash").first()
    return (DatasetVersion.all_objects.count(), FrameworkVersion.objects.count(), active,
            FrameworkVersion.objects.filter(active=True).values_list("pk", flat=True).first())


def upload(client, name: str, content: bytes, kind: str = ""):
    return client.post(reverse("indexdata:datasets"),
                       {"file": SimpleUploadedFile(name, content), "kind": kind}, follow=True)


LONG_HEAD = "unit,indicator,year,value\n"

BROKEN = [
    # (id, file name, content, expected words in the message)
    ("wrong-type", "bao-cao.pdf", b"%PDF-1.4 not data", "không được hỗ trợ"),
    ("old-excel", "so-lieu.xls", b"\xd0\xcf\x11\xe0old excel", "Excel 97–2003"),
    ("fake-xlsx", "so-lieu.xlsx", b"unit,indicator\nA,B\n", "không phải bảng tính Excel"),
    ("truncated-xlsx", "so-lieu.xlsx", xlsx({"2025": [["Tỉnh", "1.1.1"], ["Lạng Sơn", 3]]})[:1500],
     "Tệp không phải Excel hợp lệ hoặc bị hỏng"),
    ("binary-csv", "so-lieu.csv", b"PK\x03\x04\x00\x00binary", "nhị phân"),
    ("empty-file", "so-lieu.csv", b"", "rỗng"),
    ("wrong-columns", "so-lieu.csv", "tinh,nam,so\nLạng Sơn,2025,1\n".encode(), "Thiếu cột"),
    ("bad-number", "so-lieu.csv", (LONG_HEAD + "Lạng Sơn,1.1.1,2025,mười hai\n").encode(), "không phải là số"),
    ("ambiguous-comma", "so-lieu.csv", (LONG_HEAD + 'Lạng Sơn,1.1.1,2025,"12,500"\n').encode(), "không rõ là số thập phân"),
    ("unknown-unit", "so-lieu.csv", (LONG_HEAD + "Tỉnh Không Có,1.1.1,2025,3\n").encode(), "không có trong danh sách đơn vị"),
    ("unknown-indicator", "so-lieu.csv", (LONG_HEAD + "Lạng Sơn,9.9.9,2025,3\n").encode(), "không có trong khung chỉ số"),
    ("bad-year", "so-lieu.csv", (LONG_HEAD + "Lạng Sơn,1.1.1,20x5,3\n").encode(), "Năm «20x5» không hợp lệ"),
    ("duplicate-rows", "so-lieu.csv", (LONG_HEAD + "Lạng Sơn,1.1.1,2025,3\nLạng Sơn,1.1.1,2025,4\n").encode(),
     "Trùng số liệu"),
    ("ragged-row", "so-lieu.csv", (LONG_HEAD + "Lạng Sơn,1.1.1,2025\n").encode(), "Dòng có 3 ô"),
    ("utf16-encoding", "so-lieu.csv", (LONG_HEAD + "Lạng Sơn,1.1.1,2025,3\n").encode("utf-16"), "UTF-16"),
    ("windows-1258", "so-lieu.csv", (LONG_HEAD + "Hà Nam,1.1.1,2025,3\n").encode("cp1258"), "không được mã hoá UTF-8"),
    ("empty-sheet", "so-lieu.xlsx", xlsx({"2025": []}), "Trang tính rỗng"),
    ("wrong-sheet-name", "so-lieu.xlsx",
     xlsx({"2025": [["Tỉnh", "1.1.1"], ["Lạng Sơn", 3]], "Ghi chú": [["Tỉnh", "1.1.1"], ["Lạng Sơn", 3]]}),
     "Tên trang tính «Ghi chú» phải là năm"),
    ("formula-cell", "so-lieu.xlsx", xlsx({"2025": [["Tỉnh", "1.1.1"], ["Lạng Sơn", "=1+2"]]}), "công thức Excel"),
    ("infinite", "so-lieu.csv", (LONG_HEAD + "Lạng Sơn,1.1.1,2025,inf\n").encode(), "không được chấp nhận"),
    ("framework-bad-parent", "khung.csv",
     b"code,parent,level,name_vi,name_en,unit,direction,weight,source,confidence\n"
     b"PII,,2,Chi so,,,,1,,confirmed\nA,PII,1,A,,,1,1,,confirmed\nB,C,1,B,,,1,-2,,confirmed\n",
     "Nút cha «C» của «B» không tồn tại"),
    ("framework-yaml", "khung.yaml", b"nodes: [unclosed", "Không đọc được YAML"),
    ("framework-unrelated-codes", "khung.csv",
     "code,parent,level,name_vi,name_en,unit,direction,weight,source,confidence\n"
     "IDX,,2,Chỉ số,,,,1,,confirmed\nX1,IDX,1,X1,,,1,1,,confirmed\n".encode(), "mã chỉ số không trùng"),
]


@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_broken_upload_shows_a_clear_message_and_changes_nothing(case, client_for):
    _, name, content, expected = case
    staff = client_for("dost_staff")
    before = state()
    response = upload(staff, name, content)
    text = response.content.decode()
    assert expected in text, text[:3000]
    assert "BadZipFile" not in text and "KeyError" not in text   # no Python exception names
    assert state() == before
    assert response.status_code == 400  # a malformed file is a 400, never a 500 nor a redirect
    batch = ImportBatch.objects.order_by("-id").first()
    if batch is not None:
        # The engine's problems are listed with their place; the batch cannot be confirmed.
        assert batch.status == ImportBatch.Status.REJECTED and batch.problems and batch.content is None
        assert 'id="problems"' in text and 'id="confirm-form"' not in text
        confirm = staff.post(reverse("indexdata:import_confirm", args=[batch.pk]))
        assert confirm.status_code == 409
        assert state() == before


def test_upload_help_lists_the_vietnamese_columns_the_reader_accepts(client_for):
    html = client_for("dost_staff").get(reverse("indexdata:datasets")).content.decode()
    for vi, en in (("tỉnh", "unit"), ("mã chỉ số", "indicator"), ("năm", "year"), ("giá trị", "value")):
        assert f"«{vi}» (hoặc {en})" in html.replace("&laquo;", "«").replace("&raquo;", "»")
    # …and a long table headed with exactly those Vietnamese names is read.
    upload(client_for("dost_staff"), "so-lieu.csv", "tỉnh,mã chỉ số,năm,giá trị\nLạng Sơn,1.1.1,2025,3\n".encode())
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.DRAFT, batch.problems


def test_huge_file_is_refused_by_the_size_limit(client_for, settings):
    settings.PIIPLAN_UPLOAD_MAX_BYTES = 1024 * 1024
    before = state()
    body = (LONG_HEAD + "Lạng Sơn,1.1.1,2025,3\n" * 60_000).encode()
    response = upload(client_for("dost_staff"), "rat-lon.csv", body)
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()
    assert state() == before and not ImportBatch.objects.exists()


def test_problems_name_file_sheet_row_and_column(client_for):
    content = xlsx({"2025": [["Tỉnh", "1.1.1", "1.1.2"], ["Lạng Sơn", 3, "x"], ["Nơi Khác", 1, 2]]})
    upload(client_for("dost_staff"), "cac-so.xlsx", content)
    problems = ImportBatch.objects.get().problems
    bad = next(p for p in problems if "không phải là số" in p["message"])
    assert (bad["file"], bad["sheet"], bad["row"], bad["column"]) == ("cac-so.xlsx", "2025", 2, "1.1.2")
    unknown = next(p for p in problems if "Nơi Khác" in p["message"])
    assert unknown["row"] == 3


def test_good_upload_previews_then_confirm_imports_a_new_active_version(client_for, personas):
    staff = client_for("dost_staff")
    demo = load_demo()
    old = float(demo.wide(2025).at["Lạng Sơn", "1.1.1"])
    body = LONG_HEAD + f"Lạng Sơn,1.1.1,2025,{old + 10}\nLạng Sơn,1.1.2,2025,{demo.wide(2025).at['Lạng Sơn', '1.1.2']}\n"
    before = state()
    response = upload(staff, "lang-son-2025.csv", body.encode())
    text = response.content.decode()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.DRAFT and not batch.problems
    assert batch.summary["changed"] == 1 and batch.summary["unchanged"] == 1 and batch.summary["added"] == 0
    assert "Thay đổi: 1" in text and 'id="confirm-form"' in text
    assert state() == before  # the preview wrote nothing

    score_before = service.results(2025).aggregated.at["Lạng Sơn", "PII"]
    response = staff.post(reverse("indexdata:import_confirm", args=[batch.pk]), follow=True)
    assert "Đã nhập lang-son-2025.csv" in response.content.decode()
    batch.refresh_from_db()
    version = DatasetVersion.objects.get(active=True)
    assert batch.status == ImportBatch.Status.CONFIRMED and batch.dataset == version
    assert version.uploaded_by == personas.staff and version.source_name == "lang-son-2025.csv"
    assert not version.published and version.synthetic  # merged onto the synthetic panel; publication is a step
    assert batch.content is None  # the stored preview bytes are dropped once imported
    assert version.dataset().wide(2025).at["Lạng Sơn", "1.1.1"] == pytest.approx(old + 10)
    assert version.n_values == int(demo.values["value"].notna().sum())
    assert service.results(2025).aggregated.at["Lạng Sơn", "PII"] != score_before
    assert AuditEntry.objects.filter(action="import_confirm", object_id=str(batch.pk)).exists()
    # Confirming twice is refused.
    assert staff.post(reverse("indexdata:import_confirm", args=[batch.pk])).status_code == 409
    assert DatasetVersion.objects.count() == 1

    page = staff.get(reverse("indexdata:datasets")).content.decode()
    assert "lang-son-2025.csv" in page and "Đang dùng" in page


def test_rejected_draft_changes_nothing(client_for):
    staff = client_for("dost_staff")
    upload(staff, "a.csv", (LONG_HEAD + "Lạng Sơn,1.1.1,2025,1\n").encode())
    batch = ImportBatch.objects.get()
    before = state()
    staff.post(reverse("indexdata:import_reject", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REJECTED and state() == before
    assert staff.post(reverse("indexdata:import_confirm", args=[batch.pk])).status_code == 409
    assert state() == before


def test_confirm_is_refused_when_the_active_version_moved(client_for, personas):
    staff = client_for("dost_staff")
    upload(staff, "a.csv", (LONG_HEAD + "Lạng Sơn,1.1.1,2025,1\n").encode())
    batch = ImportBatch.objects.get()
    ix.dataset_version(personas, active=True)
    before = state()
    response = staff.post(reverse("indexdata:import_confirm", args=[batch.pk]))
    assert response.status_code == 409 and "đã thay đổi từ lúc xem trước" in response.content.decode()
    assert state() == before


def test_export_reimports_with_no_change(client_for):
    staff = client_for("dost_staff")
    response = staff.get(reverse("indexdata:export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["2023", "2024", "2025"]
    assert [c.value for c in wb["2025"][1]][:3] == ["Tỉnh", "Tên", demo_framework().indicators[0]]
    upload(staff, "xuat.xlsx", response.content)
    batch = ImportBatch.objects.get()
    assert batch.problems == []
    assert batch.summary["added"] == 0 and batch.summary["changed"] == 0
    assert batch.summary["unchanged"] == int(load_demo().values["value"].notna().sum())


def test_framework_upload_becomes_the_active_framework(client_for, tmp_path):
    staff = client_for("dost_staff")
    fw = demo_framework()
    frame = fw.to_frame()
    frame.loc[frame["code"] == "1", "weight"] = 2.0
    frame["parent"] = frame["parent"].fillna("")
    body = frame.to_csv(index=False).encode()
    response = upload(staff, "khung-moi.csv", body)
    batch = ImportBatch.objects.get()
    assert batch.kind == "framework" and not batch.problems
    assert batch.summary["reweighted"] == ["1"] and "đổi trọng số: 1" in response.content.decode()
    before_score = service.results(2025).aggregated.at["Lạng Sơn", "PII"]
    staff.post(reverse("indexdata:import_confirm", args=[batch.pk]))
    active = FrameworkVersion.objects.get(active=True)
    assert active.source_name == "khung-moi.csv"
    assert service.current_framework().fingerprint == active.fingerprint != fw.fingerprint
    assert service.results(2025).aggregated.at["Lạng Sơn", "PII"] != pytest.approx(before_score)


def test_activate_an_older_version_and_publish(client_for, personas):
    staff = client_for("dost_staff")
    first = ix.dataset_version(personas, active=True)
    ds = load_demo()
    ds.values["value"] = ds.values["value"] * 1.5
    from piiplan.web.indexdata.versions import create_dataset

    second = create_dataset(ds, first.framework, user=personas.staff, source_name="b.csv")
    assert DatasetVersion.objects.get(active=True) == second
    staff.post(reverse("indexdata:dataset_activate", args=[first.pk]))
    assert DatasetVersion.objects.get(active=True) == first
    assert np.allclose(service.current_dataset().wide(2025).to_numpy(), load_demo().wide(2025).to_numpy(),
                       equal_nan=True)
    staff.post(reverse("indexdata:dataset_publish", args=[second.pk]), {"confirm": "on"})
    second.refresh_from_db()
    assert second.published
    assert AuditEntry.objects.filter(action="dataset_activate", object_id=str(first.pk)).exists()


def test_leader_reads_the_versions_but_cannot_upload(client_for, personas):
    ix.dataset_version(personas, active=True)
    leader = client_for("leader")
    page = leader.get(reverse("indexdata:datasets")).content.decode()
    assert "Các phiên bản dữ liệu" in page and 'id="upload-form"' not in page
    before = state()
    response = leader.post(reverse("indexdata:datasets"),
                           {"file": SimpleUploadedFile("a.csv", (LONG_HEAD + "Lạng Sơn,1.1.1,2025,1\n").encode())})
    assert response.status_code == 403 and state() == before


def test_a_failure_during_confirm_rolls_everything_back(client_for, monkeypatch):
    from piiplan.web.indexdata import versions

    staff = client_for("dost_staff")
    upload(staff, "a.csv", (LONG_HEAD + "Lạng Sơn,1.1.1,2025,1\n").encode())
    batch = ImportBatch.objects.get()
    before = state()
    audit_before = AuditEntry.objects.count()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    # The framework version and the dataset version are written, then activation fails.
    monkeypatch.setattr(versions, "activate_dataset", boom)
    with pytest.raises(RuntimeError):
        staff.post(reverse("indexdata:import_confirm", args=[batch.pk]))
    assert state() == before
    assert AuditEntry.objects.count() == audit_before
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DRAFT

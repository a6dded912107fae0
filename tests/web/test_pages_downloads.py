"""Downloads of the read-only pages: province profile (DOCX, PDF) and the full results workbook,
opened and read back, with the pages' visibility (the public gets published data only)."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from piiplan.reports import pdf as pdfmod
from piiplan.reports.results_workbook import read_recipe_json
from piiplan.web import documents
from tests.reports.docx_checks import all_text
from tests.web.pages_helpers import HOME, engine_results, so
from tests.web.test_pages_data import versions  # noqa: F401  (fixture)

needs_office = pytest.mark.skipif(pdfmod.find_libreoffice() is None, reason="LibreOffice chưa được cài")


def get(client, name: str, **params):
    return client.get(reverse(name) + ("?" + urlencode(params) if params else ""))


def profile_doc(response):
    assert response.status_code == 200
    assert response["Content-Type"] == documents.DOCX
    return docx.Document(io.BytesIO(response.content))


def test_profile_docx_of_the_chosen_province_and_year(client_for):
    res = engine_results(2024)
    response = get(client_for("anonymous"), "pages:profile_docx", tinh="Hà Nội", nam=2024)
    assert 'filename="ho-so-pii-ha-noi-2024.docx"' in response["Content-Disposition"]
    doc = profile_doc(response)
    text = all_text(doc)
    assert "HỒ SƠ CHỈ SỐ ĐỔI MỚI SÁNG TẠO CẤP ĐỊA PHƯƠNG (PII) NĂM 2024" in text
    assert "HÀ NỘI" in text and "UBND TỈNH LẠNG SƠN — SỞ KHOA HỌC VÀ CÔNG NGHỆ" in text
    rank = int(res.ranks.at["Hà Nội", "PII"])
    assert f"Năm 2024, Hà Nội đạt {so(res.aggregated.at['Hà Nội', 'PII'], 2)} điểm Chỉ số PII, xếp thứ {rank}/34" in text
    assert "Dữ liệu mô phỏng — không phải số liệu chính thức" in text   # the demo panel
    assert len(doc.inline_shapes) == 1                                   # the pillar chart
    table = doc.tables[-1]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows}
    assert rows["1.1.1"][3] == so(res.aggregated.at["Hà Nội", "1.1.1"], 2)
    assert rows["1.1.1"][4] == str(int(res.ranks.at["Hà Nội", "1.1.1"]))
    assert len([c for c in rows if c.count(".") == 2]) == len(res.framework.indicators)


def test_profile_docx_defaults_to_the_home_province_and_latest_year(client_for):
    res = engine_results()
    text = all_text(profile_doc(get(client_for("leader"), "pages:profile_docx", tinh="Không Có")))
    assert f"Năm {res.year}, {HOME} đạt {so(res.aggregated.at[HOME, 'PII'], 2)} điểm" in text


@pytest.mark.parametrize("role", ["agency", "anonymous"])
def test_public_and_agencies_download_the_published_version(client_for, versions, role):  # noqa: F811
    published = so(versions["demo"].aggregated.at[HOME, "PII"], 2)
    active = so(versions["edited"].aggregated.at[HOME, "PII"], 2)
    text = all_text(profile_doc(get(client_for(role), "pages:profile_docx", nam=2025)))
    assert f"đạt {published} điểm" in text and active not in text
    staff = all_text(profile_doc(get(client_for("dost_staff"), "pages:profile_docx", nam=2025)))
    assert f"đạt {active} điểm" in staff


def test_nothing_published_gives_the_public_no_file(client_for, versions):  # noqa: F811
    from piiplan.web.indexdata.versions import set_published

    set_published(versions["v1"], False)
    for name in ("pages:profile_docx", "pages:profile_pdf", "pages:results_workbook"):
        response = get(client_for("anonymous"), name)
        assert response["Content-Type"].startswith("text/html")
        assert "Chưa có kết quả Chỉ số PII nào được công bố." in response.content.decode()


@needs_office
def test_profile_pdf_is_two_pages_and_converted_once_per_content(client_for, tmp_path, monkeypatch, immediate_tasks):
    response = get(client_for("anonymous"), "pages:profile_pdf", tinh="Đà Nẵng", nam=2025)
    assert response.status_code == 200 and response["Content-Type"] == documents.PDF
    assert response.content.startswith(b"%PDF")
    assert 'filename="ho-so-pii-da-nang-2025.pdf"' in response["Content-Disposition"]
    pdf = tmp_path / "ho-so.pdf"
    pdf.write_bytes(response.content)
    assert pdfmod.page_count(pdf) == 2
    # The same content again: served from the stored copy, LibreOffice is not started.
    monkeypatch.setattr(pdfmod, "find_libreoffice", lambda: None)
    again = get(client_for("leader"), "pages:profile_pdf", tinh="Đà Nẵng", nam=2025)
    assert again.status_code == 200 and again.content == response.content


def test_profile_pdf_without_libreoffice_says_what_to_install(client_for, monkeypatch, immediate_tasks):
    monkeypatch.setattr(pdfmod, "find_libreoffice", lambda: None)
    response = get(client_for("anonymous"), "pages:profile_pdf", tinh="Huế")
    assert response.status_code == 503
    html = response.content.decode()
    assert "Không tìm thấy LibreOffice" in html and "apt install libreoffice-writer" in html
    assert "/ho-so/?tinh=Hu" in html                       # back to the page it came from


def test_results_workbook_holds_every_level_ranks_log_and_recipe(client_for, tmp_path):
    from piiplan.engine import Recipe, build_dataset, load_framework
    from piiplan.demo import load_demo

    res = engine_results(2024)
    response = get(client_for("anonymous"), "pages:results_workbook", nam=2024)
    assert response.status_code == 200 and response["Content-Type"] == documents.XLSX
    path = tmp_path / "ket-qua.xlsx"
    path.write_bytes(response.content)
    wb = load_workbook(path, read_only=True)
    for sheet in ("Thông tin", "Khung chỉ số", "Số liệu gốc", "Chuẩn hoá", "Điểm", "Xếp hạng", "Nhật ký xử lý",
                  "Trọng số", "Công thức"):
        assert sheet in wb.sheetnames
    info = {r[0]: r[1] for r in wb["Thông tin"].iter_rows(values_only=True) if r[0]}
    assert info["Năm số liệu"] == 2024
    ranks = list(wb["Xếp hạng"].iter_rows(values_only=True))
    header = list(ranks[0])
    row = next(r for r in ranks if r[0] == HOME)
    for code in ("PII", "INPUT", "OUTPUT", "3", "3.2", "3.2.1"):
        assert row[header.index(code)] == int(res.ranks.at[HOME, code])
    rebuilt = build_dataset(load_framework("pii-2025"), load_demo(), 2024, Recipe.from_json(read_recipe_json(path)))
    assert rebuilt.aggregated.at[HOME, "PII"] == pytest.approx(res.aggregated.at[HOME, "PII"])


def test_download_links_on_the_pages(client_for):
    html = get(client_for("anonymous"), "pages:profile", tinh="Hà Nội", nam=2024).content.decode()
    assert f'{reverse("pages:profile_docx")}?tinh=H%C3%A0%20N%E1%BB%99i&amp;nam=2024' in html
    assert f'{reverse("pages:profile_pdf")}?tinh=H%C3%A0%20N%E1%BB%99i&amp;nam=2024' in html
    ranking = get(client_for("anonymous"), "pages:ranking", nam=2024).content.decode()
    assert f'{reverse("pages:results_workbook")}?nam=2024' in ranking


def test_content_hash_ignores_the_time_of_saving(tmp_path):
    import zipfile

    def archive(stamp, text):
        path = tmp_path / f"{stamp[5]}-{text}.docx"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr(zipfile.ZipInfo("word/document.xml", date_time=stamp), text)
        return path.read_bytes()

    early, late = (2026, 6, 20, 8, 0, 0), (2026, 6, 20, 8, 0, 10)
    assert archive(early, "a") != archive(late, "a")
    assert documents.content_hash(archive(early, "a")) == documents.content_hash(archive(late, "a"))
    assert documents.content_hash(archive(early, "a")) != documents.content_hash(archive(early, "b"))
    assert documents.content_hash(b"%PDF-1.4") != documents.content_hash(b"%PDF-1.5")

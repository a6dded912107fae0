"""PDF copies are made by the background worker: no request runs LibreOffice (it takes seconds). The page
waits without JavaScript, the copy is kept per content, and only those who may read the source may fetch it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from piiplan.reports import pdf as pdfmod
from piiplan.web.ops.models import PdfCopy, JobStatus
from piiplan.web.ops.pdf_jobs import convert_copy

needs_office = pytest.mark.skipif(pdfmod.find_libreoffice() is None, reason="LibreOffice chưa được cài")


def _period_pdf(client, world):
    return client.get(reverse("plan:period_report_pdf", kwargs={"pk": world.period.pk}))


def _run_worker():
    """What ``manage.py db_worker`` does for every queued copy."""
    for pk in PdfCopy.objects.filter(status=JobStatus.QUEUED).values_list("pk", flat=True):
        convert_copy.func(pk)


@needs_office
def test_the_request_queues_the_copy_and_a_page_waits_for_it(client_for, world):
    staff = client_for("dost_staff")
    first = _period_pdf(staff, world)
    assert first.status_code == 302 and first["Location"].startswith("/tai-lieu/pdf/")
    copy = PdfCopy.objects.get()
    assert copy.status == JobStatus.QUEUED and bytes(copy.source)[:2] == b"PK"       # the DOCX, to convert
    waiting = staff.get(first["Location"])
    page = waiting.content.decode()
    assert waiting.status_code == 202 and "Đang tạo bản PDF" in page and 'http-equiv="refresh" content="2"' in page
    assert staff.get(first["Location"] + "tai-xuong/")["Location"] == first["Location"]   # not yet
    _run_worker()
    copy.refresh_from_db()
    assert copy.status == JobStatus.DONE and bytes(copy.pdf).startswith(b"%PDF") and not bytes(copy.source)
    ready = staff.get(first["Location"])
    assert ready.status_code == 200 and "đã sẵn sàng" in ready.content.decode()
    assert 'http-equiv="refresh" content="0;url=' in ready.content.decode()
    file = staff.get(first["Location"] + "tai-xuong/")
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf" and file.content == bytes(copy.pdf)
    assert f"bao-cao-pii-{world.period.year}-{world.period.pk}.pdf" in file["Content-Disposition"]
    # the same report again: served at once from the stored copy
    again = _period_pdf(client_for("leader"), world)
    assert again.status_code == 200 and again.content == bytes(copy.pdf) and PdfCopy.objects.count() == 1


def test_only_those_who_may_read_the_report_fetch_its_copy(client_for, world):
    url = _period_pdf(client_for("dost_staff"), world)["Location"]
    assert client_for("leader").get(url).status_code == 202
    assert client_for("agency").get(url).status_code == 403
    anonymous = client_for("anonymous").get(url)
    assert anonymous.status_code == 302 and "/tai-khoan/dang-nhap/" in anonymous["Location"]
    assert client_for("anonymous").get(url + "tai-xuong/").status_code == 302
    assert client_for("dost_staff").get("/tai-lieu/pdf/khong-co/").status_code == 404


def test_a_failed_conversion_says_why_and_is_tried_again_next_time(client_for, world, monkeypatch):
    staff = client_for("dost_staff")
    url = _period_pdf(staff, world)["Location"]
    monkeypatch.setattr(pdfmod, "find_libreoffice", lambda: None)
    _run_worker()
    failed = staff.get(url)
    assert failed.status_code == 503 and "Không tìm thấy LibreOffice" in failed.content.decode()
    assert reverse("plan:period_detail", kwargs={"pk": world.period.pk}) in failed.content.decode()   # back link
    assert _period_pdf(staff, world).status_code == 302                      # asked again: queued again
    assert PdfCopy.objects.get().status == JobStatus.QUEUED


def test_the_copy_of_an_unpublished_version_is_not_public(client_for, versions):  # noqa: F811
    """Staff see the active (unpublished) version's profile; its PDF copy is for staff and leaders only."""
    response = client_for("dost_staff").get(reverse("pages:profile_pdf"), {"nam": 2025})
    copy = PdfCopy.objects.get()
    assert response.status_code == 302 and copy.policies == "staff,leader"
    assert client_for("anonymous").get(response["Location"]).status_code == 302        # to the login page
    public = client_for("anonymous").get(reverse("pages:profile_pdf"), {"nam": 2025})
    assert public.status_code == 302 and PdfCopy.objects.get(key=public["Location"].split("/")[-2]).policies == "public"
    assert client_for("anonymous").get(public["Location"]).status_code == 202


from tests.web.test_pages_data import versions  # noqa: E402, F401  (fixture)

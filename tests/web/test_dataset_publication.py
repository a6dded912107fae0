"""One published dataset version (a database rule), publication only after an explicit confirmation
that shows the version's provenance, and provenance (synthetic or official, source, who, copied from)
kept through every copy: a re-imported export of the demo data stays "Dữ liệu mô phỏng"."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from piiplan.demo import demo_framework, load_demo
from piiplan.web.audit.models import AuditEntry
from piiplan.web.indexdata import service
from piiplan.web.indexdata.export import workbook_bytes
from piiplan.web.indexdata.models import DatasetVersion, ImportBatch
from piiplan.web.indexdata.versions import create_dataset
from tests.web import indexdata_fixtures as ix

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_memo():
    service.clear_memo()
    yield
    service.clear_memo()


def official(p, factor=1.37):
    ds = load_demo()
    ds.values["value"] = ds.values["value"] * factor + 0.123
    return create_dataset(ds, ix.framework_version(p), user=p.staff, source_name="so-lieu-chinh-thuc.xlsx",
                          name="Chính thức", activate=False)


def test_the_database_allows_one_published_version(personas):
    a, b = official(personas), official(personas, 1.5)
    DatasetVersion.objects.filter(pk=a.pk).update(published=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        DatasetVersion.objects.filter(pk=b.pk).update(published=True)


def test_publishing_asks_for_confirmation_then_replaces_the_public_version(client_for, personas):
    first, second = official(personas), official(personas, 1.5)
    staff = client_for("dost_staff")
    url = reverse("indexdata:dataset_publish", args=[first.pk])
    staff.post(url, {"confirm": "on"})
    page = staff.get(reverse("indexdata:dataset_publish", args=[second.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and 'id="publish-form"' in text
    assert "so-lieu-chinh-thuc.xlsx" in text and "Dữ liệu chính thức" in text
    assert f"phiên bản #{first.pk} sẽ thôi công bố" in text
    # Without ticking the confirmation nothing changes.
    response = staff.post(reverse("indexdata:dataset_publish", args=[second.pk]), {})
    assert response.status_code == 400 and "Hãy đánh dấu ô xác nhận" in response.content.decode()
    assert list(DatasetVersion.objects.filter(published=True)) == [first]
    response = staff.post(reverse("indexdata:dataset_publish", args=[second.pk]), {"confirm": "on"})
    assert response.status_code == 302
    assert list(DatasetVersion.objects.filter(published=True)) == [second]
    entry = AuditEntry.objects.filter(action="dataset_publish", object_id=str(second.pk)).get()
    assert entry.before == {"published": [first.pk]}
    # Withdrawing is one POST (it hides data rather than showing it).
    staff.post(reverse("indexdata:dataset_publish", args=[second.pk]), {"published": "0"})
    assert not DatasetVersion.objects.filter(published=True).exists()
    assert AuditEntry.objects.filter(action="dataset_unpublish", object_id=str(second.pk)).exists()


def test_synthetic_data_needs_an_explicit_acknowledgement(client_for, personas):
    demo = ix.dataset_version(personas)
    staff = client_for("dost_staff")
    url = reverse("indexdata:dataset_publish", args=[demo.pk])
    text = staff.get(url).content.decode()
    assert "dữ liệu mô phỏng" in text and "acknowledge_synthetic" in text
    response = staff.post(url, {"confirm": "on"})
    assert response.status_code == 400 and "không phải số liệu chính thức" in response.content.decode()
    demo.refresh_from_db()
    assert not demo.published
    staff.post(url, {"confirm": "on", "acknowledge_synthetic": "on"})
    demo.refresh_from_db()
    assert demo.published and demo.synthetic


def test_a_reimported_export_of_the_demo_stays_synthetic(client_for, personas):
    """The issue's case: export the demo panel, import it back as a file: the label must survive."""
    staff = client_for("dost_staff")
    content = workbook_bytes(load_demo(), demo_framework())
    response = staff.post(reverse("indexdata:datasets"),
                          {"file": SimpleUploadedFile("du-lieu-chinh-thuc.xlsx", content), "kind": ""}, follow=True)
    text = response.content.decode()
    batch = ImportBatch.objects.get()
    assert batch.status == "draft", batch.problems
    assert batch.summary["synthetic_share"] == 1.0
    assert 'id="import-result-origin">Dữ liệu mô phỏng' in text
    staff.post(reverse("indexdata:import_confirm", args=[batch.pk]))
    version = DatasetVersion.objects.get(active=True)
    assert version.synthetic and version.source_name == "du-lieu-chinh-thuc.xlsx"
    # …and an official file merged over every cell is official, with its origin kept.
    ds = load_demo()
    ds.values["value"] = ds.values["value"] * 1.37 + 0.123
    staff.post(reverse("indexdata:datasets"),
               {"file": SimpleUploadedFile("that.xlsx", workbook_bytes(ds, demo_framework())), "kind": ""})
    batch = ImportBatch.objects.order_by("-pk").first()
    staff.post(reverse("indexdata:import_confirm", args=[batch.pk]))
    newest = DatasetVersion.objects.get(active=True)
    assert not newest.synthetic and newest.copied_from == version
    page = staff.get(reverse("indexdata:datasets")).content.decode()
    assert f"sao chép từ #{version.pk}" in page and 'id="data-origin"' in page


def test_a_partial_file_over_the_demo_stays_synthetic(client_for):
    staff = client_for("dost_staff")
    staff.post(reverse("indexdata:datasets"),
               {"file": SimpleUploadedFile("mot-tinh.csv", "unit,indicator,year,value\nLạng Sơn,1.1.1,2025,42.4242\n"
                                           .encode()), "kind": ""})
    batch = ImportBatch.objects.get()
    staff.post(reverse("indexdata:import_confirm", args=[batch.pk]))
    assert DatasetVersion.objects.get(active=True).synthetic

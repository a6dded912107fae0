"""Small object factories for the indexdata tests and the access-matrix rows."""

from __future__ import annotations

from django.core.files.base import ContentFile

GOOD_CSV = "unit,indicator,year,value\nLạng Sơn,1.1.1,2025,99\n"


def framework_version(p):
    from piiplan.demo import demo_framework
    from piiplan.web.indexdata.versions import find_or_create_framework

    return find_or_create_framework(demo_framework(), user=p.admin, activate=False, source_name="pii-2025.csv")


def dataset_version(p, *, active=False, published=False):
    from piiplan.demo import load_demo
    from piiplan.web.indexdata.versions import create_dataset

    return create_dataset(load_demo(), framework_version(p), user=p.admin, source_name="demo.csv",
                          synthetic=True, published=published, activate=active)


def batch(p, content: str = GOOD_CSV, name: str = "so-lieu.csv", status: str = "draft"):
    from piiplan.web.indexdata.models import ImportBatch

    item = ImportBatch(original_name=name, size=len(content.encode()), kind="dataset", status=status,
                       created_by=p.staff, summary={"kind": "dataset"})
    item.file.save(name, ContentFile(content.encode("utf-8")), save=False)
    item.save()
    return item


def scenario(p, *, deleted=False):
    from piiplan.web.indexdata.models import Scenario

    item = Scenario.objects.create(name="Thử", owner=p.staff, year=2025, unit="Lạng Sơn",
                                   edits={"Lạng Sơn": {"1.1.1": 50.0}})
    if deleted:
        item.soft_delete(user=p.staff)
    return item

"""service.py: the current framework/dataset/recipe, fallback to the demo, memoised results."""

from __future__ import annotations

import numpy as np
import pytest
from django.test import override_settings

from piiplan.demo import SYNTHETIC_LABEL, demo_framework, load_demo
from piiplan.engine import build_dataset, preset
from piiplan.web.audit.models import AuditEntry
from piiplan.web.indexdata import service
from piiplan.web.indexdata.models import DatasetVersion, FrameworkVersion
from piiplan.web.indexdata.versions import create_dataset, find_or_create_framework


@pytest.fixture(autouse=True)
def _fresh_memo():
    service.clear_memo()
    yield
    service.clear_memo()


@pytest.mark.django_db
def test_falls_back_to_the_shipped_demo_when_the_database_is_empty():
    assert not DatasetVersion.objects.exists()
    assert service.current_framework().fingerprint == demo_framework().fingerprint
    assert service.current_dataset().years == load_demo().years
    assert service.is_synthetic()
    assert service.synthetic_label() == SYNTHETIC_LABEL
    res = service.results()
    expected = build_dataset(demo_framework(), load_demo(), None, preset("pii"))
    assert np.allclose(res.aggregated["PII"], expected.aggregated["PII"], equal_nan=True)


@pytest.mark.django_db
def test_results_are_memoised_by_inputs_and_change_with_the_active_version(personas):
    first = service.results(2025)
    assert service.results(2025) is first
    assert service.results(2024) is not first
    # A different recipe is a different build.
    assert service.results(2025, recipe=preset("pii").set("normalise.upper", 10.0)) is not first

    fw = find_or_create_framework(demo_framework(), user=personas.admin)
    ds = load_demo()
    lang_son = ds.values.index[(ds.values["unit"] == "Lạng Sơn") & (ds.values["year"] == 2025)]
    ds.values.loc[lang_son, "value"] = ds.values.loc[lang_son, "value"] * 3
    version = create_dataset(ds, fw, user=personas.admin, source_name="x.csv", published=False)
    assert version.active and DatasetVersion.objects.filter(active=True).count() == 1
    assert not service.is_synthetic()
    after = service.results(2025)
    assert after is not first
    assert after.aggregated.at["Lạng Sơn", "PII"] != pytest.approx(first.aggregated.at["Lạng Sơn", "PII"])
    assert AuditEntry.objects.filter(action="dataset_import", object_id=str(version.pk)).exists()


@pytest.mark.django_db
def test_stored_version_round_trips_the_dataset(personas):
    fw = find_or_create_framework(demo_framework(), user=personas.admin)
    assert FrameworkVersion.objects.get(active=True) == fw
    assert fw.framework().fingerprint == demo_framework().fingerprint
    version = create_dataset(load_demo(), fw, user=personas.admin, synthetic=True)
    back = version.dataset()
    original = load_demo()
    assert back.years == original.years
    assert list(back.units.index) == list(original.units.index)
    a = back.wide(2025, demo_framework().indicators)
    b = original.wide(2025, demo_framework().indicators)
    assert np.allclose(a.to_numpy(), b.to_numpy(), equal_nan=True)
    assert version.n_units == 34 and version.n_years == 3


@override_settings(PIIPLAN_PROVINCE="Cao Bằng")
def test_home_unit_comes_from_settings():
    assert service.home_unit() == "Cao Bằng"


@pytest.mark.django_db
def test_unknown_year_is_refused():
    with pytest.raises(ValueError, match="không có năm 1999"):
        service.results(1999)


@pytest.mark.django_db
def test_demo_step_imports_the_first_version_once(personas):
    from piiplan.web.demo import DemoContext
    from piiplan.web.indexdata.demo import load_dataset

    ctx = DemoContext(province="Lạng Sơn", password="x", write=lambda s: None, users={"dost_admin": personas.admin})
    load_dataset(ctx)
    load_dataset(ctx)
    assert DatasetVersion.objects.count() == 1
    version = DatasetVersion.objects.get()
    assert version.active and version.synthetic and version.published
    assert service.is_synthetic()
    assert service.results().ranks.at["Hà Nội", "PII"] == 1

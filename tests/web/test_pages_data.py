"""pages/data.py: which dataset version each role sees, and memoising by content."""

from __future__ import annotations

import pytest
from django.urls import reverse

from piiplan.web.pages import data
from tests.web.pages_helpers import HOME, kpi, page, so

SYNTHETIC = "Dữ liệu mô phỏng — không phải số liệu chính thức"


@pytest.fixture
def versions(personas):
    """V1: the demo panel, published. V2: a copy where Lạng Sơn has Hà Nội's 2025 values, active,
    not published, not synthetic."""
    from piiplan.demo import demo_framework, load_demo
    from piiplan.engine import build_dataset
    from piiplan.web.indexdata.versions import create_dataset, find_or_create_framework

    fw = demo_framework()
    fw_version = find_or_create_framework(fw, user=personas.admin, name="PII 2025")
    demo = load_demo()
    v1 = create_dataset(demo, fw_version, user=personas.admin, name="Mô phỏng", synthetic=True, published=True)
    wide = demo.wide(2025, fw.indicators)
    wide.loc[HOME] = wide.loc["Hà Nội"]
    edited = demo.with_values(wide, 2025)
    v2 = create_dataset(edited, fw_version, user=personas.admin, name="Số liệu sở 2025", synthetic=False,
                        published=False)
    return {"v1": v1, "v2": v2, "demo": build_dataset(fw, demo, 2025), "edited": build_dataset(fw, edited, 2025)}


@pytest.mark.parametrize("role", ["dost_admin", "dost_staff", "leader"])
def test_staff_and_leaders_see_the_active_version(client_for, versions, role):
    html = page(client_for(role), reverse("pages:home"))
    assert kpi(html, "score") == f"{so(versions['edited'].aggregated.at[HOME, 'PII'], 2)} điểm"
    assert SYNTHETIC not in html
    assert "Phiên bản dữ liệu: Số liệu sở 2025 (nhập ngày " in html


@pytest.mark.parametrize("role", ["agency", "anonymous"])
def test_public_and_agencies_see_the_published_version(client_for, versions, role):
    for name in ("pages:home", "pages:profile"):
        html = page(client_for(role), reverse(name))
        assert kpi(html, "score") == f"{so(versions['demo'].aggregated.at[HOME, 'PII'], 2)} điểm"
        assert SYNTHETIC in html
        assert "Mô phỏng (nhập ngày " in html and "đã công bố" in html


def test_publishing_the_active_version_shows_it_to_everyone(client_for, versions):
    from piiplan.web.indexdata.versions import set_published

    set_published(versions["v2"], True)
    html = page(client_for("anonymous"), reverse("pages:ranking"))
    assert SYNTHETIC not in html
    assert "Số liệu sở 2025" in html


@pytest.mark.parametrize("name, args", [("pages:home", []), ("pages:ranking", []), ("pages:profile", []),
                                        ("pages:indicators", []), ("pages:indicator", ["1.2.1"]),
                                        ("pages:uncertainty", [])])
def test_nothing_published_means_nothing_shown_to_the_public(client_for, versions, name, args):
    from piiplan.web.indexdata.versions import set_published

    set_published(versions["v1"], False)
    html = page(client_for("anonymous"), reverse(name, args=args))
    assert "Chưa có kết quả Chỉ số PII nào được công bố." in html
    assert so(versions["edited"].aggregated.at[HOME, "PII"], 2) not in html
    # Staff still see the active version.
    staff = page(client_for("dost_staff"), reverse(name, args=args))
    assert "Chưa có kết quả" not in staff


def test_snapshot_key_follows_the_content(versions, personas):
    staff, anonymous = data.snapshot(personas.staff), data.snapshot(None)
    assert staff.key != anonymous.key
    assert data.snapshot(personas.leader).key == staff.key
    assert staff.results(2025).aggregated.at[HOME, "PII"] == pytest.approx(
        versions["edited"].aggregated.at[HOME, "PII"])

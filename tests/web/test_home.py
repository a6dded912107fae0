"""The home page and the role-filtered navigation of the base template."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from piiplan.web.pages.nav import NAV_ITEMS


def nav_labels(html: str) -> list[str]:
    nav = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="[^"]*"[^>]*>([^<]+)</a>', nav)


@pytest.mark.parametrize(
    "role, tools",
    [
        ("dost_admin", ["Người dùng", "Nhật ký"]),
        ("dost_staff", ["Nhật ký"]),
        ("agency", []),
        ("leader", []),
        ("anonymous", []),
    ],
)
def test_admin_tools_show_only_to_their_roles(client_for, role, tools):
    html = client_for(role).get(reverse("pages:home")).content.decode()
    labels = nav_labels(html)
    assert labels[0] == "Tổng quan"
    assert [label for label in labels if label in ("Người dùng", "Nhật ký")] == tools


def test_nav_items_use_known_policies():
    from piiplan.web.accounts.access import POLICIES

    for item in NAV_ITEMS:
        assert set(item.policies) <= set(POLICIES), item


def test_home_shows_province_user_and_issuer(client_for):
    html = client_for("agency").get(reverse("pages:home")).content.decode()
    assert "Lạng Sơn" in html
    # The agency's name is already in the person's name: shown once.
    assert "Đầu mối Sở Thử nghiệm · Đầu mối cơ quan, đơn vị</span>" in html
    assert "UBND TỈNH LẠNG SƠN · SỞ KHOA HỌC VÀ CÔNG NGHỆ" in html


def test_the_header_names_the_role_once(personas, client_for):
    """The demo administrator's name is the role's name: the header used to show it twice."""
    from piiplan.web.accounts.models import Role

    personas.admin.full_name = Role.DOST_ADMIN.label
    personas.admin.save()
    html = client_for("dost_admin").get(reverse("pages:home")).content.decode()
    who = html.split('class="who"', 1)[1].split(">", 1)[1].split("</span>", 1)[0]
    assert who == "Quản trị viên Sở KH&amp;CN"
    personas.other_agency.full_name = "Nguyễn Thị Hoa"
    personas.other_agency.save()
    html = client_for(personas.other_agency).get(reverse("pages:home")).content.decode()
    assert "Nguyễn Thị Hoa · Đầu mối cơ quan, đơn vị · Xã Thử nghiệm</span>" in html
    assert "UBND TỈNH LẠNG SƠN · SỞ KHOA HỌC VÀ CÔNG NGHỆ" in html


def test_static_files_are_served_by_the_app(client):
    response = client.get("/static/vendor/chart.umd.min.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"/*!\n * Chart.js v4")
    assert client.get("/static/pages/piiplan.css").status_code == 200


def test_unknown_page_is_a_vietnamese_404(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def current_items(html: str) -> list[str]:
    nav = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', nav)


@pytest.mark.parametrize("role", ["anonymous", "agency", "dost_staff"])
def test_the_register_of_models_is_in_everyones_menu(client_for, role):
    html = client_for(role).get(reverse("plan:register")).content.decode()
    assert "Mô hình tiêu biểu" in nav_labels(html)
    # The longest matching prefix wins: /ke-hoach/mo-hinh-tieu-bieu/ is not "Kế hoạch".
    assert current_items(html) == ["Mô hình tiêu biểu"]


def test_active_item_is_the_longest_matching_prefix(personas):
    from piiplan.web.pages.nav import nav_for

    def active(path, user=personas.staff):
        return [i["label"] for i in nav_for(user, path) if i["active"]]

    assert active(reverse("plan:dashboard")) == ["Kế hoạch"]
    assert active(reverse("plan:tasks", kwargs={"pk": 1})) == ["Kế hoạch"]
    assert active(reverse("plan:register")) == ["Mô hình tiêu biểu"]
    assert active(reverse("pages:profile_pdf")) == ["Hồ sơ tỉnh"]
    assert active("/") == ["Tổng quan"]
    assert active(reverse("accounts:password_change")) == []
    assert active(reverse("plan:register"), user=None) == ["Mô hình tiêu biểu"]

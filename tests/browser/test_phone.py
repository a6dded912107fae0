"""Every screen (issue 12.8): at 390 × 844 (a phone) no page of a role's main pages is wider than
the screen — wide tables scroll inside their own box, forms stack, the navigation scrolls sideways.
A screenshot of each page is kept under artifacts/screenshots/phone-*.png."""

from __future__ import annotations

import pytest

from tests.plan.world import make_world

PHONE = {"width": 390, "height": 844}

PUBLIC = ["/", "/xep-hang/", "/ho-so/", "/chi-so/", "/chi-so/1.2.1/", "/do-tin-cay/",
          "/ke-hoach/mo-hinh-tieu-bieu/"]


def pages_for(role: str, w) -> list[str]:
    plan, period = w.plan.pk, w.period.pk
    member = ["/ke-hoach/", f"/ke-hoach/{plan}/", f"/ke-hoach/{plan}/nhiem-vu/", "/ke-hoach/ky-bao-cao/",
              "/ke-hoach/mo-hinh/", "/ke-hoach/thong-bao/", "/tai-khoan/doi-mat-khau/"]
    staff = member + [f"/ke-hoach/{plan}/chi-tieu/", f"/ke-hoach/nhiem-vu/{w.task_b.pk}/",
                      f"/ke-hoach/nhiem-vu/{w.task_b.pk}/sua/", f"/ke-hoach/ky-bao-cao/{period}/",
                      "/ke-hoach/ky-bao-cao/them/", f"/ke-hoach/bao-cao/{w.report_b.pk}/", "/du-lieu/",
                      "/du-lieu/kich-ban/", "/nhat-ky/"]
    return {
        "anonymous": PUBLIC + ["/tai-khoan/dang-nhap/"],
        "agency": ["/"] + member + [f"/ke-hoach/bao-cao/{w.report_a.pk}/", "/ke-hoach/mo-hinh/de-xuat/"],
        "dost_staff": ["/", "/xep-hang/"] + staff,
        "dost_admin": ["/", "/tai-khoan/nguoi-dung/", "/tai-khoan/nguoi-dung/tao/"] + staff,
        "leader": ["/", "/ho-so/"] + member + [f"/ke-hoach/{plan}/tac-dong/", f"/ke-hoach/ky-bao-cao/{period}/"],
    }[role]


@pytest.mark.parametrize("role", ["anonymous", "agency", "dost_staff", "dost_admin", "leader"])
def test_no_page_is_wider_than_a_phone(role, login_as, live_server, personas, shot):
    world = make_world(personas)
    page = login_as(role)
    page.set_viewport_size(PHONE)
    too_wide = {}
    for path in pages_for(role, world):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, (path, response.status)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            culprits = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                        && !e.closest('table, .table-scroll, .site-nav, .chart'))
                .slice(0, 3).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
            too_wide[path] = (width, culprits)
        shot(page, f"phone-{role}-{path.strip('/').replace('/', '-') or 'home'}")
    assert not too_wide, too_wide

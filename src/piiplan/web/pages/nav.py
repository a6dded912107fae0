"""The main navigation: one list, filtered by role and by which pages exist yet.

An item shows when the user's role is in its policies (see accounts/access.py) and its URL
name resolves, so a section appears as soon as the app that serves it adds the URL. To add
or move a section, edit this list (and the role × view matrix in tests/web/access_matrix.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from piiplan.web.accounts.access import allows


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    policies: tuple[str, ...]
    group: str = "main"  # "main" (the sections) or "admin" (tools, right-hand side)


NAV_ITEMS: list[NavItem] = [
    NavItem("Tổng quan", "pages:home", ("public",)),
    NavItem("Xếp hạng", "pages:ranking", ("public",)),
    NavItem("Hồ sơ tỉnh", "pages:profile", ("public",)),
    NavItem("Chỉ số", "pages:indicators", ("public",)),
    NavItem("Bản đồ", "pages:map", ("public",)),
    NavItem("So sánh", "pages:compare", ("public",)),
    NavItem("Xu hướng", "pages:trends", ("public",)),
    NavItem("Dữ liệu", "indexdata:datasets", ("staff", "leader")),
    NavItem("Kịch bản", "indexdata:scenarios", ("staff", "leader")),
    NavItem("Độ tin cậy", "pages:uncertainty", ("public",)),
    NavItem("Phương pháp", "pages:method", ("public",)),
    NavItem("Kế hoạch", "plan:dashboard", ("member",)),
    NavItem("Mô hình tiêu biểu", "plan:register", ("public",)),
    NavItem("Người dùng", "accounts:users", ("admin",), group="admin"),
    NavItem("Cơ quan", "accounts:agencies", ("admin",), group="admin"),
    NavItem("Cơ quan ban hành", "plan:organisation", ("admin",), group="admin"),
    NavItem("Nhật ký", "audit:log", ("staff",), group="admin"),
]


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def nav_for(user, current_path: str = "") -> list[dict]:
    """The user's menu; the active item is the one whose URL is the longest prefix of the current
    path (``/ke-hoach/mo-hinh-tieu-bieu/`` is *Mô hình tiêu biểu*, not *Kế hoạch*); the home URL
    ``/`` is active on the home page only."""
    items = []
    for item in NAV_ITEMS:
        if not allows(user, *item.policies):
            continue
        url = _url(item.url_name)
        if url is None:
            continue
        items.append({"label": item.label, "url": url, "group": item.group, "active": False})
    matches = [i for i in items if (current_path == i["url"] if i["url"] == "/" else current_path.startswith(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return items

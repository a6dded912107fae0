"""The header's search: provinces, indicators and framework codes, pages — and, for signed-in users
who may see them, plan tasks and agencies (read through ``accounts.access.visible_to``; the public
sees no tasks and no agencies).

Matching ignores case and Vietnamese diacritics ("lao dong" finds "lao động", "dak lak" finds
"Đắk Lắk"); every word of the query must appear. A code ("1.2.1") matches codes that start with it.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from piiplan.web.accounts.access import access, allows, visible_to
from piiplan.web.pages import data, tables

MAX_PER_GROUP = 12
MAX_QUERY = 100

# Pages people look for by words other than their menu label.
PAGES = [
    ("Tổng quan", "pages:home", "trang chu tong quan ket qua tinh nha"),
    ("Xếp hạng", "pages:ranking", "xep hang bang xep hang thu hang"),
    ("Hồ sơ tỉnh", "pages:profile", "ho so tinh diem manh diem yeu"),
    ("Sổ tay chỉ số", "pages:indicators", "chi so so tay danh muc nguon"),
    ("Bản đồ", "pages:map", "ban do 34 tinh ban do o"),
    ("So sánh các tỉnh", "pages:compare", "so sanh doi chieu radar"),
    ("Xu hướng", "pages:trends", "xu huong qua cac nam dien bien"),
    ("Độ tin cậy của xếp hạng", "pages:uncertainty", "do tin cay bat dinh monte carlo xac suat"),
    ("Phương pháp", "pages:method", "phuong phap cach tinh chuan hoa tong hop xu ly ngoai lai"),
]


def fold(text: str) -> str:
    """Lower case without diacritics: "Lao động" → "lao dong", "Đắk Lắk" → "dak lak"."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(ch for ch in text if unicodedata.category(ch) != "Mn").casefold().split())


def matches(query: str, *fields: str) -> bool:
    words = fold(query).split()
    haystack = " ".join(fold(f) for f in fields if f)
    return bool(words) and all(w in haystack for w in words)


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def search(user, query: str) -> dict[str, list[dict]]:
    """Groups of hits (title, detail, url) for ``query``."""
    query = (query or "").strip()[:MAX_QUERY]
    groups: dict[str, list[dict]] = {"provinces": [], "indicators": [], "pages": [], "tasks": [], "agencies": []}
    if not fold(query):
        return groups
    snap = data.snapshot(user)
    if snap is not None:
        words = fold(query).split()
        provinces, nodes = snap._cached("search_index", (), lambda: _index(snap))
        groups["provinces"] = [hit for text, hit in provinces if all(w in text for w in words)]
        code_query = query.replace(" ", "")
        for code, text, hit in nodes:
            by_code = code_query[:1].isdigit() and (code == code_query or code.startswith(code_query + "."))
            if by_code or all(w in text for w in words):
                groups["indicators"].append(hit)
    for label, name, words in PAGES:
        url = _url(name)
        if url and matches(query, label, words):
            groups["pages"].append({"title": label, "detail": "Trang", "url": url})
    if allows(user, "member") and "piiplan.web.plan" in settings.INSTALLED_APPS:
        groups["tasks"], groups["agencies"] = _plan_hits(user, query)
    return {k: v[:MAX_PER_GROUP] for k, v in groups.items()}


def _index(snap):
    """(provinces, framework nodes) of a snapshot, each with its folded text: built once per content key."""
    profile = _url("pages:profile")
    provinces = [(fold(f"{name} {unit} {snap.region_of.get(unit, '')}"),
                  {"title": name, "detail": snap.region_of.get(unit, ""), "url": f"{profile}?tinh={unit}"})
                 for unit, name in sorted(snap.names.items(), key=lambda kv: tables.vi_sort_key(kv[1]))]
    fw = snap.framework
    ranking = _url("pages:ranking")
    nodes = []
    for code in tables.tree_order(fw):
        level = int(fw.nodes.at[code, "level"])
        url = _url("pages:indicator", code) if level == 1 else f"{ranking}?ma={code}"
        text = fold(f"{fw.name_of(code)} {fw.nodes.at[code, 'name_en'] or ''}")
        nodes.append((code, text, {"title": tables.label_of(fw, code), "detail": tables.level_label(fw, code),
                                   "url": url}))
    return provinces, nodes



def _plan_hits(user, query: str) -> tuple[list[dict], list[dict]]:
    from piiplan.web.accounts.models import Agency
    from piiplan.web.plan.models import Plan, Task

    tasks = []
    words = fold(query).split()
    rows = visible_to(user, Task).distinct().order_by("plan", "number").values_list(
        "pk", "number", "content", "output", "indicators", "lead_agency__name")[:2000]
    for pk, number, content, output, indicators, agency in rows:
        text = fold(f"{content} {output} {agency} {' '.join(indicators or [])}")
        if all(w in text for w in words):
            tasks.append({"title": f"{number}. {content[:120]}", "detail": agency, "url": _url("plan:task_detail", pk)})
    agencies = []
    plan = visible_to(user, Plan).order_by("-id").first()
    for agency in visible_to(user, Agency).order_by("name")[:2000]:
        if matches(query, agency.name, agency.code):
            url = f"{_url('plan:tasks', plan.pk)}?agency={agency.pk}" if plan is not None else None
            agencies.append({"title": agency.name, "detail": agency.get_kind_display(), "url": url})
    return tasks, agencies


GROUP_LABELS = [("provinces", "Tỉnh, thành phố"), ("indicators", "Chỉ số và trụ cột"), ("pages", "Trang"),
                ("tasks", "Nhiệm vụ của kế hoạch"), ("agencies", "Cơ quan, đơn vị")]


@access("public")
def search_page(request):
    query = (request.GET.get("q") or "").strip()[:MAX_QUERY]
    hits = search(request.user, query)
    groups = [{"key": k, "label": label, "hits": hits[k]} for k, label in GROUP_LABELS if hits[k]]
    return render(request, "pages/search.html", {"q": query, "search_q": query, "groups": groups,
                                                 "total": sum(len(g["hits"]) for g in groups)})

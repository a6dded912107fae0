"""Downloads of the read-only pages: the province profile (DOCX, PDF) and the full results workbook.

Same visibility as the pages: everyone may download, and each user gets the dataset version the pages
show them (``data.snapshot``): the public and agencies the published results only. The files come from
``piiplan.reports`` through ``web.documents``.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse

from piiplan.web import documents
from piiplan.web.accounts.access import access
from piiplan.web.pages.views import _or_unpublished, _start, _unit_asked


def _profile_input(request):
    """(snapshot, year, unit, ProvinceProfile) for ``?tinh=&nam=`` (default: the workspace's province)."""
    from piiplan.reports.from_results import profile_from_results

    snap, year, res = _start(request)
    unit = _unit_asked((request.GET.get("tinh") or "").strip(), res.units, snap.home)
    if unit not in res.units:
        raise Http404("Không có tỉnh, thành phố này trong dữ liệu.")
    previous_year = snap.previous_year(year)
    previous = snap.results(previous_year) if previous_year is not None else None
    note = "Điểm chuẩn hoá 0–100; hạng 1 là cao nhất."
    if snap.label:
        note += f" Dữ liệu: {snap.label}."
    profile = profile_from_results(res, unit, previous=previous, synthetic=snap.synthetic,
                                   issuer=documents.issuer(), source_note=note)
    profile.unit = snap.names.get(unit, unit)
    return snap, year, unit, profile


def _profile_name(unit: str, year: int, suffix: str) -> str:
    return f"ho-so-pii-{documents.slug(unit)}-{year}{suffix}"


@access("public")
@_or_unpublished("Hồ sơ tỉnh")
def profile_docx(request):
    """The two-page province profile (DOCX) of the province and year chosen on *Hồ sơ tỉnh*."""
    from piiplan.reports import write_profile

    _, year, unit, profile = _profile_input(request)
    name = _profile_name(unit, year, ".docx")
    return documents.download(documents.written(write_profile, profile, name), name)


@access("public")
@_or_unpublished("Hồ sơ tỉnh")
def profile_pdf(request):
    """The PDF copy of the profile (LibreOffice, in the background; converted once per document content)."""
    from piiplan.reports import write_profile

    snap, year, unit, profile = _profile_input(request)
    name = _profile_name(unit, year, ".docx")
    # the copy of an unpublished version is for those who may see that version (the background copy has a URL)
    policies = ("public",) if snap.public else ("staff", "leader")
    return documents.pdf_response(request, documents.written(write_profile, profile, name), name,
                                  policies=policies, back=f"{reverse('pages:profile')}?tinh={unit}&nam={year}")


@access("public")
@_or_unpublished("Xếp hạng")
def results_workbook(request):
    """The full results of one year (every stage and level, ranks, treatment log, weights, recipe)."""
    from piiplan.reports import write_results_workbook

    snap, year, res = _start(request)
    title = f"KẾT QUẢ CHỈ SỐ ĐỔI MỚI SÁNG TẠO CẤP ĐỊA PHƯƠNG (PII) NĂM {year}"
    name = f"ket-qua-pii-{year}.xlsx"
    body = documents.written(write_results_workbook, res, name, title=title, synthetic=snap.synthetic,
                             names=snap.names, public=True)
    return documents.download(body, name)

"""The issuing organisation (DoST admin) and the report composer of a period (DoST staff)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render

from piiplan.web import documents, versioning
from piiplan.web.accounts.access import access, get_object_for_user
from piiplan.web.audit.log import record
from piiplan.web.plan import narrative
from piiplan.web.plan.models import IssuingOrganisation, ReportingPeriod


@access("admin")
def organisation(request):
    """*Cơ quan ban hành văn bản*: the issuing body, number symbol, place, signer and "Lưu" line of every
    document. A bad value gets a Vietnamese message and nothing changes; every change is audited."""
    from piiplan.reports.organisation import LABELS, REQUIRED, SIGNER_FORMS, validate

    current = documents.organisation()
    values = current.as_dict()
    errors: dict[str, str] = {}
    row = IssuingOrganisation.objects.filter(province=current.province).first()
    version = row.version if row else 0
    if request.method == "POST":
        posted = {key: request.POST.get(key, "").strip() for key in IssuingOrganisation.FIELDS}
        posted["province"] = current.province  # the workspace's province (PIIPLAN_PROVINCE) is not edited here
        errors = validate(posted)
        what = "Thông tin cơ quan ban hành"
        try:
            if row is None and str(request.POST.get("version", "")).strip() != "0":
                raise versioning.ConflictError(versioning.MESSAGE.format(what=what, who="người khác", when="vừa rồi"))
            if not errors:
                with transaction.atomic():
                    before = {k: values[k] for k in IssuingOrganisation.FIELDS}
                    if row is None:
                        row = IssuingOrganisation.objects.create(**posted, updated_by=request.user)
                    else:   # one conditional UPDATE: of two saves from the same version exactly one wins
                        versioning.guarded_update(IssuingOrganisation, row.pk, request.POST.get("version"), what,
                                                  **posted, updated_by=request.user)
                    record(request, "organisation_update", row, before=before, after=posted)
                messages.success(request, "Đã lưu thông tin cơ quan ban hành; mọi văn bản từ nay dùng thông tin này.")
                return redirect("plan:organisation")
        except versioning.ConflictError as exc:
            errors["version"] = str(exc)
            row = IssuingOrganisation.objects.filter(province=current.province).first()
            version = row.version if row else 0
        values = {**values, **posted}
        messages.error(request, "Chưa lưu: " + " ".join(errors.values()))
    fields = [{"name": key, "label": LABELS[key], "value": values.get(key, ""), "error": errors.get(key),
               "required": key in REQUIRED} for key in IssuingOrganisation.FIELDS if key != "province"]
    preview = documents.organisation()
    return render(request, "plan/organisation.html", {
        "fields": fields, "forms": SIGNER_FORMS, "version": version, "province": current.province,
        "preview": preview, "signature": preview.signature(), "status": 400 if errors else 200,
    }, status=400 if errors else 200)


@access("staff")
def composer(request, pk):
    """*Soạn báo cáo*: every narrative section of the period's report, pre-filled with its draft."""
    from piiplan.web.plan.outputs import half_year_report, report_data

    period = get_object_for_user(request, ReportingPeriod, write=request.method == "POST", pk=pk)
    problems: dict[str, str] = {}
    posted: dict[str, str] = {}
    data = report_data(period)  # once: the scenarios' what-ifs are the slow part
    report = half_year_report(period, data)
    written = narrative.saved(period)
    drafts = narrative.drafts(period, report, data)
    shown = {key: written[key].text if key in written else "\n".join(drafts[key]) for key in narrative.SECTIONS}
    if request.method == "POST":
        posted = {key: request.POST[key] for key in request.POST if key in narrative.SECTIONS}
        versions = {}
        for key in narrative.SECTIONS:
            try:
                versions[key] = int(request.POST.get(f"v_{key}", "0") or 0)
            except ValueError:
                versions[key] = -1
        try:
            changed = narrative.save(request, period, posted, versions, shown)
        except narrative.ComposerError as exc:
            problems = exc.problems
            messages.error(request, "Chưa lưu mục nào: " + " ".join(problems.values()))
        else:
            messages.success(request, f"Đã lưu {len(changed)} mục." if changed else "Không có mục nào thay đổi.")
            return redirect("plan:composer", pk=period.pk)
    sections = []
    for key, label in narrative.SECTIONS.items():
        row = written.get(key)
        text = posted.get(key) if key in posted and key in problems else shown[key]
        rows = min(16, max(4, len(text.splitlines()) + 2, len(text) // 110 + 2))
        sections.append({"rows": rows, "key": key, "label": label, "text": text, "version": row.version if row else 0,
                         "saved": row, "draft": row is None, "error": problems.get(key)})
    from piiplan.reports.half_year import position_paragraphs

    return render(request, "plan/composer.html", {"period": period, "sections": sections, "report": report,
                                                  "position_lines": position_paragraphs(report)},
                  status=400 if problems else 200)

"""Exemplary models (mô hình tiêu biểu): propose, review (explicit choice, confirmed), the public register."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.urls import reverse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from piiplan.web.accounts.access import access, get_object_for_user, visible_to
from piiplan.web.audit.log import record, snapshot
from piiplan.web import versioning
from piiplan.web.plan.forms import ExemplaryModelForm, ModelReviewForm
from piiplan.web.plan.views.review import confirm_page
from piiplan.web.plan.models import ExemplaryModel, ModelCategory, ModelStatus, Notice

MODEL_FIELDS = ["title", "category", "location", "year", "summary", "results", "replication", "status", "review_comment"]


@require_GET
@access("member")
def models(request):
    rows = visible_to(request.user, ExemplaryModel).select_related("agency")
    return render(request, "plan/models.html", {"rows": rows})


@access("agency")
def model_propose(request):
    form = ExemplaryModelForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.agency = request.user.agency
        item.proposed_by = request.user
        item.save()
        record(request, "model_propose", item, after=snapshot(item, MODEL_FIELDS))
        Notice.objects.create(for_dost=True, title=f"{item.agency.name} đề xuất mô hình «{item.title}»")
        messages.success(request, "Đã gửi đề xuất mô hình tiêu biểu cho Sở KH&CN xem xét.")
        return redirect("plan:model_detail", pk=item.pk)
    return render(request, "plan/model_form.html", {"form": form})


@require_GET
@access("member")
def model_detail(request, pk):
    item = get_object_for_user(request, ExemplaryModel.objects.select_related("agency"), pk=pk)
    return render(request, "plan/model_detail.html", {"item": item,
                                                      "form": ModelReviewForm(initial={"version": item.version}),
                                                      "can_review": request.user.is_dost})


def _review_again(request, item, form, status: int):
    """The model page with the decision form as sent: the comment typed is never lost."""
    return render(request, "plan/model_detail.html", {"item": item, "form": form, "can_review": True},
                  status=status)


@require_POST
@access("staff")
def model_review(request, pk):
    item = get_object_for_user(request, ExemplaryModel, write=True, pk=pk)
    form = ModelReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _review_again(request, item, form, 400)
    publish = form.cleaned_data["decision"] == "publish"
    comment = form.cleaned_data["comment"].strip()
    if request.POST.get("confirm") != "1":
        return confirm_page(
            request, title="Xác nhận quyết định về mô hình",
            question=(f"Công bố mô hình «{item.title}» trên trang công khai «Mô hình tiêu biểu»?" if publish else
                      f"Trả lại đề xuất mô hình «{item.title}» để {item.agency.name} bổ sung?"),
            details=[f"Ý kiến: {comment}"] if comment else [],
            fields=[("decision", form.cleaned_data["decision"]), ("comment", comment),
                    ("version", form.cleaned_data["version"])],
            yes="Xác nhận công bố" if publish else "Xác nhận trả lại",
            back=reverse("plan:model_detail", kwargs={"pk": item.pk}))
    before = snapshot(item, MODEL_FIELDS)
    try:
        with transaction.atomic():
            versioning.claim(item, form.cleaned_data["version"], f"Mô hình «{item.title}»")
            item.status = ModelStatus.PUBLISHED if publish else ModelStatus.RETURNED
            item.review_comment = comment
            item.reviewed_by = request.user
            item.published_at = timezone.now() if publish else None
            item.save()
            record(request, "model_publish" if publish else "model_return", item, before=before,
                   after=snapshot(item, MODEL_FIELDS))
            Notice.objects.create(agency=item.agency, body=item.review_comment,
                                  title=("Đã công bố" if publish else "Trả lại") + f" mô hình «{item.title}»")
    except versioning.ConflictError as exc:
        messages.error(request, str(exc))
        item.refresh_from_db()
        data = request.POST.copy()
        data.pop("confirm", None)
        data["version"] = str(item.version)
        return _review_again(request, item, ModelReviewForm(data), 409)
    messages.success(request, "Đã công bố mô hình." if publish else "Đã trả lại đề xuất kèm ý kiến.")
    return redirect("plan:model_detail", pk=item.pk)


@require_GET
@access("public")
def register(request):
    """The public register: published models only, whoever asks."""
    rows = ExemplaryModel.objects.filter(status=ModelStatus.PUBLISHED).select_related("agency")
    category = request.GET.get("linh-vuc", "")
    if category in ModelCategory.values:
        rows = rows.filter(category=category)
    return render(request, "plan/register.html", {"rows": rows, "categories": ModelCategory.choices, "category": category})

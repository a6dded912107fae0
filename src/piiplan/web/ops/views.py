"""The waiting page and the download of a PDF copy made in the background (``ops.pdf_jobs``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from piiplan.web import documents
from piiplan.web.accounts.access import ANONYMOUS, access, allows, user_role
from piiplan.web.ops.models import PdfCopy, JobStatus

WAIT_SECONDS = 2


def _copy(request, key: str, *fields: str):
    """The copy, if this user may read it (the policies of the page it came from)."""
    copy = get_object_or_404(PdfCopy.objects.only("key", "filename", "policies", "back", "status", "error", *fields),
                             key=key)
    if not allows(request.user, *copy.policy_list):
        if user_role(request.user) == ANONYMOUS:
            return None, redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        raise PermissionDenied("Vai trò của bạn không được xem tài liệu này.")
    return copy, None


@require_GET
@access("public")   # each copy carries the policies of its page, checked in _copy
def pdf_status(request, key: str):
    copy, refused = _copy(request, key)
    if refused:
        return refused
    if copy.status == JobStatus.FAILED:
        return documents.failed(request, copy.error, back=copy.back)
    ready = copy.status == JobStatus.DONE
    return render(request, "ops/pdf_wait.html", {
        "copy": copy, "ready": ready, "wait": WAIT_SECONDS,
        "file_url": reverse("ops:pdf_file", kwargs={"key": copy.key}),
    }, status=200 if ready else 202)


@require_GET
@access("public")
def pdf_file(request, key: str):
    copy, refused = _copy(request, key, "pdf")
    if refused:
        return refused
    if copy.status != JobStatus.DONE:
        return redirect("ops:pdf", key=copy.key)
    return documents.download(bytes(copy.pdf), copy.filename)

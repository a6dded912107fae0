from __future__ import annotations

from django.shortcuts import render

from piiplan.web.accounts.access import access


@access("public")
def home(request):
    # Placeholder overview; the real "Tổng quan" (score, rank, trend, target) replaces it.
    return render(request, "pages/home.html")

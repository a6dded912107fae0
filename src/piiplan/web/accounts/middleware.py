"""A user signed in with a temporary password (``User.must_change_password``) is sent to the
password change page until they have chosen their own; only that page, signing out and static
files stay reachable."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

MESSAGE = "Bạn đang dùng mật khẩu tạm thời do quản trị viên cấp: hãy đặt mật khẩu mới trước khi tiếp tục."


class ForcePasswordChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = (reverse("accounts:password_change"), reverse("accounts:logout"))
            static = settings.STATIC_URL or "/static/"
            if request.path not in allowed and not request.path.startswith(static):
                if request.method == "GET":
                    messages.warning(request, MESSAGE)
                return redirect("accounts:password_change")
        return self.get_response(request)

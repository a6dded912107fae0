"""Login, logout, password change and the administrator's user management."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login as auth_login, logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from piiplan.web.accounts import ratelimit
from piiplan.web.accounts.access import access, get_object_for_user
from piiplan.web.accounts.forms import LoginForm, UserCreateForm
from piiplan.web.accounts.models import Role, User
from piiplan.web.audit.log import client_ip, record, snapshot

USER_FIELDS = ["username", "full_name", "email", "role", "agency", "is_active"]


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


@access("public")
def login(request):
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        ip = client_ip(request)
        if ratelimit.is_locked(username, ip):
            minutes = ratelimit.minutes_left(username, ip)
            form.add_error(
                None,
                f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau khoảng {minutes} phút.",
            )
            record(request, "login_blocked", object_type="accounts.user", object_id=username)
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                ratelimit.register_failure(username, ip)
                record(request, "login_failed", object_type="accounts.user", object_id=username)
                form.add_error(None, "Tên đăng nhập hoặc mật khẩu không đúng.")
            else:
                ratelimit.clear(username, ip)
                auth_login(request, user)
                record(request, "login", user)
                return redirect(_next_url(request))
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=status,
    )


@require_POST
@access("public")
def logout(request):
    if request.user.is_authenticated:
        record(request, "logout", request.user)
    auth_logout(request)
    messages.info(request, "Bạn đã đăng xuất.")
    return redirect(settings.LOGOUT_REDIRECT_URL)


@access("member")
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        record(request, "password_change", user)
        messages.success(request, "Đã đổi mật khẩu.")
        return redirect("pages:home")
    return render(request, "accounts/password_change.html", {"form": form})


@access("admin")
def users(request):
    rows = User.objects.select_related("agency").order_by("-is_active", "role", "username")
    return render(request, "accounts/users.html", {"users": rows, "roles": Role})


@access("admin")
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        record(request, "user_create", user, after=snapshot(user, USER_FIELDS))
        messages.success(request, f"Đã tạo tài khoản {user.username}.")
        return redirect("accounts:users")
    return render(request, "accounts/user_create.html", {"form": form})


def _set_active(request, pk: int, active: bool):
    user = get_object_for_user(request, User, write=True, pk=pk)
    if user.pk == request.user.pk and not active:
        messages.error(request, "Không thể tự khoá tài khoản của chính mình.")
        return redirect("accounts:users")
    before = snapshot(user, USER_FIELDS)
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(
        request,
        "user_activate" if active else "user_deactivate",
        user,
        before=before,
        after=snapshot(user, USER_FIELDS),
    )
    verb = "mở khoá" if active else "khoá"
    messages.success(request, f"Đã {verb} tài khoản {user.username}.")
    return redirect("accounts:users")


@require_POST
@access("admin")
def user_deactivate(request, pk: int):
    return _set_active(request, pk, False)


@require_POST
@access("admin")
def user_activate(request, pk: int):
    return _set_active(request, pk, True)

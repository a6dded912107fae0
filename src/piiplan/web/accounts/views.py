"""Login, logout, password change, and creating, locking and unlocking accounts (the rest of the
administration is in ``admin_views``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login as auth_login, logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from piiplan.web.accounts import admin_services, ratelimit
from piiplan.web.accounts.access import access, get_object_for_user
from piiplan.web.accounts.forms import LoginForm, UserCreateForm
from piiplan.web.accounts.models import Role, User
from piiplan.web.audit.log import client_ip, record, snapshot

USER_FIELDS = admin_services.USER_FIELDS


def _next_url(request) -> str:
    """Where to go after signing in: a path on this site, or the home page (never an error)."""
    target = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if (
        target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and len(target) <= 2000
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@access("public")
def login(request):
    if request.user.is_authenticated and request.method == "GET":
        return HttpResponseRedirect(_next_url(request))
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        ip = client_ip(request)
        attempt = ratelimit.begin(username, ip)
        if not attempt.allowed:
            form.add_error(None, attempt.message_vi)
            record(request, "login_blocked", object_type="accounts.user", object_id=username, note=attempt.blocked_by[:5])
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                ratelimit.failed()
                record(request, "login_failed", object_type="accounts.user", object_id=username)
                form.add_error(None, "Tên đăng nhập hoặc mật khẩu không đúng.")
            else:
                ratelimit.succeeded(attempt, username, ip)
                auth_login(request, user)
                record(request, "login", user)
                if user.must_change_password:
                    return redirect("accounts:password_change")
                return HttpResponseRedirect(_next_url(request))
    next_value = _next_url(request) if (request.POST.get("next") or request.GET.get("next")) else ""
    return render(request, "accounts/login.html", {"form": form, "next": next_value}, status=status)


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
        if user.must_change_password:
            User.objects.filter(pk=user.pk).update(must_change_password=False)
            user.must_change_password = False
        update_session_auth_hash(request, user)
        record(request, "password_change", user)
        messages.success(request, "Đã đổi mật khẩu.")
        return redirect("pages:home")
    return render(request, "accounts/password_change.html", {"form": form})


@access("admin")
def user_create(request):
    agency = request.GET.get("agency", "")
    initial = {"role": Role.AGENCY, "agency": agency} if agency.isdigit() else None
    form = UserCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        record(request, "user_create", user, after=snapshot(user, USER_FIELDS))
        messages.success(request, f"Đã tạo tài khoản {user.username}.")
        return redirect("accounts:users")
    return render(request, "accounts/user_create.html", {"form": form})


def _set_active(request, pk: int, active: bool):
    user = get_object_for_user(request, User, write=True, pk=pk)
    try:
        user = admin_services.set_user_active(request, user, active, request.POST.get("version") or None)
    except (admin_services.AdminError, admin_services.ConflictError) as exc:
        messages.error(request, str(exc))
    else:
        verb = "mở khoá" if active else "khoá"
        messages.success(request, f"Đã {verb} tài khoản {user.username}.")
    back = request.POST.get("back")
    if back == "edit":
        return redirect("accounts:user_edit", pk=user.pk)
    return redirect("accounts:users")


@require_POST
@access("admin")
def user_deactivate(request, pk: int):
    return _set_active(request, pk, False)


@require_POST
@access("admin")
def user_activate(request, pk: int):
    return _set_active(request, pk, True)

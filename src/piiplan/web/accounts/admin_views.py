"""The administrator's pages for users and agencies (DoST admin only), and the public page of a
one-time password-reset link. Every change goes through ``admin_services`` (version check, audit)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_POST

from piiplan.web.accounts import admin_services as svc
from piiplan.web.accounts import ratelimit
from piiplan.web.accounts.access import access, get_object_for_user
from piiplan.web.accounts.admin_forms import AgencyForm, MergeForm, UserEditForm
from piiplan.web.accounts.models import Agency, AgencyKind, Role, User
from piiplan.web.audit.log import record

# --- users -----------------------------------------------------------------------------------------


@access("admin")
def users(request):
    rows = User.objects.select_related("agency").order_by("-is_active", "role", "username")
    return render(request, "accounts/users.html",
                  {"users": rows, "roles": Role, "locked": ratelimit.locked_usernames()})


def _user(request, pk: int) -> User:
    return get_object_for_user(request, User.objects.select_related("agency"), write=True, pk=pk)


@access("admin")
def user_edit(request, pk: int):
    user = _user(request, pk)
    status = 200
    if request.method == "POST":
        form = UserEditForm(request.POST, instance=user, editor=request.user)
        if form.is_valid():
            try:
                user = svc.save_user(request, user, form.changes(), form.cleaned_data["version"])
            except svc.ConflictError as exc:
                form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(request, f"Đã lưu tài khoản {user.username}.")
                return redirect("accounts:user_edit", pk=user.pk)
        else:
            status = 400
    else:
        form = UserEditForm(instance=user, editor=request.user)
    return render(request, "accounts/user_edit.html", {
        "form": form, "account": user, "locked": ratelimit._name(user.username) in ratelimit.locked_usernames(),
    }, status=status)


@require_POST
@access("admin")
def user_unlock(request, pk: int):
    user = _user(request, pk)
    svc.unlock_login(request, user)
    messages.success(request, f"Đã gỡ chặn đăng nhập của {user.username}: có thể đăng nhập lại ngay.")
    return redirect("accounts:user_edit", pk=user.pk)


@require_POST
@access("admin")
def user_reset_link(request, pk: int):
    user = _user(request, pk)
    try:
        link = svc.reset_link(request, user)
    except svc.AdminError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:user_edit", pk=user.pk)
    mailed = bool(request.POST.get("send")) and svc.mail_reset_link(user, link)
    return render(request, "accounts/user_secret.html", {"account": user, "link": link, "mailed": mailed,
                                                         "mail_asked": bool(request.POST.get("send"))})


@require_POST
@access("admin")
def user_temp_password(request, pk: int):
    user = _user(request, pk)
    try:
        password = svc.temporary_password(request, user)
    except svc.AdminError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:user_edit", pk=user.pk)
    return render(request, "accounts/user_secret.html", {"account": user, "password": password})


INVALID_LINK = (
    "Liên kết đặt lại mật khẩu không hợp lệ: đã được dùng, đã hết hạn hoặc bị chép thiếu. "
    "Hãy đề nghị quản trị viên cấp liên kết mới."
)


@access("public")
def password_reset_confirm(request, uidb64: str, token: str):
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=True)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/password_reset.html", {"invalid": INVALID_LINK}, status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        ratelimit.unlock(user.username)
        record(request, "password_reset", user, user=user, note="Đặt mật khẩu mới bằng liên kết một lần.")
        messages.success(request, "Đã đặt mật khẩu mới. Hãy đăng nhập bằng mật khẩu vừa đặt.")
        return redirect("accounts:login")
    return render(request, "accounts/password_reset.html", {"form": form, "account": user},
                  status=400 if request.method == "POST" else 200)


# --- agencies --------------------------------------------------------------------------------------


@access("admin")
def agencies(request):
    show = request.GET.get("trang-thai", "")
    rows = Agency.objects.select_related("merged_into").annotate(
        focal_points=Count("users", filter=Q(users__is_active=True)))
    if show == "ngung":
        rows = rows.filter(active=False)
    elif show != "tat-ca":
        rows = rows.filter(active=True)
    kind = request.GET.get("loai", "")
    if kind in AgencyKind.values:
        rows = rows.filter(kind=kind)
    return render(request, "accounts/agencies.html", {
        "agencies": rows.order_by("kind", "name"), "show": show, "kind": kind, "kinds": AgencyKind.choices,
    })


@access("admin")
def agency_create(request):
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agency = svc.create_agency(request, form.data_for_save())
        messages.success(request, f"Đã thêm {agency.name}.")
        return redirect("accounts:agency_edit", pk=agency.pk)
    return render(request, "accounts/agency_create.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _agency(request, pk: int) -> Agency:
    return get_object_for_user(request, Agency.all_objects.select_related("merged_into"), write=True, pk=pk)


def _agency_page(request, agency, form=None, merge_form=None, status=200):
    return render(request, "accounts/agency_edit.html", {
        "agency": agency,
        "form": form or AgencyForm(instance=agency),
        "merge_form": merge_form or MergeForm(source=agency, initial={"version": agency.version}),
        "focal_points": agency.users.order_by("-is_active", "username"),
        "merged": Agency.all_objects.filter(merged_into=agency).order_by("name"),
    }, status=status)


@access("admin")
def agency_edit(request, pk: int):
    agency = _agency(request, pk)
    if request.method != "POST":
        return _agency_page(request, agency)
    form = AgencyForm(request.POST, instance=agency)
    if not form.is_valid():
        return _agency_page(request, agency, form=form, status=400)
    try:
        agency = svc.save_agency(request, agency, form.data_for_save(), form.cleaned_data["version"])
    except svc.ConflictError as exc:
        form.add_error(None, str(exc))
        return _agency_page(request, agency, form=form, status=409)
    messages.success(request, f"Đã lưu {agency.name}.")
    return redirect("accounts:agency_edit", pk=agency.pk)


@require_POST
@access("admin")
def agency_merge(request, pk: int):
    agency = _agency(request, pk)
    form = MergeForm(request.POST, source=agency)
    if not form.is_valid():
        return _agency_page(request, agency, merge_form=form, status=400)
    target = form.cleaned_data["target"]
    try:
        moved = svc.merge_agency(request, agency, target, form.cleaned_data["version"])
    except (svc.AdminError, svc.ConflictError) as exc:
        form.add_error(None, str(exc))
        return _agency_page(request, agency, merge_form=form, status=409 if isinstance(exc, svc.ConflictError) else 400)
    summary = ", ".join(f"{count} {label}" for label, count in moved.items()) or "không có dữ liệu cần chuyển"
    messages.success(request, f"Đã gộp {agency.name} vào {target.name} ({summary}).")
    return redirect("accounts:agency_edit", pk=target.pk)


def _set_agency_active(request, pk: int, active: bool):
    agency = _agency(request, pk)
    try:
        agency = svc.set_agency_active(request, agency, active, request.POST.get("version"))
    except (svc.AdminError, svc.ConflictError) as exc:
        messages.error(request, str(exc))
    else:
        verb = "khôi phục" if active else "ngừng hoạt động"
        messages.success(request, f"Đã {verb} {agency.name}.")
    return redirect("accounts:agency_edit", pk=agency.pk)


@require_POST
@access("admin")
def agency_retire(request, pk: int):
    return _set_agency_active(request, pk, False)


@require_POST
@access("admin")
def agency_restore(request, pk: int):
    return _set_agency_active(request, pk, True)


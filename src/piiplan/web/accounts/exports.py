"""CSV copies of the administration lists (users, agencies) for the DoST administrator."""

from __future__ import annotations

from django.views.decorators.http import require_GET

from piiplan.web.accounts.access import access
from piiplan.web.accounts.models import Agency, User
from piiplan.web.csv_export import csv_response


@require_GET
@access("admin")
def users_csv(request):
    headers = ["Tên đăng nhập", "Họ và tên", "Thư điện tử", "Vai trò", "Cơ quan, đơn vị", "Lần đăng nhập cuối",
               "Đang hoạt động"]
    rows = User.objects.select_related("agency").order_by("-is_active", "role", "username")
    lines = ([u.username, u.full_name, u.email, u.get_role_display(), u.agency.name if u.agency else "",
              u.last_login, u.is_active] for u in rows)
    return csv_response("nguoi-dung.csv", headers, lines)


@require_GET
@access("admin")
def agencies_csv(request):
    headers = ["Mã", "Tên cơ quan, đơn vị", "Loại", "Tỉnh", "Thư điện tử", "Đang hoạt động", "Số người dùng",
               "Ghi chú"]
    rows = Agency.objects.order_by("name").prefetch_related("users")
    lines = ([a.code, a.name, a.get_kind_display(), a.province, a.email, a.active, len(a.users.all()), a.note]
             for a in rows)
    return csv_response("co-quan-don-vi.csv", headers, lines)

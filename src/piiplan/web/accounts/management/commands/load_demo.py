"""``manage.py load_demo``: load the demo workspace (agencies, one user per role, then the
steps other apps add in their ``demo.py``; see ``piiplan.web.demo``)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from piiplan.web.demo import DemoContext, discover_steps

DEFAULT_PASSWORD = "piiplan-demo-2026"


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: cơ quan, đơn vị của tỉnh, một tài khoản cho mỗi vai trò, dữ liệu và kế hoạch mẫu."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("PIIPLAN_DEMO_PASSWORD") or DEFAULT_PASSWORD,
            help="Mật khẩu của các tài khoản mẫu (mặc định: PIIPLAN_DEMO_PASSWORD hoặc %(default)s).",
        )
        parser.add_argument("--only", action="append", default=[], help="Chỉ chạy bước có tên này (lặp lại được).")
        parser.add_argument("--list", dest="list_steps", action="store_true", help="Liệt kê các bước rồi dừng.")
        parser.add_argument(
            "--force", action="store_true", help="Cho phép chạy khi PIIPLAN_ENV=production (không khuyến nghị)."
        )

    def handle(self, *args, password, only, list_steps, force, **options):
        steps = discover_steps(list_apps())
        if list_steps:
            for step in steps:
                self.stdout.write(f"{step.name}\t{step.label_vi}")
            return
        if settings.PRODUCTION and not force:
            raise CommandError(
                "Không nạp dữ liệu mẫu khi PIIPLAN_ENV=production: tài khoản mẫu có mật khẩu công khai. "
                "Dùng --force nếu thật sự cần."
            )
        unknown = set(only) - {step.name for step in steps}
        if unknown:
            raise CommandError(f"Không có bước: {', '.join(sorted(unknown))}.")
        ctx = DemoContext(province=settings.PIIPLAN_PROVINCE, password=password, write=self.stdout.write)
        for step in steps:
            if only and step.name not in only and not step.name.startswith("accounts."):
                # The accounts steps fill ctx.users/agencies that later steps rely on.
                continue
            self.stdout.write(f"• {step.label_vi} ({step.name})")
            with transaction.atomic():
                step.run(ctx)
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))
        if ctx.logins:
            self.stdout.write("Tài khoản mẫu (vai trò — tên đăng nhập / mật khẩu):")
            for label, username, pw in ctx.logins:
                self.stdout.write(f"  {label:<28} {username} / {pw}")


def list_apps() -> list[str]:
    from django.apps import apps

    return [config.name for config in apps.get_app_configs()]

"""``manage.py load_demo``: load the demo workspace (agencies, one user per role, then the
steps other apps add in their ``demo.py``; see ``piiplan.web.demo``).

Only what is missing is added; nothing that exists is changed. The demo accounts get the password
``--password`` / ``PIIPLAN_DEMO_PASSWORD``, or else one generated for this installation, printed once
when the accounts are created and stored nowhere in clear."""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from piiplan.web.demo import DemoContext, discover_steps

# Letters and digits that cannot be mistaken for one another when read off a screen.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def generate_password(groups: int = 4, size: int = 4) -> str:
    """A random password such as ``k7mq-x2pa-9tch-wb4e`` (80 bits), different for every installation."""
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(size)) for _ in range(groups))


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: cơ quan, đơn vị của tỉnh, một tài khoản cho mỗi vai trò, dữ liệu và kế hoạch mẫu."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=None,
            help="Mật khẩu của các tài khoản mẫu được tạo mới (mặc định: PIIPLAN_DEMO_PASSWORD, nếu không có "
            "thì sinh ngẫu nhiên và in ra một lần). Tài khoản đã có giữ nguyên mật khẩu.",
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
                "Không nạp dữ liệu mẫu khi PIIPLAN_ENV=production: tài khoản và số liệu mẫu không dành cho máy chủ chính thức. "
                "Dùng --force nếu thật sự cần."
            )
        unknown = set(only) - {step.name for step in steps}
        if unknown:
            raise CommandError(f"Không có bước: {', '.join(sorted(unknown))}.")
        password = password or os.environ.get("PIIPLAN_DEMO_PASSWORD", "").strip() or generate_password()
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
            self.stdout.write("Tài khoản mẫu vừa tạo (vai trò, tên đăng nhập, mật khẩu). Mật khẩu chỉ in ra lần này, "
                              "hãy ghi lại hoặc đổi ngay sau khi đăng nhập:")
            for label, username, pw in ctx.logins:
                self.stdout.write(f"  {label:<28} {username} / {pw}")
        if ctx.kept:
            self.stdout.write(f"Tài khoản mẫu đã có, giữ nguyên (kể cả mật khẩu): {', '.join(ctx.kept)}.")


def list_apps() -> list[str]:
    from django.apps import apps

    return [config.name for config in apps.get_app_configs()]

"""``manage.py restore SRC``: a backup made by ``manage.py backup`` into an EMPTY instance."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from piiplan.web.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Khôi phục bản sao lưu SRC (của manage.py backup) vào một phiên bản mới, chưa có dữ liệu. Kiểm tra "
            "tệp kê khai và mã SHA-256 của mọi tệp trước khi thay đổi bất cứ điều gì.")

    def add_arguments(self, parser):
        parser.add_argument("src", help="Thư mục sao lưu (có manifest.json).")

    def handle(self, *args, src, **options):
        try:
            summary = restore(Path(src))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        # A backup of an older version: bring its schema up to this code.
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS(
            f"Đã khôi phục từ {summary.folder}: cơ sở dữ liệu {summary.engine}, {summary.media_files} tệp tải lên."))

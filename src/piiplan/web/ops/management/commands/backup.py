"""``manage.py backup DEST``: the database and uploaded files into a new folder, with checksums."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from piiplan.web.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Sao lưu cơ sở dữ liệu (SQLite: sao lưu trực tuyến nhất quán; PostgreSQL: pg_dump) và các tệp tải "
            "lên vào thư mục DEST mới, kèm tệp kê khai mã kiểm tra SHA-256.")

    def add_arguments(self, parser):
        parser.add_argument("dest", help="Thư mục đích (mới hoặc trống).")

    def handle(self, *args, dest, **options):
        try:
            summary = backup(Path(dest))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Đã sao lưu vào {summary.folder}: cơ sở dữ liệu {summary.engine}, {summary.media_files} tệp tải lên, "
            f"{summary.bytes:,} byte.".replace(",", ".")))

"""``manage.py clean_orphans [--apply]``: upload files that no row refers to (dry run by default)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from piiplan.web.audit import record
from piiplan.web.ops.orphans import find_orphans, remove


class Command(BaseCommand):
    help = ("Liệt kê (mặc định) hoặc xoá (--apply) các tệp trong thư mục tải lên mà không dòng dữ liệu nào "
            "tham chiếu, ví dụ sau một lần nhập bị ngắt giữa chừng.")

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Xoá thật các tệp tìm thấy.")
        parser.add_argument("--min-age-minutes", type=int, default=60,
                            help="Bỏ qua tệp mới hơn số phút này (có thể đang được tải lên). Mặc định 60.")

    def handle(self, *args, apply, min_age_minutes, **options):
        if min_age_minutes < 0:
            from django.core.management.base import CommandError

            raise CommandError("--min-age-minutes phải lớn hơn hoặc bằng 0.")
        orphans = find_orphans(min_age_minutes * 60)
        for orphan in orphans:
            self.stdout.write(f"  {orphan.name} ({orphan.size} byte)")
        if not orphans:
            self.stdout.write("Không có tệp mồ côi.")
            return
        if not apply:
            self.stdout.write(f"Tìm thấy {len(orphans)} tệp mồ côi (chạy thử, chưa xoá). Thêm --apply để xoá.")
            return
        removed = remove(orphans)
        record(None, "clean_orphans", note=f"Đã xoá {removed} tệp mồ côi: " + ", ".join(o.name for o in orphans)[:2000])
        self.stdout.write(self.style.SUCCESS(f"Đã xoá {removed} tệp mồ côi."))

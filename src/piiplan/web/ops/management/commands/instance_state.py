"""``manage.py instance_state``: says whether the database holds any data (exit 0 = empty).

``scripts/serve.sh`` loads the demo data only when this exits 0, so a restart never touches
existing work."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from piiplan.web.ops.state import data_row_counts


class Command(BaseCommand):
    help = "Cho biết cơ sở dữ liệu có dữ liệu hay chưa (mã thoát 0: trống, 1: đã có dữ liệu)."

    def handle(self, *args, **options):
        counts = data_row_counts()
        if not counts:
            self.stdout.write("Cơ sở dữ liệu trống.")
            return
        total = sum(counts.values())
        self.stdout.write(f"Cơ sở dữ liệu đã có dữ liệu ({total} dòng trong {len(counts)} bảng).")
        sys.exit(1)

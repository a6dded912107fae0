"""``manage.py send_reminders``: daily reminders by e-mail and in-app notices (see docs/plan.md)."""

from __future__ import annotations

from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError

from piiplan.web.plan.models import today
from piiplan.web.plan.reminders import send_reminders


def _date(text: str) -> date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CommandError(f"Ngày «{text}» không hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 25/06/2026.")


class Command(BaseCommand):
    help = "Gửi thư nhắc hạn (7 ngày, 1 ngày trước hạn và khi quá hạn) và thông báo trong hệ thống; chạy hằng ngày."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Coi hôm nay là ngày này (ngày/tháng/năm), để thử.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không gửi và không ghi nhận.")

    def handle(self, *args, date=None, dry_run=False, **options):
        on = _date(date) if date else today()
        summary = send_reminders(on, dry_run=dry_run)
        verb = "Sẽ nhắc" if dry_run else "Đã nhắc"
        self.stdout.write(f"Ngày {on:%d/%m/%Y}: {verb} {len(summary.items)} việc; gửi {summary.emails} thư, "
                          f"tạo {summary.notices} thông báo; bỏ qua {summary.skipped_already_sent} việc đã nhắc trước đó.")
        for item in summary.items:
            self.stdout.write(f"  {item.agency.name}: {item.line()[2:]}")
        if summary.agencies_without_email:
            self.stdout.write("Cơ quan chưa có địa chỉ thư điện tử (chỉ có thông báo trong hệ thống): "
                              + ", ".join(summary.agencies_without_email))

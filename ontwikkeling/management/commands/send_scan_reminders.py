from django.conf import settings
from django.core.management.base import BaseCommand

from ontwikkeling.notifications import send_scan_reminders


class Command(BaseCommand):
    help = (
        "Send the one scan reminder to members who have not answered, in rounds that close "
        "within --days days (default ZS_SCAN_REMINDER_DAYS). Safe to run more than once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.ZS_SCAN_REMINDER_DAYS)

    def handle(self, *args, days, **options):
        sent = send_scan_reminders(days=days)
        self.stdout.write(f"{sent} reminder(s) sent")

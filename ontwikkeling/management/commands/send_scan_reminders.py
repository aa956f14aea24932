from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from notifications.sending import Outcome
from ontwikkeling.notifications import send_scan_reminders_now


class Command(BaseCommand):
    help = (
        "Send the one scan reminder to members who have not answered, in rounds that close "
        "within --days days (default ZS_SCAN_REMINDER_DAYS). Safe to run more than once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.ZS_SCAN_REMINDER_DAYS)

    def handle(self, *args, days, **options):
        outcomes = send_scan_reminders_now(days=days)
        self.stdout.write(f"{outcomes[Outcome.SENT]} reminder(s) sent")
        if outcomes[Outcome.FAILED]:
            raise CommandError(
                f"{outcomes[Outcome.FAILED]} reminder(s) failed; they are marked failed in the "
                "reminder log. Run the command again once the mail server works."
            )

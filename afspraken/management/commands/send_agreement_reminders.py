from django.core.management.base import BaseCommand

from afspraken.reminders import send_review_reminders


class Command(BaseCommand):
    help = "Remind owners of agreements past their review date, once per review date."

    def handle(self, *args, **options):
        outcomes = send_review_reminders()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())) or "none")

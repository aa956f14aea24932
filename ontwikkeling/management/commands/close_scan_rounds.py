from django.core.management.base import BaseCommand

from ontwikkeling.services import close_due_scan_rounds


class Command(BaseCommand):
    help = (
        "Close the scan rounds whose closing date has passed: their results may then be "
        "published and the link between answers and people (the respondent keys) is removed. "
        "Safe to run more than once."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{close_due_scan_rounds()} scan round(s) closed")

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from doelen import reminders
from doelen.reminders import ReminderKind
from notifications.sending import Outcome


class Command(BaseCommand):
    help = (
        "Send the progress reminders (or the managers' weekly digest) for a day now, in this "
        "process. Each person gets each reminder once, also when the Celery job ran already."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="the day to send for, as YYYY-MM-DD (default: today)",
        )
        parser.add_argument(
            "--kind",
            choices=ReminderKind.values,
            default=ReminderKind.DAILY,
            help="daily: progress reminders (default); digest: the managers' weekly digest",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="only list who would get what; send nothing and change nothing",
        )

    def handle(self, *args, date, kind, dry_run, **options):
        on = self._parse_date(date)
        report = reminders.send_all(kind=kind, on=on, dry_run=dry_run)
        if dry_run:
            for line in report.lines:
                self.stdout.write(line)
            already = report.outcomes.get(Outcome.ALREADY_SENT, 0)
            self.stdout.write(
                f"Dry run, {kind} {report.period}: {len(report.lines)} e-mail(s) would be sent "
                f"({already} sent already); nothing was sent or recorded."
            )
            return
        for line in report.lines:
            self.stderr.write(line)
        counts = ", ".join(f"{outcome}: {n}" for outcome, n in sorted(report.outcomes.items()))
        self.stdout.write(f"{kind} {report.period}: {counts or 'nothing to send'}.")
        if report.outcomes.get(Outcome.FAILED):
            raise CommandError(
                "Some e-mails failed; they are marked failed in the reminder log. "
                "Run the command again once the mail server works."
            )

    @staticmethod
    def _parse_date(value: str | None) -> datetime.date:
        if not value:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise CommandError(
                f"--date: expected a date as YYYY-MM-DD, for example 2026-11-30; got {value!r}."
            ) from None

"""Hand the after-commit jobs the broker missed to Celery (what beat does every minute)."""

from django.core.management.base import BaseCommand

from notifications import outbox


class Command(BaseCommand):
    help = "Hand pending after-commit jobs (e.g. scan invitations) to the broker."

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace",
            type=float,
            default=outbox.SWEEP_GRACE_SECONDS,
            help="leave jobs younger than this many seconds to their own hand-over",
        )

    def handle(self, *args, grace, **options):
        waiting = outbox.waiting(grace_seconds=grace).count()
        handed = outbox.sweep(grace_seconds=grace)
        self.stdout.write(f"{handed} of {waiting} pending jobs handed to the broker.")
        if handed < waiting:
            raise SystemExit(1)

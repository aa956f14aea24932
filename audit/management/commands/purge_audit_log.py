from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from audit.services import purge_expired


class Command(BaseCommand):
    help = "Remove audit events older than AUDIT_RETENTION_DAYS (the nightly task does the same)."

    def handle(self, *args, **options):
        deleted = purge_expired(today=timezone.localdate())
        self.stdout.write(
            f"Removed {deleted} audit events older than {settings.AUDIT_RETENTION_DAYS} days."
        )

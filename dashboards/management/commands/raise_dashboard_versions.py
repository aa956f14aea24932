"""Raise every team's dashboard data version, so that no cached dashboard entry is read
again: after restoring a backup (docs/deployment.md), or after changing data with SQL by
hand. The pages are computed afresh on their next view; old entries expire unread."""

from django.core.management.base import BaseCommand

from dashboards.freshness import mark_all_changed
from dashboards.models import TeamDataVersion


class Command(BaseCommand):
    help = "Raise every team's dashboard data version: cached dashboards are not read again."

    def handle(self, *args, **options):
        mark_all_changed()  # outside a transaction: at once
        count = TeamDataVersion.objects.count()
        self.stdout.write(f"Raised the dashboard data version of {count} teams.")

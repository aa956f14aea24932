"""Compute every team's dashboard figures for today now, so that the first view of the
organisation-wide dashboards does not have to (after an upgrade: a new release does not
read the previous release's cache; docs/deployment.md)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from dashboards.warmup import warm_figures


class Command(BaseCommand):
    help = "Compute every team's dashboard figures for today, ahead of the first view."

    def handle(self, *args, **options):
        count = warm_figures(on=timezone.localdate())
        self.stdout.write(f"Computed the dashboard figures of {count} teams for today.")

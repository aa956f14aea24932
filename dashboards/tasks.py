"""Celery tasks of the dashboards: thin wrappers (dashboards.warmup)."""

from celery import shared_task
from django.utils import timezone

from dashboards.warmup import warm_figures


@shared_task
def warm_dashboards_task() -> int:
    """Every team's figures for today in the cache, before the working day (beat)."""
    return warm_figures(on=timezone.localdate())

"""Celery tasks for reminders: thin wrappers, dates in, doelen.reminders selects.

Beat starts a plan task (CELERY_BEAT_SCHEDULE in settings); the plan enqueues one send task
per recipient (notifications.tasks.send_notification). A send task may run twice
(acks_late, a re-run of the plan, a second worker): the claim in the notifications app's
reminder log makes sure only one of them sends.
"""

import datetime

from celery import shared_task
from django.utils import timezone

from doelen import reminders
from doelen.reminders import ReminderKind
from notifications.tasks import enqueue


def _plan(kind: str, on: str | None) -> int:
    day = datetime.date.fromisoformat(on) if on else timezone.localdate()
    # The plan writes nothing, so there is no transaction to wait for before enqueuing.
    return enqueue(reminders.due(kind=kind, on=day))


@shared_task(ignore_result=True)
def plan_daily_reminders(on: str | None = None) -> int:
    """Enqueue today's (or `on`'s) progress reminders, one task per person."""
    return _plan(ReminderKind.DAILY, on)


@shared_task(ignore_result=True)
def plan_weekly_digests(on: str | None = None) -> int:
    """Enqueue this week's manager digests, one task per manager."""
    return _plan(ReminderKind.DIGEST, on)

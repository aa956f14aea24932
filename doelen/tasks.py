"""Celery tasks for reminders: thin wrappers, ids and dates in, doelen.reminders does the work.

Beat starts a plan task (CELERY_BEAT_SCHEDULE in settings); the plan enqueues one
send task per recipient. A send task may run twice (acks_late, a re-run of the plan, a second
worker): the claim in doelen.reminders makes sure only one of them sends.
"""

import datetime
import uuid

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from doelen import reminders
from doelen.models import ReminderKind


def _day(on: str | None) -> datetime.date:
    return datetime.date.fromisoformat(on) if on else timezone.localdate()


def _plan(kind: str, on: str | None) -> int:
    day = _day(on)
    recipient_ids = reminders.recipients_to_send(kind=kind, on=day)
    # The plan writes nothing, so there is no transaction to wait for before enqueuing.
    for recipient_id in recipient_ids:
        send_reminder.delay(kind, recipient_id, day.isoformat())
    return len(recipient_ids)


@shared_task(ignore_result=True)
def plan_daily_reminders(on: str | None = None) -> int:
    """Enqueue today's (or `on`'s) progress reminders, one task per person."""
    return _plan(ReminderKind.DAILY, on)


@shared_task(ignore_result=True)
def plan_weekly_digests(on: str | None = None) -> int:
    """Enqueue this week's manager digests, one task per manager."""
    return _plan(ReminderKind.DIGEST, on)


# The retry policy of every task that sends one reminder e-mail through
# doelen.reminders.send_once (also ontwikkeling's scan e-mails): bind=True, and pass
# claim_token(self) and is_last_attempt(self) on.
SEND_TASK_OPTIONS = {
    "bind": True,
    "ignore_result": True,
    # smtplib's errors and network errors are OSErrors; doelen.reminders re-raises only the
    # transient ones, and records the last one on the log as failed.
    "autoretry_for": (OSError,),
    "max_retries": settings.ZS_REMINDER_MAX_RETRIES,
    "retry_backoff": settings.ZS_REMINDER_RETRY_BACKOFF,
    # Below the Redis visibility timeout, so a waiting retry is not delivered twice.
    "retry_backoff_max": 600,
    "retry_jitter": True,
}


def claim_token(task) -> str:
    """Retries and redeliveries keep the task id: they may take over their own claim."""
    return task.request.id or f"task-{uuid.uuid4().hex}"


def is_last_attempt(task) -> bool:
    return task.request.retries >= task.max_retries


@shared_task(**SEND_TASK_OPTIONS)
def send_reminder(self, kind: str, recipient_id: int, on: str) -> str:
    """Send one person's reminder of `kind` for day `on` (YYYY-MM-DD), at most once."""
    return reminders.send_one(
        kind=kind,
        recipient_id=recipient_id,
        on=_day(on),
        claim_token=claim_token(self),
        last_attempt=is_last_attempt(self),
    )

"""The one Celery task that sends an e-mail of any registered kind, and its retry policy.

Thin: ids and JSON-safe parameters in, notifications.sending does the work. The owning apps'
plan tasks (doelen.tasks, ontwikkeling.tasks) select who is due and `enqueue` one send task
per recipient. A send task may run twice (acks_late, a re-run of the plan, a second worker):
the claim in the reminder log makes sure only one of them sends.
"""

import uuid
from collections.abc import Collection
from typing import Any

from celery import shared_task
from django.conf import settings

from notifications import outbox, sending
from notifications.registry import Notification

# The retry policy of sending one e-mail (docs/decisions/0002-reminders.md).
SEND_TASK_OPTIONS: dict[str, Any] = {
    "bind": True,
    "ignore_result": True,
    # smtplib's errors and network errors are OSErrors; sending.send_once re-raises only the
    # transient ones (sending.is_transient), and records the last one on the log as failed.
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
def send_notification(self, kind: str, recipient_id: int, params: dict) -> str:
    """Send one person's e-mail of `kind` (for `params`, e.g. {"on": "2026-11-30"}) once."""
    return sending.send_one(
        kind=kind,
        recipient_id=recipient_id,
        params=params,
        claim_token=claim_token(self),
        last_attempt=is_last_attempt(self),
    )


def enqueue(notifications: Collection[Notification]) -> int:
    """One send task per notification; how many. Call it after the commit that made them
    due (transaction.on_commit), or directly from a plan that writes nothing."""
    for notification in notifications:
        send_notification.delay(
            notification.kind, notification.recipient.pk, dict(notification.params)
        )
    return len(notifications)


@shared_task(ignore_result=True)
def run_pending_job(job_id: int) -> bool:
    """Run one recorded after-commit job (notifications.outbox)."""
    return outbox.run(job_id=job_id)


@shared_task(ignore_result=True)
def sweep_pending_jobs() -> int:
    """Hand over the after-commit jobs the broker missed (beat, every minute)."""
    return outbox.sweep()

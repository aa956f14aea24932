"""Celery tasks for the scan e-mails: thin wrappers, ids and dates in; ontwikkeling.notifications
does the work, through doelen's reminder mechanism (docs/decisions/0002-reminders.md).

The invitation plan runs after a round is stored (transaction.on_commit in
services.open_scan_round); the reminder plan runs daily from beat. Each plan enqueues one
send task per recipient, retried with back-off like doelen's reminders; the claim in the
reminder log makes sure a task that runs twice sends once.
"""

import datetime

from celery import shared_task
from django.utils import timezone

from doelen.tasks import SEND_TASK_OPTIONS, claim_token, is_last_attempt
from ontwikkeling import notifications


def _enqueue(emails: list[notifications.ScanEmail], on: datetime.date) -> int:
    # The plans write nothing, so there is no transaction to wait for before enqueuing.
    for email in emails:
        send_scan_email_task.delay(
            email.kind, email.scan_round.pk, email.recipient.pk, on.isoformat()
        )
    return len(emails)


@shared_task
def send_scan_invitations_task(round_id: int) -> int:
    """Enqueue the invitations for a round that just opened, one task per member."""
    on = timezone.localdate()
    return _enqueue(notifications.invitations_due(round_id=round_id, on=on), on)


@shared_task
def send_scan_reminders_task() -> int:
    """Enqueue today's scan reminders, one task per member who has not answered."""
    on = timezone.localdate()
    return _enqueue(notifications.reminders_due(on=on), on)


@shared_task(**SEND_TASK_OPTIONS)
def send_scan_email_task(self, kind: str, round_id: int, recipient_id: int, on: str) -> str:
    """Send one person's scan invitation or reminder for a round, at most once."""
    return notifications.send_scan_email(
        kind=kind,
        round_id=round_id,
        recipient_id=recipient_id,
        on=datetime.date.fromisoformat(on),
        claim_token=claim_token(self),
        last_attempt=is_last_attempt(self),
    )

"""Celery tasks for the scan e-mails: thin wrappers, ids in; ontwikkeling.notifications
selects, the notifications app sends (docs/decisions/0002-reminders.md).

The invitation plan runs after a round is stored (transaction.on_commit in
services.open_scan_round); the reminder plan runs daily from beat. Each plan enqueues one
send task per recipient (notifications.tasks.send_notification, retried with back-off); the
claim in the reminder log makes sure a task that runs twice sends once.
"""

from celery import shared_task
from django.utils import timezone

from notifications import sending
from notifications.tasks import enqueue
from ontwikkeling import notifications, services


@shared_task
def send_scan_invitations_task(round_id: int) -> int:
    """Enqueue the invitations for a round that just opened, one task per member."""
    on = timezone.localdate()
    return enqueue(
        sending.leave_out_sent(notifications.invitations_due(round_id=round_id, on=on))[0]
    )


@shared_task
def send_scan_reminders_task() -> int:
    """Enqueue today's scan reminders, one task per member who has not answered."""
    on = timezone.localdate()
    return enqueue(sending.leave_out_sent(notifications.reminders_due(on=on))[0])


@shared_task
def close_scan_rounds_task() -> int:
    """Close the rounds whose closing date has passed (clears their respondent keys)."""
    return services.close_due_scan_rounds(on=timezone.localdate())

"""Celery task for the agreement review reminders: a thin wrapper; afspraken.reminders
selects, the notifications app sends once (docs/decisions/0002-reminders.md)."""

from celery import shared_task
from django.utils import timezone

from afspraken import reminders
from notifications import sending
from notifications.tasks import enqueue


@shared_task(ignore_result=True)
def plan_agreement_reminders() -> int:
    """Enqueue one send task per overdue agreement whose owner was not reminded yet."""
    on = timezone.localdate()
    return enqueue(sending.leave_out_sent(reminders.reviews_due(on=on))[0])

"""Celery tasks for reminders: thin wrappers, dates in, doelen.reminders selects.

Beat starts a plan task (CELERY_BEAT_SCHEDULE in settings); the plan enqueues one send task
per recipient (notifications.tasks.send_notification). A send task may run twice
(acks_late, a re-run of the plan, a second worker): the claim in the notifications app's
reminder log makes sure only one of them sends.
"""

import datetime

from celery import shared_task
from django.utils import timezone

from doelen import nudges, reactions, reminders
from doelen.reminders import ReminderKind
from notifications import sending
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


@shared_task(ignore_result=True)
def send_nudge(goal_id: int, on: str, by: int) -> int:
    """After a "Vraag om een update": enqueue the owner's e-mail (once per goal per day)."""
    found = nudges.notifications_for(goal_id=goal_id, on=datetime.date.fromisoformat(on), by=by)
    return enqueue(sending.leave_out_sent(found)[0])


@shared_task(ignore_result=True)
def send_reaction_mail(recipient_id: int, on: str) -> int:
    """After a reaction: enqueue its check-in author's e-mail of the day (once a day)."""
    day = datetime.date.fromisoformat(on)
    found = reactions.notifications_for(on=day, recipient_ids=[recipient_id])
    return enqueue(sending.leave_out_sent(found)[0])

"""A goal's life cycle: one rule for every page, the reminders and the dashboards.

- planned: active, but its start date lies after the day (a carry-over into the next period
  creates these). Not stale, no reminders, no check-ins yet.
- running: active, between its start and due date (both included).
- overdue: active after its due date.
- finished: achieved, stopped or archived: shows its final result, no expectations.

`goal_phase` is the rule; `phase_condition` is the same rule for the database
(GoalQuerySet.planned/running/overdue); tests/doelen/test_lifecycle.py holds them together.
Freshness (`is_update_due`) is the staleness rule of GoalQuerySet.stale for one goal."""

import datetime

from django.db.models import Q
from django.utils import timezone

from doelen.choices import GoalPhase, GoalStatus


def goal_phase(
    *, status: str, start_date: datetime.date, due_date: datetime.date, on: datetime.date
) -> GoalPhase:
    """The phase of a goal with this status and these dates on day `on`."""
    if status != GoalStatus.ACTIVE:
        return GoalPhase.FINISHED
    if start_date > on:
        return GoalPhase.PLANNED
    if due_date < on:
        return GoalPhase.OVERDUE
    return GoalPhase.RUNNING


def phase_condition(phase: GoalPhase, *, on: datetime.date) -> Q:
    """`goal_phase(...) == phase` as a database condition on Goal."""
    active = Q(status=GoalStatus.ACTIVE)
    if phase == GoalPhase.FINISHED:
        return ~active
    if phase == GoalPhase.PLANNED:
        return active & Q(start_date__gt=on)
    if phase == GoalPhase.OVERDUE:
        return active & Q(start_date__lte=on, due_date__lt=on)
    return active & Q(start_date__lte=on, due_date__gte=on)


def end_of_day(on: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        on + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


def is_update_due(
    *,
    status: str,
    start_date: datetime.date,
    last_activity_at: datetime.datetime,
    rhythm_days: int,
    on: datetime.date,
    rhythms: int = 1,
) -> bool:
    """Whether an active goal waits for a progress update on `on`: it has run for at least
    `rhythms` times its team's rhythm since its start date, and had no check-in (or, without
    one, was created) within that time before the end of `on`. A planned goal never waits."""
    if status != GoalStatus.ACTIVE:
        return False
    window = datetime.timedelta(days=rhythm_days * rhythms)
    return start_date <= on - window and last_activity_at < end_of_day(on) - window

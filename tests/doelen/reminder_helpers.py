"""Shared helpers for the reminder tests: a fixed day and goals that are quiet for N days."""

import datetime

from django.utils import timezone

from doelen.models import Goal
from tests.factories import CheckInFactory, GoalFactory

TZ = timezone.get_default_timezone()
# A Monday: the daily job and the weekly digest both run.
TODAY = datetime.date(2026, 11, 30)
NOW = datetime.datetime(2026, 11, 30, 7, 0, tzinfo=TZ)


def quiet_goal(*, team, days_quiet: int, owner=None, with_check_in: bool = False, **kwargs):
    """A goal on `team` whose last activity was `days_quiet` days before 07:00 on TODAY."""
    last = NOW - datetime.timedelta(days=days_quiet)
    goal = GoalFactory(
        team=team,
        owner=owner,
        start_date=TODAY - datetime.timedelta(days=200),
        due_date=TODAY + datetime.timedelta(days=100),
        **kwargs,
    )
    if with_check_in:
        Goal.objects.filter(pk=goal.pk).update(created_at=last - datetime.timedelta(days=100))
        CheckInFactory(goal=goal, author=owner or goal.created_by or _someone(), created_at=last)
    else:
        Goal.objects.filter(pk=goal.pk).update(created_at=last)
    return goal


def _someone():
    from tests.factories import EmployeeFactory

    return EmployeeFactory()

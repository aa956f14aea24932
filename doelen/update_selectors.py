"""Reads for steering day to day: the goals waiting for my update ("Mijn updates"), the
stale goals of the teams a manager oversees ("waiting for you") and the reactions on
check-ins. Each runs a fixed number of queries."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from doelen.models import CheckIn, Goal
from doelen.reaction_models import Reaction
from doelen.selectors import GoalProgress, _progress, _with_progress
from teams.models import Employee, Membership


def my_updates(*, employee: Employee, on: datetime.date | None = None) -> list[GoalProgress]:
    """The active, started goals that are stale by their team's rhythm and are this
    employee's to update: the goals they own, and the goals without an owner in the teams
    they are a member of (the same people the daily reminder goes to). One query."""
    on = on or timezone.localdate()
    team_ids = Membership.objects.current(on).filter(employee=employee).values("team_id")
    goals = (
        Goal.objects.stale(on=on)
        .filter(team__is_active=True, start_date__lte=on)
        .filter(Q(owner=employee) | Q(owner__isnull=True, team_id__in=team_ids))
        .order_by("last_activity_at", "pk")
    )
    return [_progress(goal, on=on) for goal in _with_progress(goals)]


@dataclass
class WaitingGoal:
    """A stale goal of a team the viewer manages: who owns it and how long it waits."""

    goal: Goal
    last_activity_at: datetime.datetime
    days: int


def waiting_for_manager(
    *, manager: Employee, on: datetime.date | None = None, limit: int = 50
) -> list[WaitingGoal]:
    """The stale goals of the active teams `manager` oversees, the longest waiting first.
    One query."""
    on = on or timezone.localdate()
    goals = (
        Goal.objects.stale(on=on)
        .filter(team__is_active=True, team__managers=manager, start_date__lte=on)
        .select_related("team", "owner")
        .order_by("last_activity_at", "pk")[:limit]
    )
    return [
        WaitingGoal(
            goal=goal,
            last_activity_at=goal.last_activity_at,
            days=(on - timezone.localdate(goal.last_activity_at)).days,
        )
        for goal in goals
    ]


def attach_reactions(check_ins: Iterable[CheckIn]) -> None:
    """Set `reaction_list` on each check-in: its visible reactions, oldest first. One query
    (none for no check-ins)."""
    check_ins = list(check_ins)
    by_check_in: dict[int, list[Reaction]] = {check_in.pk: [] for check_in in check_ins}
    if by_check_in:
        reactions = (
            Reaction.objects.filter(check_in_id__in=by_check_in, retracted_at__isnull=True)
            .select_related("author")
            .order_by("created_at", "pk")
        )
        for reaction in reactions:
            by_check_in[reaction.check_in_id].append(reaction)
    for check_in in check_ins:
        check_in.reaction_list = by_check_in[check_in.pk]  # type: ignore[attr-defined]


def is_stale(goal: Goal, *, latest_at: datetime.datetime | None, on: datetime.date) -> bool:
    """`GoalQuerySet.stale()`'s rule for one loaded goal, without a query: active, started,
    and no check-in (or, without one, creation) within the team's rhythm before the end of
    day `on`."""
    if not goal.is_active or goal.start_date > on:
        return False
    end_of_day = datetime.datetime.combine(
        on + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    last = latest_at or goal.created_at
    return last < end_of_day - datetime.timedelta(days=goal.team.update_rhythm)

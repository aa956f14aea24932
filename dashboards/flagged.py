"""The goals a signal names (issue #17): active goals in view that are stale, behind, overdue or
not on track, with their titles and owners' names, for all teams in one query or for one team
from the goals the team dashboard already loaded. A past period: as of its last day."""

import datetime
from typing import TYPE_CHECKING, Any, cast

from dashboards.goal_scope import goals_in_view, in_period
from dashboards.periods import Period, as_of
from dashboards.signals import FlaggedGoal, GoalRef
from doelen.models import Confidence, GoalQuerySet, GoalStatus
from doelen.progress import is_behind

if TYPE_CHECKING:
    from dashboards.figures import GoalFigures


def flag_goal(
    *, ref: GoalRef, is_stale, since, progress, expected, due_date, confidence, on
) -> FlaggedGoal | None:
    """Why a signal may name this active goal; None when no goal signal would."""
    flagged = FlaggedGoal(
        ref=ref,
        is_stale=bool(is_stale),
        stale_since=since if is_stale else None,
        is_behind=is_behind(progress, expected),
        gap=expected - progress,
        is_overdue=due_date < on,
        doubtful=confidence is not None and confidence != Confidence.ON_TRACK,
    )
    if flagged.is_stale or flagged.is_behind or flagged.is_overdue or flagged.doubtful:
        return flagged
    return None


def flagged_goals(
    *, team_ids: list[int], period: Period, on: datetime.date, objective
) -> dict[int, list[FlaggedGoal]]:
    """{team_id: flagged goals}: the active goals in view running in the period that a goal
    signal may name (stale, behind, overdue, not on track), with their titles and owners'
    names. One query, whatever the number of teams. A past period: as of its last day."""
    when = as_of(period, on)
    on = when.day
    rows = (
        goals_in_view(team_ids, objective)
        .filter(in_period(period), status=GoalStatus.ACTIVE)
        .with_latest_check_in(until=when.until)
        .with_progress(on=on, until=when.until)
        .with_last_activity(until=when.until)
        .annotate(is_stale=GoalQuerySet.stale_condition(on=on))
        .order_by("due_date", "title", "pk")
        .values_list(
            "team_id",
            "pk",
            "title",
            "owner__name",
            "is_stale",
            "last_activity_at",
            "progress",
            "expected",
            "due_date",
            "latest_confidence",
        )
    )
    result: dict[int, list[FlaggedGoal]] = {team_id: [] for team_id in team_ids}
    for team_id, pk, title, owner, stale, since, progress, expected, due, confidence in rows:
        flagged = flag_goal(
            ref=GoalRef(pk=pk, title=title, owner=owner),
            is_stale=stale,
            since=since,
            progress=progress or 0.0,
            expected=expected or 0.0,
            due_date=due,
            confidence=confidence,
            on=on,
        )
        if flagged is not None:
            result[team_id].append(flagged)
    return result


def flagged_of(figures: list["GoalFigures"], on: datetime.date) -> list[FlaggedGoal]:
    """`flagged_goals` for one team, from its goals in view (`goal_figures`)."""
    result = []
    for g in figures:
        if not g.is_active:
            continue
        owner = g.goal.owner
        flagged = flag_goal(
            ref=GoalRef(pk=g.goal.pk, title=g.goal.title, owner=owner.name if owner else None),
            is_stale=g.is_stale,
            since=cast(Any, g.goal).last_activity_at,
            progress=g.progress,
            expected=g.expected,
            due_date=g.goal.due_date,
            confidence=g.latest_confidence,
            on=on,
        )
        if flagged is not None:
            result.append(flagged)
    return result

"""Closing a period: a team closes or carries over all its remaining goals in one step.

The remaining goals are the active goals that have started (running or overdue; a planned
goal belongs to the next period already). `period_plan` says what will happen to each,
for the preview; `goals_close_period` does it, goal by goal through the goal services
(each audited as when done by hand), plus one event for the step. Nothing is deleted:
closed goals are archived. See docs/decisions/0015-goal-life-cycle.md."""

import datetime
from dataclasses import dataclass
from typing import cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from doelen.models import CheckIn, Goal, GoalPhase, GoalStatus
from doelen.services import goal_carry_over, goal_set_status
from teams.models import Employee, Team


class PeriodAction(models.TextChoices):
    CARRY_OVER = "carry_over", gettext_lazy("Carry the goals over to a new period")
    CLOSE = "close", gettext_lazy("Close the goals (they are archived)")


class Outcome(models.TextChoices):
    CARRY_OVER = "carry_over", gettext_lazy("carried over to the new period, then archived")
    ACHIEVED = "achieved", gettext_lazy("target reached: marked achieved")
    ARCHIVED = "archived", gettext_lazy("archived")


@dataclass
class PlannedStep:
    goal: Goal
    outcome: Outcome

    @property
    def outcome_label(self):
        return self.outcome.label


def remaining_goals(*, team: Team, on: datetime.date):
    """The team's active goals that have started on `on`, oldest due date first."""
    return (
        Goal.objects.filter(team=team)
        .exclude(pk__in=Goal.objects.planned(on).values("pk"))
        .active()
        .select_related("last_check_in", "owner")
        .order_by("due_date", "title", "pk")
    )


def _outcome(goal: Goal, action: str) -> Outcome:
    if action == PeriodAction.CLOSE:
        return Outcome.ARCHIVED
    latest: CheckIn | None = goal.last_check_in
    value = latest.value if latest else goal.start_value
    if goal.progress_for(value) >= 1:
        return Outcome.ACHIEVED  # nothing left to carry over
    return Outcome.CARRY_OVER


def period_plan(*, team: Team, action: str, on: datetime.date) -> list[PlannedStep]:
    """What closing the period would do to each remaining goal. One query; writes nothing."""
    return [PlannedStep(goal, _outcome(goal, action)) for goal in remaining_goals(team=team, on=on)]


@dataclass
class PeriodResult:
    carried_over: list[Goal]  # the new goals
    achieved: list[Goal]
    archived: list[Goal]

    @property
    def count(self) -> int:
        return len(self.carried_over) + len(self.achieved) + len(self.archived)


@transaction.atomic
def goals_close_period(
    *,
    team: Team,
    actor: Employee,
    goal_ids: list[int],
    action: str,
    on: datetime.date,
    reason: str = "",
    start_date: datetime.date | None = None,
    due_date: datetime.date | None = None,
) -> PeriodResult:
    """Close or carry over the goals of the preview (`goal_ids`) that still remain. A goal
    closed or carried over meanwhile is left alone, so sending the step twice does it once."""
    if not team.is_active:
        raise ValidationError(_("This team is archived; its goals can no longer change."))
    if action not in PeriodAction.values:
        raise ValidationError({"action": _("Choose what happens to the goals.")})
    if action == PeriodAction.CARRY_OVER and not (start_date and due_date):
        raise ValidationError(_("Give the new period's start and due date."))
    reason = reason.strip() or _("Closed at the end of the period.")
    locked = list(
        remaining_goals(team=team, on=on).filter(pk__in=goal_ids).select_for_update(of=("self",))
    )
    result = PeriodResult(carried_over=[], achieved=[], archived=[])
    for goal in locked:
        if goal.phase(on) == GoalPhase.PLANNED:
            continue
        outcome = _outcome(goal, action)
        if outcome == Outcome.CARRY_OVER:
            new = goal_carry_over(
                goal=goal,
                actor=actor,
                start_date=cast(datetime.date, start_date),  # checked above
                due_date=cast(datetime.date, due_date),
            )
            result.carried_over.append(new)
        elif outcome == Outcome.ACHIEVED:
            why = _("Target reached at the end of the period.")
            done = goal_set_status(goal=goal, actor=actor, status=GoalStatus.ACHIEVED, reason=why)
            result.achieved.append(done)
        else:
            archived = GoalStatus.ARCHIVED
            done = goal_set_status(goal=goal, actor=actor, status=archived, reason=reason)
            result.archived.append(done)
    if result.count:
        audit_record(
            actor=actor,
            action="goal.close_period",
            obj=team,
            details={
                "action": action,
                "carried_over": [g.carried_over_from_id for g in result.carried_over],
                "new_goals": [g.pk for g in result.carried_over],
                "achieved": [g.pk for g in result.achieved],
                "archived": [g.pk for g in result.archived],
                "start_date": start_date.isoformat() if start_date else None,
                "due_date": due_date.isoformat() if due_date else None,
            },
        )
    return result

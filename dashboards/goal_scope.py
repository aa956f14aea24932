"""Which goals a dashboard looks at: those of its teams (serving one objective, if chosen) that
run in the period. Shared by the team figures and the goals that signals name."""

from django.db.models import Exists, OuterRef, Q

from dashboards.periods import Period
from doelen.models import Goal, GoalQuerySet, OrganisationObjective


def in_period(period: Period) -> Q:
    """Goals that run in the period (some day of it)."""
    return Q(start_date__lte=period.end, due_date__gte=period.start)


def goals_in_view(team_ids, objective: OrganisationObjective | None) -> GoalQuerySet:
    """The teams' goals, only those serving `objective` if given."""
    goals = Goal.objects.filter(team_id__in=team_ids)
    if objective is not None:
        goals = goals.filter(
            Exists(
                Goal.objectives.through.objects.filter(
                    goal_id=OuterRef("pk"), organisationobjective_id=objective.pk
                )
            )
        )
    return goals

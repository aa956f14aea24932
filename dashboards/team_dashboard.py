"""Everything the team dashboard shows: the team's goals one by one with their history,
check-ins per week, the role matrix and the goals per objective."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from dashboards.figures import GoalFigures, TeamSummary, all_roles, goals_in_view, team_summaries
from dashboards.periods import Period, as_of, period_bounds
from doelen.models import CheckIn, Goal, GoalQuerySet, OrganisationObjective
from doelen.stats import goal_objective_pairs
from rollen.models import Role
from rollen.selectors import team_members_with_roles
from teams.models import Team

# What the dashboards read of a goal (not its description and other long fields).
GOAL_FIELDS = (
    "team_id",
    "title",
    "measure_type",
    "unit",
    "start_value",
    "target_value",
    "start_date",
    "due_date",
    "status",
)


@dataclass
class TeamGoals:
    """A team's goals in view that run in the period, and the team's last activity (over
    all its goals in view)."""

    figures: list[GoalFigures]
    last_activity: datetime.datetime | None


def goal_figures(
    *,
    team: Team,
    period: Period,
    on: datetime.date,
    objective: OrganisationObjective | None = None,
    value_before: datetime.datetime | None = None,
) -> TeamGoals:
    """The team's goals in view, one by one, with where each stands on `on`. With
    `value_before`, each goal also gets `goal.value_before`: the value of its latest
    check-in before that moment (None without one). One query. A past period: where each
    goal stood on its last day (`as_of`), later check-ins left out."""
    when = as_of(period, on)
    on = when.day
    goals = (
        goals_in_view([team.pk], objective)
        .select_related("owner")  # the signals name each goal's owner
        .only(*GOAL_FIELDS, "owner__name")
        .with_latest_check_in(until=when.until)
        .with_last_activity(until=when.until)
        .annotate(is_stale=GoalQuerySet.stale_condition(on=on))
        .order_by("due_date", "title", "pk")
    )
    if value_before is not None:
        earlier = CheckIn.objects.filter(goal=OuterRef("pk"), created_at__lt=value_before)
        goals = goals.annotate(
            value_before=Subquery(earlier.order_by("-created_at", "-pk").values("value")[:1])
        )
    figures = []
    last_activity = None
    for goal in goals:
        if goal.latest_at and (last_activity is None or goal.latest_at > last_activity):
            last_activity = goal.latest_at
        if not (goal.start_date <= period.end and goal.due_date >= period.start):
            continue
        figures.append(
            GoalFigures(
                goal=goal,
                progress=goal.progress_for(goal.latest_value),
                expected=goal.expected_progress(on),
                latest_at=goal.latest_at,
                latest_confidence=goal.latest_confidence,
                is_stale=goal.is_stale,
            )
        )
    return TeamGoals(figures=figures, last_activity=last_activity)


def _progress_before(goal: Goal) -> float | None:
    """Progress at the goal's `value_before` annotation (goal_figures(value_before=True))."""
    value_before = cast(Any, goal).value_before
    return goal.progress_for(value_before) if value_before is not None else None


@dataclass
class GoalHistory:
    figures: GoalFigures
    points: list[tuple[datetime.datetime, float, str]]  # (when, progress 0–1, confidence)
    value_before: float | None  # progress at the start of the period, from earlier check-ins


@dataclass
class TeamDashboard:
    summary: TeamSummary
    histories: list[GoalHistory]
    weeks: list[tuple[datetime.date, int]]  # (Monday, check-ins that week)
    members: list  # rollen.selectors.MemberRoles
    roles: list[Role]
    holders: dict[int, int]  # role_id -> holders
    objectives: list[tuple[OrganisationObjective | None, list[GoalFigures]]]


def _weeks(period: Period, on: datetime.date) -> list[datetime.date]:
    last = min(period.end, max(on, period.start))
    monday = period.start - datetime.timedelta(days=period.start.weekday())
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += datetime.timedelta(days=7)
    return weeks


def team_dashboard(
    *,
    team: Team,
    period: Period,
    on: datetime.date,
    objective: OrganisationObjective | None = None,
) -> TeamDashboard:
    """Everything the team dashboard shows. A fixed number of queries (about fifteen)."""
    start, end = period_bounds(period)
    goals = goal_figures(team=team, period=period, on=on, objective=objective, value_before=start)
    data = team_summaries(teams=[team], period=period, on=on, objective=objective, goals=goals)
    summary = data.summaries[0]
    summary.goals = goals.figures
    goal_ids = [g.goal.pk for g in summary.goals]

    points: dict[int, list] = defaultdict(list)
    weekly: dict[datetime.date, int] = defaultdict(int)
    check_ins = (
        CheckIn.objects.filter(goal_id__in=goal_ids, created_at__gte=start, created_at__lt=end)
        .order_by("created_at", "pk")
        .values_list("goal_id", "value", "confidence", "created_at")
    )
    by_id = {g.goal.pk: g for g in summary.goals}
    for goal_id, value, confidence, created_at in check_ins:
        points[goal_id].append((created_at, by_id[goal_id].goal.progress_for(value), confidence))
        day = timezone.localtime(created_at).date()
        weekly[day - datetime.timedelta(days=day.weekday())] += 1

    histories = [
        GoalHistory(
            figures=g,
            points=points[g.goal.pk],
            value_before=_progress_before(g.goal),
        )
        for g in summary.goals
    ]

    pairs = goal_objective_pairs(goal_ids=goal_ids)
    for goal_id, objective_id in pairs:
        by_id[goal_id].objective_ids.append(objective_id)
    objectives = list(OrganisationObjective.objects.filter(is_active=True).order_by("order"))
    per_objective: list[tuple[OrganisationObjective | None, list[GoalFigures]]] = [
        (obj, [g for g in summary.goals if obj.pk in g.objective_ids]) for obj in objectives
    ]
    per_objective = [(obj, goals) for obj, goals in per_objective if goals]
    without = [g for g in summary.goals if not g.objective_ids]
    if without:
        per_objective.append((None, without))

    holders = summary.holders
    roles = all_roles()
    return TeamDashboard(
        summary=summary,
        histories=histories,
        weeks=[(monday, weekly.get(monday, 0)) for monday in _weeks(period, on)],
        members=team_members_with_roles(team=team, on=as_of(period, on).day),
        roles=roles,
        holders=holders,
        objectives=per_objective,
    )

"""Reads that combine the scan and the responsibilities: the organisation overview for HR
and management, and a team's development goals."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.urls import NoReverseMatch
from django.utils import timezone

from ontwikkeling.models import (
    DevelopmentGoal,
    Responsibility,
    ResponsibilityState,
    ScanRound,
    TeamResponsibility,
)
from ontwikkeling.selectors.scan import WeakestTheme, weakest_themes
from teams.models import Team


@dataclass
class TeamOverviewRow:
    team: Team
    with_team: int
    shared: int
    responsibilities: int
    weakest: WeakestTheme | None
    last_round: ScanRound | None


def organisation_overview(
    *, on: datetime.date | None = None, teams: list[Team] | None = None
) -> list[TeamOverviewRow]:
    """Each of `teams` (default: every active team): how many responsibilities it holds
    (alone or shared), its weakest theme and its latest scan round. A constant number of
    queries; the work (the scan answers averaged) is in proportion to the teams given, so
    the page passes one page of teams (issue 21)."""
    on = on or timezone.localdate()
    if teams is None:
        teams = list(Team.objects.active().order_by("name"))
    team_ids = [team.pk for team in teams]
    responsibilities = Responsibility.objects.filter(is_active=True).count()
    states: dict[int, dict[str, int]] = defaultdict(dict)
    for team_id, state, number in (
        TeamResponsibility.objects.filter(team_id__in=team_ids, responsibility__is_active=True)
        .latest_per_pair()
        .values_list("team_id", "state")
        .annotate(number=Count("pk"))
        .order_by()
    ):
        states[team_id][state] = number
    last_rounds: dict[int, ScanRound] = {}
    for scan_round in ScanRound.objects.filter(team_id__in=team_ids, opens_on__lte=on).order_by(
        "team_id", "-opens_on"
    ):
        last_rounds.setdefault(scan_round.team_id, scan_round)
    weakest = weakest_themes(team_ids=team_ids, on=on)
    return [
        TeamOverviewRow(
            team=team,
            with_team=states[team.pk].get(ResponsibilityState.WITH_TEAM, 0),
            shared=states[team.pk].get(ResponsibilityState.SHARED, 0),
            responsibilities=responsibilities,
            weakest=weakest.get(team.pk),
            last_round=last_rounds.get(team.pk),
        )
        for team in teams
    ]


@dataclass
class DevelopmentGoalRow:
    development: DevelopmentGoal
    url: str | None


def development_goals(*, team: Team) -> list[DevelopmentGoalRow]:
    """The team's development goals, newest first, with a link to the goal page if the goals
    app has one. One query."""
    rows = (
        DevelopmentGoal.objects.filter(goal__team=team)
        .select_related("goal", "theme")
        .order_by("-created_at")
    )
    return [DevelopmentGoalRow(development=row, url=goal_url(row.goal)) for row in rows]


def goal_url(goal) -> str | None:
    try:
        return goal.get_absolute_url()
    except NoReverseMatch:  # the goal pages are not mounted (yet)
        return None

"""Team figures that feed the dashboards. They compose teams, rollen and doelen, so they live
in the dashboards app (docs/architecture.md), and they use the shared rules of those apps:
stale goals (`Goal.objects.stale`), latest check-ins (`with_latest_check_in`), progress and expected
progress (`Goal.progress_for`, `Goal.expected_progress`) and vulnerable roles
(`rollen.selectors.vulnerable_in`).

Signals are about the reference day `on` (today): stale goals, vulnerable roles, progress
against the straight line to the target. The period chooses which goals count (those running
in it) and which check-ins the confidence trend and the charts use. A past period is about its
last day instead (`dashboards.periods.as_of`, issue #17): each goal's latest check-in before
its end, role holders and members on that day, stale goals as they stood then.

Every function runs a fixed number of queries, whatever the number of teams, goals or
check-ins. The database does the counting: goals per team and per objective are counted and
summed in one GROUP BY each (progress from `GoalQuerySet.with_progress`, the latest check-in
from `Goal.last_check_in`, which the check-in service keeps), check-ins per team and confidence in
one more (`doelen.stats.confidence_trends`). Only the team dashboard
(`dashboards.team_dashboard`) loads goals and check-ins one by one, for one team; the
organisation view adds the teams' figures up (`dashboards.organisation`).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Max, Min, Q, Sum

from dashboards.flagged import flagged_goals, flagged_of
from dashboards.goal_scope import goals_in_view, in_period
from dashboards.periods import Period, as_of, period_bounds, start_of_day
from dashboards.signals import (
    SERIOUS,
    FlaggedGoal,
    Signal,
    severity_of,
    team_signals,
)
from dashboards.teamwork import TeamworkFigures, teamwork_figures, teamwork_signals
from doelen.models import Goal, GoalQuerySet, GoalStatus, OrganisationObjective
from doelen.progress import is_behind
from doelen.stats import ConfidenceTrend, confidence_trends
from rollen.models import Role, held_by_active_person
from rollen.selectors import role_holder_counts, vulnerable_in
from teams.models import Membership, Team

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from dashboards.team_dashboard import TeamGoals


# Team figures


@dataclass
class GoalFigures:
    """A goal in view with where it stands on `on`."""

    goal: Goal
    progress: float  # 0–1, from the latest check-in
    expected: float  # 0–1, the straight line from start to target
    latest_at: datetime.datetime | None
    latest_confidence: str | None
    is_stale: bool = False
    objective_ids: list[int] = field(default_factory=list)

    @property
    def is_active(self) -> bool:
        return self.goal.status == GoalStatus.ACTIVE

    @property
    def behind(self) -> bool:
        return self.is_active and is_behind(self.progress, self.expected)


@dataclass
class TeamSummary:
    """One team's row on the manager dashboard. The goal figures are counted and summed by
    the database (`team_summaries`); `goals` lists the goals themselves only on the team
    dashboard, which shows them one by one."""

    team: Team
    confidence: ConfidenceTrend
    vulnerable: list[tuple[Role, int]]
    members: int
    last_activity: datetime.datetime | None
    status_totals: dict[str, int] = field(default_factory=dict)  # goals in view per status
    progress_sum: float = 0.0  # over the active goals in view
    expected_sum: float = 0.0
    stale_count: int = 0
    stale_weeks: int = 0  # the oldest gap: weeks since the least recently updated stale goal
    signals: list[Signal] = field(default_factory=list)
    flagged: tuple[FlaggedGoal, ...] = ()  # the goals the goal signals name (TeamFigures)
    goals: list[GoalFigures] = field(default_factory=list)
    figures: "TeamFigures | None" = None

    @property
    def holders(self) -> dict[int, int]:
        """Role holders per role id on the reference day (from `figures`)."""
        if self.figures is None:
            raise ValueError("a TeamSummary without figures has no role holders")
        return self.figures.holders

    @property
    def status_counts(self) -> list[tuple[str, "StrOrPromise", int]]:
        """(status, label, number of goals) for each status that occurs, in a fixed order."""
        counts = self.status_totals
        return [(s.value, s.label, counts[s.value]) for s in GoalStatus if counts.get(s.value)]

    @property
    def goal_count(self) -> int:
        return sum(self.status_totals.values())

    @property
    def active_count(self) -> int:
        return self.status_totals.get(GoalStatus.ACTIVE, 0)

    @property
    def progress(self) -> float | None:
        return self.progress_sum / self.active_count if self.active_count else None

    @property
    def expected(self) -> float | None:
        return self.expected_sum / self.active_count if self.active_count else None

    @property
    def gap(self) -> float:
        """How far progress lies behind expected progress (negative: ahead)."""
        progress, expected = self.progress, self.expected
        if progress is None or expected is None:  # both None together: no active goals
            return 0.0
        return expected - progress

    @property
    def recent_share(self) -> float | None:
        """Share of active goals updated within the team's rhythm."""
        active = self.active_count
        return (active - self.stale_count) / active if active else None

    @property
    def needs_attention(self) -> bool:
        return bool(self.signals)

    @property
    def signal_count(self) -> int:
        return len(self.signals)

    @property
    def severity(self) -> int:
        """FINE, ATTENTION or SERIOUS: the most serious signal (dashboards.signals)."""
        return severity_of(self.signals)

    @property
    def is_serious(self) -> bool:
        return self.severity == SERIOUS

    @property
    def vulnerable_count(self) -> int:
        return len(self.vulnerable)


@dataclass
class DashboardData:
    summaries: list[TeamSummary]


@dataclass(frozen=True)
class ObjectiveTotals:
    """A team's active and achieved goals in view that serve one objective (or none)."""

    goal_count: int = 0
    active_count: int = 0
    progress_total: float = 0.0
    expected_total: float = 0.0


@dataclass(frozen=True)
class TeamFigures:
    """What the database says about one team for a period and reference day: plain values
    only, so that they can be cached (`dashboards.cache`) and a TeamSummary built
    from them in any language."""

    status_totals: dict[str, int]
    progress_sum: float
    expected_sum: float
    stale_count: int
    stale_weeks: int
    last_activity: datetime.datetime | None
    members: int
    confidence: ConfidenceTrend
    holders: dict[int, int]  # role_id -> holders on the reference day
    teamwork: TeamworkFigures | None = None  # agreements and contributions (dashboards.teamwork)
    flagged: tuple[FlaggedGoal, ...] = ()  # goals a signal may name (dashboards.flagged), by team


# The statuses the organisation view counts.
SHOWN_IN_ORGANISATION = (GoalStatus.ACTIVE, GoalStatus.ACHIEVED)


def _totals(
    *, team_ids: list[int], period: Period, on: datetime.date, objective
) -> dict[int, dict]:
    """{team_id: row} with the goal figures of each team, counted and summed by the
    database in one query: last activity (all goals in view), per status the goals running
    in the period, the sums of progress and expected progress of the active ones, the number
    of stale goals and the latest activity among them."""
    when = as_of(period, on)
    on = when.day
    running = in_period(period)
    active = running & Q(status=GoalStatus.ACTIVE)
    stale = running & GoalQuerySet.stale_condition(on=on)
    return {
        row["team_id"]: row
        for row in goals_in_view(team_ids, objective)
        .with_latest_check_in(until=when.until)
        .with_progress(on=on, until=when.until)
        .with_last_activity(until=when.until)
        .order_by()
        .values("team_id")
        .annotate(
            last_activity=Max("latest_at"),
            progress_sum=Sum("progress", filter=active),
            expected_sum=Sum("expected", filter=active),
            stale_count=Count("pk", filter=stale),
            stale_since=Min("last_activity_at", filter=stale),  # the oldest gap (#17)
            **{
                f"status_{status}": Count("pk", filter=running & Q(status=status))
                for status in GoalStatus.values
            },
        )
    }


def _totals_of(figures: list["GoalFigures"], last_activity) -> dict:
    """The row `_totals` gives for a team, summed from its goals in view (`goal_figures`)."""
    active = [g for g in figures if g.is_active]
    stale = [g for g in figures if g.is_stale]
    row = {
        "last_activity": last_activity,
        "progress_sum": sum(g.progress for g in active),
        "expected_sum": sum(g.expected for g in active),
        "stale_count": len(stale),
        "stale_since": min((cast(Any, g.goal).last_activity_at for g in stale), default=None),
    }
    for status in GoalStatus.values:
        row[f"status_{status}"] = sum(1 for g in figures if g.goal.status == status)
    return row


def objective_totals(
    *, team_ids: list[int], period: Period, on: datetime.date, objective=None
) -> dict[int, dict[int | None, ObjectiveTotals]]:
    """{team_id: {objective_id or None: totals}} of the active and achieved goals in view
    running in the period, for the organisation view. One query; teams without such goals
    get an empty dict."""
    active = Q(status=GoalStatus.ACTIVE)
    when = as_of(period, on)
    rows = (
        goals_in_view(team_ids, objective)
        .filter(in_period(period), status__in=SHOWN_IN_ORGANISATION)
        .with_progress(on=when.day, until=when.until)
        .order_by()
        .values("team_id", "objectives")
        .annotate(
            goal_count=Count("pk"),
            active_count=Count("pk", filter=active),
            progress_total=Sum("progress", filter=active),
            expected_total=Sum("expected", filter=active),
        )
    )
    result: dict[int, dict[int | None, ObjectiveTotals]] = {team_id: {} for team_id in team_ids}
    for row in rows:
        result[row["team_id"]][row["objectives"]] = ObjectiveTotals(
            goal_count=row["goal_count"],
            active_count=row["active_count"],
            progress_total=row["progress_total"] or 0.0,
            expected_total=row["expected_total"] or 0.0,
        )
    return result


def team_figures(
    *,
    team_ids: list[int],
    period: Period,
    on: datetime.date,
    objective: OrganisationObjective | None = None,
    goals: "TeamGoals | None" = None,
) -> dict[int, TeamFigures]:
    """{team_id: figures} for each team. Goals count when they run in the period (and serve
    `objective`, if given). The database counts and sums the goals per team (one GROUP BY
    over the goals, reading each goal's latest check-in from `Goal.last_check_in`, and one
    more for the goals the signals name, `dashboards.flagged`): six queries, whatever the number of
    teams, goals or check-ins. The team dashboard, which loads its one team's goals anyway,
    passes them as `goals`: then they are summed here."""
    if goals is not None:  # the one team of the team dashboard
        if len(team_ids) != 1:
            raise ValueError("goals are passed for one team only")
        totals = {team_id: _totals_of(goals.figures, goals.last_activity) for team_id in team_ids}
        flagged = {
            team_id: flagged_of(goals.figures, as_of(period, on).day) for team_id in team_ids
        }
    else:
        totals = _totals(team_ids=team_ids, period=period, on=on, objective=objective)
        flagged = flagged_goals(team_ids=team_ids, period=period, on=on, objective=objective)
    # A past period is about its last day: role holders, members and the oldest gap then
    # (issue #17), not today.
    on = as_of(period, on).day
    end_of_day = start_of_day(on + datetime.timedelta(days=1))

    start, end = period_bounds(period)
    previous_start, _previous_end = period_bounds(period.previous())
    trends = confidence_trends(teams=team_ids, start=start, end=end, previous_start=previous_start)
    holders = role_holder_counts(team_ids=team_ids, on=on)
    members = dict(
        Membership.objects.current(on)
        .filter(held_by_active_person(), team_id__in=team_ids)  # people who left do not count
        .order_by()
        .values("team_id")
        .annotate(n=Count("employee_id", distinct=True))
        .values_list("team_id", "n")
    )
    teamwork = teamwork_figures(team_ids=team_ids, on=on)
    figures = {}
    for team_id in team_ids:
        row = totals.get(team_id, {})
        stale_count = row.get("stale_count", 0)
        figures[team_id] = TeamFigures(
            status_totals={
                status: row[f"status_{status}"]
                for status in GoalStatus.values
                if row.get(f"status_{status}")
            },
            progress_sum=row.get("progress_sum") or 0.0,
            expected_sum=row.get("expected_sum") or 0.0,
            stale_count=stale_count,
            stale_weeks=(max(1, (end_of_day - row["stale_since"]).days // 7) if stale_count else 0),
            last_activity=row.get("last_activity"),
            members=members.get(team_id, 0),
            confidence=trends.get(team_id, ConfidenceTrend()),
            holders=holders.get(team_id, {}),
            teamwork=teamwork[team_id],
            flagged=tuple(flagged.get(team_id, ())),
        )
    return figures


def summarise(
    teams: Iterable[Team], figures: dict[int, TeamFigures], roles: list[Role]
) -> DashboardData:
    """A TeamSummary with signals per team, from its figures (`team_figures`). No queries;
    `roles` are all roles in their order (for the vulnerable ones)."""
    summaries = []
    for team in teams:
        own = figures[team.pk]
        summary = TeamSummary(
            team=team,
            confidence=own.confidence,
            vulnerable=vulnerable_in(own.holders, roles),
            members=own.members,
            last_activity=own.last_activity,
            status_totals=own.status_totals,
            progress_sum=own.progress_sum,
            expected_sum=own.expected_sum,
            stale_count=own.stale_count,
            stale_weeks=own.stale_weeks,
            flagged=own.flagged,
            figures=own,
        )
        signals = team_signals(summary) + teamwork_signals(own.teamwork)
        summary.signals = sorted(signals, key=lambda signal: -signal.severity)
        summaries.append(summary)
    return DashboardData(summaries=summaries)


def all_roles() -> list[Role]:
    return list(Role.objects.order_by("order"))


def team_summaries(
    *,
    teams: Iterable[Team],
    period: Period,
    on: datetime.date,
    objective: OrganisationObjective | None = None,
    goals: "TeamGoals | None" = None,
) -> DashboardData:
    """Figures and signals for each team, straight from the database (`team_figures`; the
    dashboards read them through `dashboard_cache.team_figures`)."""
    team_list = list(teams)
    figures = team_figures(
        team_ids=[team.pk for team in team_list],
        period=period,
        on=on,
        objective=objective,
        goals=goals,
    )
    return summarise(team_list, figures, all_roles())

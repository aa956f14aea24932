"""Reads that feed the dashboards. They compose teams, rollen and doelen, so they live in the
project package (DESIGN.md), and they use the shared rules of those apps: stale goals
(`Goal.objects.stale`), latest check-ins (`with_latest_check_in`), progress and expected
progress (`Goal.progress_for`, `Goal.expected_progress`) and vulnerable roles
(`rollen.selectors.vulnerable_in`).

Signals are about the reference day `on` (today): stale goals, vulnerable roles, progress
against the straight line to the target. The period chooses which goals count (those running
in it) and which check-ins the confidence trend and the charts use.

Every function runs a fixed number of queries, whatever the number of teams, goals or
check-ins. The database does the counting: goals per team and per objective are counted and
summed in one GROUP BY each (progress from `GoalQuerySet.with_progress`, the latest check-in
from `Goal.last_check_in`, which the database keeps), check-ins per team and confidence in
one more (`doelen.stats.confidence_trends`). Only the team dashboard loads goals and
check-ins one by one, for one team.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from doelen.models import CheckIn, Goal, GoalStatus, OrganisationObjective
from doelen.progress import is_behind
from doelen.stats import ConfidenceTrend, confidence_trends, goal_objective_pairs
from rollen.models import Role
from rollen.selectors import role_holder_counts, team_members_with_roles, vulnerable_in
from teams.models import Employee, Membership, Municipality, Team

# Periods


@dataclass(frozen=True)
class Period:
    """A stretch of days, both ends included: a quarter, a year or chosen dates."""

    kind: str  # "quarter", "year" or "custom"
    start: datetime.date
    end: datetime.date

    @classmethod
    def quarter(cls, day: datetime.date) -> "Period":
        first_month = (day.month - 1) // 3 * 3 + 1
        start = datetime.date(day.year, first_month, 1)
        next_start = (
            datetime.date(day.year + 1, 1, 1)
            if first_month == 10
            else datetime.date(day.year, first_month + 3, 1)
        )
        return cls("quarter", start, next_start - datetime.timedelta(days=1))

    @classmethod
    def year(cls, day: datetime.date) -> "Period":
        return cls("year", datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31))

    @classmethod
    def custom(cls, start: datetime.date, end: datetime.date) -> "Period":
        return cls("custom", start, end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same kind just before this one."""
        day_before = self.start - datetime.timedelta(days=1)
        if self.kind == "quarter":
            return Period.quarter(day_before)
        if self.kind == "year":
            return Period.year(day_before)
        return Period.custom(day_before - datetime.timedelta(days=self.days - 1), day_before)

    def next(self) -> "Period":
        day_after = self.end + datetime.timedelta(days=1)
        if self.kind == "quarter":
            return Period.quarter(day_after)
        if self.kind == "year":
            return Period.year(day_after)
        return Period.custom(day_after, day_after + datetime.timedelta(days=self.days - 1))

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return _("quarter %(quarter)d of %(year)d") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == "year":
            return str(self.start.year)
        return f"{date_format(self.start, 'j M Y')} – {date_format(self.end, 'j M Y')}"

    def as_query(self) -> dict[str, str]:
        """The query-string parameters that select this period."""
        if self.kind == "custom":
            return {
                "period": "custom",
                "start": self.start.isoformat(),
                "end": self.end.isoformat(),
            }
        return {"period": self.kind, "start": self.start.isoformat()}


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def period_bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) as aware datetimes in the portal's time zone."""
    return _start_of_day(period.start), _start_of_day(period.end + datetime.timedelta(days=1))


# Which teams a person sees


def dashboard_teams(*, user: Employee, on: datetime.date) -> QuerySet[Team]:
    """The active teams on a person's dashboard: all of them for HR and management, else the
    teams they manage and the teams they are a member of. Each is annotated `is_managed`."""
    managed = Team.managers.through.objects.filter(employee_id=user.pk).values("team_id")
    teams = Team.objects.active().annotate(is_managed=Q(pk__in=managed))
    if user.is_hr or user.is_management:
        return teams.order_by("name")
    member_of = Membership.objects.current(on).filter(employee_id=user.pk).values("team_id")
    return teams.filter(Q(pk__in=managed) | Q(pk__in=member_of)).order_by("name")


def may_see_organisation(user: Employee) -> bool:
    return user.is_hr or user.is_management


# Signals and team figures


@dataclass(frozen=True)
class Signal:
    """A reason a team needs attention, in words."""

    kind: str  # "stale", "role", "confidence", "behind"
    text: str


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
    stale_weeks: int = 0  # every stale goal went at least this many weeks without an update
    signals: list[Signal] = field(default_factory=list)
    goals: list[GoalFigures] = field(default_factory=list)
    figures: "TeamFigures | None" = None

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
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
        if self.progress is None:
            return 0.0
        return self.expected - self.progress

    @property
    def recent_share(self) -> float | None:
        """Share of active goals updated within the team's rhythm."""
        active = self.active_count
        return (active - self.stale_count) / active if active else None

    @property
    def needs_attention(self) -> bool:
        return bool(self.signals)

    @property
    def vulnerable_count(self) -> int:
        return len(self.vulnerable)


def _stale_signal(count: int, weeks: int) -> Signal:
    goals = ngettext("%(count)d goal", "%(count)d goals", count) % {"count": count}
    period = ngettext("%(count)d week", "%(count)d weeks", weeks) % {"count": weeks}
    return Signal(
        "stale", _("%(goals)s not updated for %(weeks)s") % {"goals": goals, "weeks": period}
    )


def _role_signal(role: Role, holders: int) -> Signal:
    if holders == 0:
        text = _("no role holder for %(role)s") % {"role": role.name}
    elif holders == 1:
        text = _("only one role holder for %(role)s") % {"role": role.name}
    else:
        text = ngettext(
            "only %(count)d role holder for %(role)s",
            "only %(count)d role holders for %(role)s",
            holders,
        ) % {"count": holders, "role": role.name}
    return Signal("role", text)


def _confidence_signal(trend: ConfidenceTrend) -> Signal:
    return Signal(
        "confidence",
        _("confidence fell: %(now)d%% of updates on track, %(before)d%% in the previous period")
        % {"now": round(trend.share_now * 100), "before": round(trend.share_before * 100)},
    )


def _behind_signal(progress: float, expected: float) -> Signal:
    return Signal(
        "behind",
        _("progress behind: on average %(progress)d%% where %(expected)d%% was expected")
        % {"progress": round(progress * 100), "expected": round(expected * 100)},
    )


def team_signals(summary: TeamSummary) -> list[Signal]:
    """The reasons a team needs attention, most pressing first."""
    signals = []
    if summary.stale_count:
        signals.append(_stale_signal(summary.stale_count, summary.stale_weeks))
    for role, holders in summary.vulnerable:
        signals.append(_role_signal(role, holders))
    # A team is behind when its average progress is (doelen.progress.is_behind) behind the
    # average expected progress of its active goals.
    if summary.progress is not None and is_behind(summary.progress, summary.expected):
        signals.append(_behind_signal(summary.progress, summary.expected))
    if summary.confidence.is_worse:
        signals.append(_confidence_signal(summary.confidence))
    return signals


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
# The statuses the organisation view counts.
SHOWN_IN_ORGANISATION = (GoalStatus.ACTIVE, GoalStatus.ACHIEVED)


def _in_period(period: Period, prefix: str = "") -> Q:
    """Goals that run in the period (some day of it)."""
    return Q(**{f"{prefix}start_date__lte": period.end, f"{prefix}due_date__gte": period.start})


def _goals_in_view(team_ids, objective: OrganisationObjective | None) -> QuerySet[Goal]:
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


def _totals(
    *, team_ids: list[int], period: Period, on: datetime.date, objective
) -> dict[int, dict]:
    """{team_id: row} with the goal figures of each team, counted and summed by the
    database in one query: last activity (all goals in view), per status the goals running
    in the period, the sums of progress and expected progress of the active ones, the number
    of stale goals and the latest activity among them."""
    in_period = _in_period(period)
    active = in_period & Q(status=GoalStatus.ACTIVE)
    stale = in_period & Goal.objects.stale_condition(on=on)
    return {
        row["team_id"]: row
        for row in _goals_in_view(team_ids, objective)
        .with_progress(on=on)
        .with_last_activity()
        .order_by()
        .values("team_id")
        .annotate(
            last_activity=Max("last_check_in__created_at"),
            progress_sum=Sum("progress", filter=active),
            expected_sum=Sum("expected", filter=active),
            stale_count=Count("pk", filter=stale),
            stale_since=Max("last_activity_at", filter=stale),
            **{
                f"status_{status}": Count("pk", filter=in_period & Q(status=status))
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
        "stale_since": max((g.goal.last_activity_at for g in stale), default=None),
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
    rows = (
        _goals_in_view(team_ids, objective)
        .filter(_in_period(period), status__in=SHOWN_IN_ORGANISATION)
        .with_progress(on=on)
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
    over the goals, reading each goal's latest check-in from `Goal.last_check_in`): five
    queries, whatever the number of teams, goals or check-ins. The team dashboard, which
    loads its one team's goals anyway, passes them as `goals`: then they are summed here."""
    if goals is not None:  # the one team of the team dashboard
        if len(team_ids) != 1:
            raise ValueError("goals are passed for one team only")
        totals = {team_id: _totals_of(goals.figures, goals.last_activity) for team_id in team_ids}
    else:
        totals = _totals(team_ids=team_ids, period=period, on=on, objective=objective)
    end_of_day = _start_of_day(on + datetime.timedelta(days=1))

    start, end = period_bounds(period)
    previous_start, _previous_end = period_bounds(period.previous())
    trends = confidence_trends(teams=team_ids, start=start, end=end, previous_start=previous_start)
    holders = role_holder_counts(team_ids=team_ids, on=on)
    members = dict(
        Membership.objects.current(on)
        .filter(team_id__in=team_ids)
        .order_by()
        .values("team_id")
        .annotate(n=Count("employee_id", distinct=True))
        .values_list("team_id", "n")
    )
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
            figures=own,
        )
        summary.signals = team_signals(summary)
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
    check-in before that moment (None without one). One query."""
    goals = (
        _goals_in_view([team.pk], objective)
        .only(*GOAL_FIELDS)
        .with_latest_check_in()
        .with_last_activity()
        .annotate(is_stale=Goal.objects.stale_condition(on=on))
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


# Sorting: the key is in the URL (?sort=...).

SORTS = {
    "attention": lambda s: (-len(s.signals), -s.gap, s.team.name.lower()),
    "name": lambda s: (s.team.name.lower(),),
    "progress": lambda s: (-s.gap, s.team.name.lower()),
    "stale": lambda s: (-s.stale_count, -s.stale_weeks, s.team.name.lower()),
    "roles": lambda s: (-s.vulnerable_count, s.team.name.lower()),
    "activity": lambda s: (
        s.last_activity is not None,
        s.last_activity or datetime.datetime.min.replace(tzinfo=datetime.UTC),
        s.team.name.lower(),
    ),
}
DEFAULT_SORT = "attention"


def sort_summaries(summaries: list[TeamSummary], sort: str) -> list[TeamSummary]:
    return sorted(summaries, key=SORTS.get(sort, SORTS[DEFAULT_SORT]))


# Team dashboard


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
            value_before=(
                g.goal.progress_for(g.goal.value_before)
                if g.goal.value_before is not None
                else None
            ),
        )
        for g in summary.goals
    ]

    pairs = goal_objective_pairs(goal_ids=goal_ids)
    for goal_id, objective_id in pairs:
        by_id[goal_id].objective_ids.append(objective_id)
    objectives = list(OrganisationObjective.objects.filter(is_active=True).order_by("order"))
    per_objective = [
        (obj, [g for g in summary.goals if obj.pk in g.objective_ids]) for obj in objectives
    ]
    per_objective = [(obj, goals) for obj, goals in per_objective if goals]
    without = [g for g in summary.goals if not g.objective_ids]
    if without:
        per_objective.append((None, without))

    holders = summary.figures.holders
    roles = all_roles()
    return TeamDashboard(
        summary=summary,
        histories=histories,
        weeks=[(monday, weekly.get(monday, 0)) for monday in _weeks(period, on)],
        members=team_members_with_roles(team=team, on=on),
        roles=roles,
        holders=holders,
        objectives=per_objective,
    )


# Organisation view


@dataclass
class GroupFigures:
    """Goals of one objective or one municipality: active and achieved goals in view;
    progress and expected progress averaged over the active ones."""

    key: str
    label: str
    goal_count: int = 0
    team_count: int = 0
    progress_total: float = 0.0
    expected_total: float = 0.0
    active_count: int = 0

    @property
    def progress(self) -> float | None:
        return self.progress_total / self.active_count if self.active_count else None

    @property
    def expected(self) -> float | None:
        return self.expected_total / self.active_count if self.active_count else None


@dataclass
class OrganisationOverview:
    summaries: list[TeamSummary]
    by_objective: list[GroupFigures]
    by_municipality: list[GroupFigures]
    roles: list[Role]
    coverage: list[tuple[Team, list[int]]]  # holders per role, least covered teams first
    team_count: int

    @property
    def attention(self) -> list[TeamSummary]:
        return [s for s in sort_summaries(self.summaries, "attention") if s.needs_attention]

    @property
    def vulnerable_team_count(self) -> int:
        return sum(1 for s in self.summaries if s.vulnerable)


def organisation_overview(
    *,
    summaries: list[TeamSummary],
    per_objective: dict[int, dict[int | None, ObjectiveTotals]],
    roles: list[Role],
    objective: OrganisationObjective | None = None,
) -> OrganisationOverview:
    """Goals per objective and municipality, role coverage across teams and the teams that
    need attention, added up from the teams' figures (`summarise`) and their goals per
    objective (`objective_totals`). One query (the objectives), whatever the number of
    teams, goals or check-ins."""
    objectives = OrganisationObjective.objects.filter(is_active=True).order_by("order")
    if objective is not None:
        objectives = objectives.filter(pk=objective.pk)
    by_objective = {obj.pk: GroupFigures(key=obj.slug, label=obj.name) for obj in objectives}
    no_objective = GroupFigures(key="", label=_("No organisation objective"))
    by_municipality = {
        value: GroupFigures(key=value, label=str(label)) for value, label in Municipality.choices
    }

    for summary in summaries:
        group = by_municipality[summary.team.municipality]
        count = sum(summary.status_totals.get(status, 0) for status in SHOWN_IN_ORGANISATION)
        if count:
            group.goal_count += count
            group.team_count += 1
            group.active_count += summary.active_count
            group.progress_total += summary.progress_sum
            group.expected_total += summary.expected_sum
        for objective_id, totals in per_objective[summary.team.pk].items():
            if objective_id is None:
                if objective is not None:
                    continue
                group = no_objective
            elif objective_id in by_objective:
                group = by_objective[objective_id]
            else:
                continue
            group.goal_count += totals.goal_count
            group.team_count += 1
            group.active_count += totals.active_count
            group.progress_total += totals.progress_total
            group.expected_total += totals.expected_total

    coverage = [
        (s.team, [s.figures.holders.get(role.pk, 0) for role in roles])
        for s in sorted(summaries, key=lambda s: (-s.vulnerable_count, s.team.name.lower()))
    ]
    groups = list(by_objective.values())
    if no_objective.goal_count:
        groups.append(no_objective)
    return OrganisationOverview(
        summaries=summaries,
        by_objective=groups,
        by_municipality=list(by_municipality.values()),
        roles=roles,
        coverage=coverage,
        team_count=len(summaries),
    )

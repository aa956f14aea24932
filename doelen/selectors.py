"""Reads about team goals that feed pages. Each runs a fixed number of queries."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from doelen.lifecycle import is_update_due
from doelen.models import CheckIn, Confidence, Goal, GoalPhase, GoalQuerySet, GoalStatus
from doelen.progress import is_behind
from teams.models import Employee, Membership, Team

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CLOSED_STATUSES = (GoalStatus.ACHIEVED, GoalStatus.STOPPED, GoalStatus.ARCHIVED)


@dataclass
class GoalProgress:
    """A goal with where it stands: its latest check-in and progress in percent."""

    goal: Goal
    latest_value: Decimal | None
    latest_confidence: str | None
    latest_at: datetime.datetime | None
    progress: int  # 0–100, from the latest value
    expected: int  # 0–100, the straight line from start to target on `on`
    phase: GoalPhase = GoalPhase.RUNNING
    update_due: bool = False  # waits for a progress update (the staleness rule)
    days_since_update: int | None = None  # since the latest check-in; None without one

    @property
    def shows_expected(self) -> bool:
        """A straight line to the target means something only for a running or overdue goal
        measured in numbers: not for a planned or finished goal, nor for a yes/no milestone."""
        return self.phase in (GoalPhase.RUNNING, GoalPhase.OVERDUE) and not self.goal.is_milestone

    @property
    def milestone_reached(self) -> bool:
        return self.goal.is_milestone and self.progress >= 100

    @property
    def confidence_label(self) -> "StrOrPromise":
        if not self.latest_confidence:
            return ""
        return Confidence(self.latest_confidence).label

    @property
    def behind(self) -> bool:
        """Clearly behind the straight line (`doelen.progress.is_behind`)."""
        return self.shows_expected and is_behind(self.progress / 100, self.expected / 100)


def _progress(goal: Goal, *, on: datetime.date) -> GoalProgress:
    """Needs the goal's team (select_related) and `with_latest_check_in()`: no query."""
    latest_value = getattr(goal, "latest_value", None)
    latest_at = getattr(goal, "latest_at", None)
    return GoalProgress(
        goal=goal,
        latest_value=latest_value,
        latest_confidence=getattr(goal, "latest_confidence", None),
        latest_at=latest_at,
        progress=round(goal.progress_for(latest_value) * 100),
        expected=round(goal.expected_progress(on) * 100),
        phase=goal.phase(on),
        update_due=is_update_due(
            status=goal.status,
            start_date=goal.start_date,
            last_activity_at=latest_at or goal.created_at,
            rhythm_days=goal.team.update_rhythm,
            on=on,
        ),
        days_since_update=(on - timezone.localdate(latest_at)).days if latest_at else None,
    )


def _with_progress(queryset: GoalQuerySet) -> GoalQuerySet:
    return queryset.with_latest_check_in().select_related("team", "owner")


def active_goals_for_teams(
    *, team_ids: list[int], on: datetime.date | None = None
) -> dict[int, list[GoalProgress]]:
    """{team_id: [active goal with progress, ...]} for the given teams. One query."""
    on = on or timezone.localdate()
    result: dict[int, list[GoalProgress]] = {team_id: [] for team_id in team_ids}
    goals = _with_progress(Goal.objects.active().filter(team_id__in=team_ids))
    for goal in goals.order_by("due_date", "title", "pk"):
        result[goal.team_id].append(_progress(goal, on=on))
    return result


def goals_for_team(
    *, team: Team, closed: bool = False, on: datetime.date | None = None
) -> list[GoalProgress]:
    """The team's active goals, or (closed=True) its achieved, stopped and archived goals
    (most recently changed first). One query."""
    on = on or timezone.localdate()
    goals = Goal.objects.filter(team=team)
    if closed:
        goals = goals.filter(status__in=CLOSED_STATUSES).order_by("-updated_at", "-pk")
    else:
        goals = goals.active().order_by("due_date", "title", "pk")
    return [_progress(goal, on=on) for goal in _with_progress(goals)]


def closed_goal_count(*, team: Team) -> int:
    return Goal.objects.filter(team=team, status__in=CLOSED_STATUSES).count()


def goals_needing_update(
    *, employee: Employee, team_ids: list[int], on: datetime.date | None = None
) -> list[GoalProgress]:
    """Active goals that had no check-in within their team's rhythm and that are this
    employee's to update: goals they own, and goals without an owner in their teams.
    One query."""
    on = on or timezone.localdate()
    goals = (
        Goal.objects.stale(on=on)
        .filter(team__is_active=True)
        .filter(Q(owner=employee) | Q(owner__isnull=True, team_id__in=team_ids))
        .order_by("last_activity_at", "pk")
    )
    return [_progress(goal, on=on) for goal in _with_progress(goals)]


@dataclass
class GoalDetail:
    goal: Goal
    progress: GoalProgress
    check_ins: list[CheckIn]  # newest first
    carried_over_to: list[Goal] = field(default_factory=list)

    @property
    def latest(self) -> CheckIn | None:
        return self.check_ins[0] if self.check_ins else None

    @property
    def chronological(self) -> list[CheckIn]:
        return list(reversed(self.check_ins))


def goal_detail(*, goal_id: int, on: datetime.date | None = None) -> GoalDetail:
    """A goal with its full history (newest first), objectives, driving roles and the goals
    it was carried over to. Five queries; 404 when there is no such goal."""
    on = on or timezone.localdate()
    goal = (
        _with_progress(Goal.objects.filter(pk=goal_id))
        .select_related("carried_over_from", "created_by")
        .prefetch_related(
            "objectives",
            "driving_roles",
            Prefetch(
                "check_ins",
                queryset=CheckIn.objects.select_related("author").order_by("-created_at", "-pk"),
                to_attr="history",
            ),
            Prefetch("carried_over_to", queryset=Goal.objects.order_by("pk"), to_attr="successors"),
        )
        .first()
    )
    if goal is None:
        raise Http404
    return GoalDetail(
        goal=goal,
        progress=_progress(goal, on=on),
        # to_attr of the prefetches above, unknown to the Goal model's type
        check_ins=cast(Any, goal).history,
        carried_over_to=cast(Any, goal).successors,
    )


def team_member_choices(*, team: Team, on: datetime.date | None = None) -> QuerySet[Employee]:
    """Employees who are a member of the team on `on`: the possible goal owners."""
    member_ids = Membership.objects.current(on).filter(team=team).values("employee_id")
    return Employee.objects.filter(pk__in=member_ids).order_by("name", "username")

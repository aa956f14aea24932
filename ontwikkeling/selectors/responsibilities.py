"""Reads of the responsibilities a team has taken over from its manager ("regelruimte"):
a team's checklist and history, and how far the teams are per responsibility."""

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count

from ontwikkeling.models import Responsibility, ResponsibilityState, TeamResponsibility
from teams.models import Team

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass
class ChecklistItem:
    responsibility: Responsibility
    current: TeamResponsibility | None

    @property
    def state(self) -> str:
        return self.current.state if self.current else ResponsibilityState.WITH_MANAGER

    @property
    def state_label(self) -> "StrOrPromise":
        return ResponsibilityState(self.state).label


def team_checklist(*, team: Team) -> list[ChecklistItem]:
    """Each active responsibility with its current state in the team (no row yet: with the
    manager). Two queries."""
    current = {
        row.responsibility_id: row
        for row in TeamResponsibility.objects.filter(team=team)
        .latest_per_pair()
        .select_related("changed_by")
    }
    return [
        ChecklistItem(responsibility=responsibility, current=current.get(responsibility.pk))
        for responsibility in Responsibility.objects.filter(is_active=True).order_by("order")
    ]


def responsibility_history(
    *, team: Team, responsibility: Responsibility | None = None, limit: int | None = None
):
    """The team's state changes, newest first (optionally of one responsibility)."""
    rows = TeamResponsibility.objects.filter(team=team).select_related(
        "responsibility", "changed_by"
    )
    if responsibility is not None:
        rows = rows.filter(responsibility=responsibility)
    rows = rows.order_by("-since", "-created_at", "-pk")
    return list(rows[:limit] if limit else rows)


@dataclass
class ResponsibilityProgress:
    responsibility: Responsibility
    with_manager: int
    shared: int
    with_team: int

    @property
    def total(self) -> int:
        return self.with_manager + self.shared + self.with_team

    def _share(self, count: int) -> float:
        return round(count / self.total * 100, 1) if self.total else 0.0

    @property
    def with_team_percent(self) -> float:
        return self._share(self.with_team)

    @property
    def shared_percent(self) -> float:
        return self._share(self.shared)


def responsibility_progress(*, team_ids: list[int] | None = None) -> list[ResponsibilityProgress]:
    """Per active responsibility: how many active teams (of `team_ids`, default all) have it
    with the manager, shared or with the team. Three queries."""
    teams = Team.objects.active()
    if team_ids is not None:
        teams = teams.filter(pk__in=team_ids)
    team_count = teams.count()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        TeamResponsibility.objects.filter(team__in=teams)
        .latest_per_pair()
        .values_list("responsibility_id", "state")
        .annotate(teams=Count("pk"))
        .order_by()
    )
    for responsibility_id, state, number in rows:
        counts[responsibility_id][state] = number
    result = []
    for responsibility in Responsibility.objects.filter(is_active=True).order_by("order"):
        shared = counts[responsibility.pk].get(ResponsibilityState.SHARED, 0)
        with_team = counts[responsibility.pk].get(ResponsibilityState.WITH_TEAM, 0)
        result.append(
            ResponsibilityProgress(
                responsibility=responsibility,
                with_manager=team_count - shared - with_team,
                shared=shared,
                with_team=with_team,
            )
        )
    return result

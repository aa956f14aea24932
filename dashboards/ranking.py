"""What the organisation-wide dashboards need of every team to sort, count and page, and
nothing more (issue 21, docs/decisions/0024-organisation-scale.md).

HR's dashboard of all teams and the organisation view sort and count 1,000 teams but show
24 cards or 25 teams that need attention. A `TeamRank` holds a team's sort keys and the
numbers the organisation view adds up: plain numbers, cached per team like its figures
(`dashboards.cache.team_ranks`). The pages sort the ranks, then read the figures and word
the signals (`figures.summarise`) of the teams they show only.

A rank is computed from the team's summary (`rank_of`), so its severity and signal count
are the ones the cards show (tests/dashboard/test_ranking.py compares the orders)."""

import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from dashboards.figures import SHOWN_IN_ORGANISATION

if TYPE_CHECKING:
    from dashboards.figures import TeamSummary
    from teams.models import Team


class TeamRank(NamedTuple):
    """A team's sort keys and totals. A named tuple: 1,000 of them are read from the cache
    for one page, and tuples unpickle fast."""

    severity: int
    signal_count: int
    gap: float
    stale_count: int
    stale_weeks: int
    vulnerable_count: int
    last_activity: datetime.datetime | None
    shown_goals: int  # active and achieved goals in view (the organisation view's count)
    active_count: int
    progress_sum: float
    expected_sum: float
    holders: dict[int, int]  # role_id -> holders


def rank_of(summary: "TeamSummary") -> TeamRank:
    return TeamRank(
        severity=summary.severity,
        signal_count=len(summary.signals),
        gap=summary.gap,
        stale_count=summary.stale_count,
        stale_weeks=summary.stale_weeks,
        vulnerable_count=summary.vulnerable_count,
        last_activity=summary.last_activity,
        shown_goals=sum(summary.status_totals.get(status, 0) for status in SHOWN_IN_ORGANISATION),
        active_count=summary.active_count,
        progress_sum=summary.progress_sum,
        expected_sum=summary.expected_sum,
        holders=summary.holders,
    )


class RankedTeam(NamedTuple):
    """A team with its rank: what `dashboards.sorting` sorts, like a TeamSummary. The rank's
    fields (severity, signal_count, gap, …) read as the ranked team's own."""

    team: "Team"
    rank: TeamRank

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rank, name)

    @property
    def needs_attention(self) -> bool:
        return self.rank.signal_count > 0

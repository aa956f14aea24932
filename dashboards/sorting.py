"""How the dashboards order team cards: the key is in the URL (?sort=...), the default puts
the teams that need attention most first."""

import datetime
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from dashboards.figures import TeamSummary
    from dashboards.ranking import RankedTeam

SORTS = {
    "attention": lambda s: (-s.severity, -s.signal_count, -s.gap, s.team.name.lower()),
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


Sortable = TypeVar("Sortable", "TeamSummary", "RankedTeam")


def sort_summaries(summaries: list[Sortable], sort: str) -> list[Sortable]:
    """Team summaries, or ranked teams (dashboards.ranking), in the order `sort` names."""
    return sorted(summaries, key=SORTS.get(sort, SORTS[DEFAULT_SORT]))

"""The dashboards' cache: team figures and rendered fragments, kept under each team's data
version.

Why: a dashboard is read far more often than its teams' data changes, and computing it takes
several aggregate queries and a lot of template work (bench/README.md: 8–27× a minimal page
before this cache; the targets of issue 4 are 3× and 5×).

Why it is never stale: every key holds the data version of each team it covers
(`dashboards.models.TeamDataVersion`: raised after every committed write to the sources
declared in `dashboards.sources`, see `dashboards.freshness`), the reference day (signals
are about today) and the period and filters; fragments also hold the language and the
query string their links carry. A write therefore leads to new keys: an old entry is never
read again and expires after DASHBOARD_CACHE_SECONDS. The version is read before the data
it guards, so an entry can hold data newer than its version says, never older.

Values are plain data (`TeamFigures`) or HTML that our own templates rendered and escaped
(SafeString, which pickling keeps).
"""

import datetime
import functools
import hashlib
from collections.abc import Callable, Hashable, Iterable
from typing import Any, cast

from django.conf import settings
from django.core.cache import caches
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from dashboards import figures
from dashboards.figures import TeamFigures
from dashboards.models import TeamDataVersion
from dashboards.periods import Period
from dashboards.ranking import RankedTeam, TeamRank, rank_of
from teams.models import Team

CACHE_ALIAS = "dashboards"


def _cache():
    return caches[CACHE_ALIAS]


@functools.cache
def release() -> str:
    """A digest of the release (`ZS_RELEASE`: a new release may draw the dashboards
    differently, so a shared cache such as Redis never serves the previous release's markup
    or figures) and of the settings that change what the dashboards show. Read once per
    process; no files are read."""
    shown = (
        settings.ZS_RELEASE,
        settings.ZS_MIN_ROLE_HOLDERS,
        settings.TIME_ZONE,
        settings.ZS_CARRY_SHARE,
    )
    return hashlib.blake2b(repr(shown).encode(), digest_size=8).hexdigest()


def cache_key(kind: str, *parts) -> str:
    """A short key for any number of parts (the organisation view's holds every team's
    version): the kind, readable, and a digest of the release and the parts."""
    digest = hashlib.blake2b(repr((release(), parts)).encode(), digest_size=16).hexdigest()
    return f"{kind}:{digest}"


def data_version(team: Team) -> int:
    """The team's data version (0 if it has none yet). One query."""
    if hasattr(team, "data_version"):
        return team.data_version
    return (
        TeamDataVersion.objects.filter(team_id=team.pk).values_list("number", flat=True).first()
        or 0
    )


def _figures_timeout() -> int:
    """Team figures are kept a day, so that the nightly warm-up (dashboards.warmup) serves
    the whole day; nothing is kept when the cache is off (DASHBOARD_CACHE_SECONDS=0)."""
    return 0 if _cache().default_timeout == 0 else settings.DASHBOARD_FIGURES_SECONDS


def _per_team(kind: str, compute, teams: Iterable[Team], *parts) -> dict:
    """{team_id: value} for teams annotated with their `data_version`
    (`dashboards.freshness.with_data_version`): from the cache, and for the teams that changed from
    `compute(team_ids)`, which reads them all in one go."""
    # data_version is an annotation (with_data_version), unknown to the Team model's type
    keys = {
        team.pk: cache_key(kind, team.pk, cast(Any, team).data_version, *parts) for team in teams
    }
    cached = _cache().get_many(list(keys.values()))
    found = {team_id: cached[key] for team_id, key in keys.items() if key in cached}
    missing = [team_id for team_id in keys if team_id not in found]
    if missing:
        computed = compute(missing)
        _cache().set_many(
            {keys[team_id]: computed[team_id] for team_id in missing},
            timeout=_figures_timeout(),
        )
        found.update(computed)
    return found


def _period_parts(period: Period, on: datetime.date, objective) -> tuple:
    """What a team's figures and rank depend on besides the team and its data version."""
    return (on, period.kind, period.start, period.end, objective.pk if objective else None)


def team_figures(
    teams: Iterable[Team], *, period: Period, on: datetime.date, objective=None
) -> dict[int, TeamFigures]:
    """{team_id: figures} as `figures.team_figures` computes them (in a fixed number of
    queries for all teams that changed)."""
    return _per_team(
        "figures",
        lambda team_ids: figures.team_figures(
            team_ids=team_ids, period=period, on=on, objective=objective
        ),
        teams,
        *_period_parts(period, on, objective),
    )


def team_ranks(
    teams: Iterable[Team], *, roles: list, period: Period, on: datetime.date, objective=None
) -> dict[int, TeamRank]:
    """{team_id: rank} (dashboards.ranking): from the cache, and for the teams that changed
    from their figures (`team_figures`, cached too) and signals. `roles`: all roles in
    their order (`figures.all_roles`)."""
    teams = list(teams)
    by_pk = {team.pk: team for team in teams}

    def compute(team_ids):
        chosen = [by_pk[team_id] for team_id in team_ids]
        figures_of = team_figures(chosen, period=period, on=on, objective=objective)
        summaries = figures.summarise(chosen, figures_of, roles).summaries
        return {summary.team.pk: rank_of(summary) for summary in summaries}

    return _per_team(
        "ranks",
        compute,
        teams,
        *_period_parts(period, on, objective),
    )


def ranked_teams(
    teams: Iterable[Team], *, roles: list, period: Period, on: datetime.date, objective=None
) -> list[RankedTeam]:
    """Each team with its rank (`team_ranks`), in the order given."""
    teams = list(teams)
    ranks = team_ranks(teams, roles=roles, period=period, on=on, objective=objective)
    return [RankedTeam(team, ranks[team.pk]) for team in teams]


def objective_totals(
    teams: Iterable[Team], *, period: Period, on: datetime.date, objective=None
) -> dict[int, dict]:
    """{team_id: {objective_id: totals}} as `figures.objective_totals` computes them."""
    return _per_team(
        "objectives",
        lambda team_ids: figures.objective_totals(
            team_ids=team_ids, period=period, on=on, objective=objective
        ),
        teams,
        on,
        period.start,
        period.end,
        objective.pk if objective is not None else None,
    )


def fragments(
    parts: dict[Hashable, tuple], render: Callable[[list], dict[Hashable, SafeString]]
) -> dict[Hashable, SafeString]:
    """{name: html} for fragments that differ per name (a card per team): each is cached
    under `parts[name]` and the active language. `render(names)` renders the missing ones
    together, so that what they need is read in one go."""
    language = get_language()
    keys = {name: cache_key("fragment", language, *key_parts) for name, key_parts in parts.items()}
    cached = _cache().get_many(list(keys.values()))
    found = {name: cached[key] for name, key in keys.items() if key in cached}
    missing = [name for name in keys if name not in found]
    if missing:
        rendered = render(missing)
        _cache().set_many({keys[name]: rendered[name] for name in missing})
        found.update(rendered)
    return found


def fragment(parts: tuple, render: Callable[[], SafeString]) -> SafeString:
    """One cached fragment (see `fragments`)."""
    return fragments({None: parts}, lambda _names: {None: render()})[None]

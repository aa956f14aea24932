"""The organisation view: goals per objective and municipality, role coverage across teams
and the teams that need attention, added up from the teams' figures."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from dashboards.figures import ObjectiveTotals, TeamSummary
from dashboards.ranking import RankedTeam
from doelen.models import OrganisationObjective
from rollen.models import Role
from teams.models import Municipality, Team

# The heat map shows the least covered teams, not all of them: at 1,000 teams a map of every
# team was 700 KB that nobody reads (issue 21). The counts per role cover every team, and
# HR's role overview (/rollen/) pages through all teams, vulnerable teams first.
COVERAGE_ROWS = 40
ATTENTION_SHOWN = 25  # the attention list; the dashboard lists them all


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
class RoleCoverage:
    """How many teams have no holder, too few holders (fewer than ZS_MIN_ROLE_HOLDERS) or
    enough holders of one role."""

    role: Role
    none: int = 0
    too_few: int = 0
    enough: int = 0


@dataclass
class OrganisationOverview:
    ranked: list[RankedTeam]
    attention: list[TeamSummary]  # the first ATTENTION_SHOWN teams that need attention
    attention_count: int  # all teams that need attention
    by_objective: list[GroupFigures]
    by_municipality: list[GroupFigures]
    roles: list[Role]
    coverage: list[tuple[Team, list[int]]]  # holders per role, least covered teams first
    team_count: int
    role_coverage: list[RoleCoverage]

    @property
    def least_covered(self) -> list[tuple[Team, list[int]]]:
        """The rows the heat map draws: the COVERAGE_ROWS least covered teams."""
        return self.coverage[:COVERAGE_ROWS]

    @property
    def vulnerable_team_count(self) -> int:
        return sum(1 for ranked_team in self.ranked if ranked_team.vulnerable_count)


def _coverage_order(ranked_team: RankedTeam, roles: list[Role]) -> tuple:
    """Least covered first: most roles with too few holders, then most roles without any,
    then fewest holders in those roles, then by name."""
    holders = [ranked_team.holders.get(role.pk, 0) for role in roles]
    short = [n for n in holders if n < settings.ZS_MIN_ROLE_HOLDERS]
    return (-len(short), -short.count(0), sum(short), ranked_team.team.name.lower())


def organisation_overview(
    *,
    ranked: list[RankedTeam],
    attention: list[TeamSummary],
    attention_count: int,
    per_objective: dict[int, dict[int | None, ObjectiveTotals]],
    roles: list[Role],
    objective: OrganisationObjective | None = None,
) -> OrganisationOverview:
    """Goals per objective and municipality and role coverage across teams, added up from
    the teams' ranks (`dashboards.ranking`) and their goals per objective
    (`objective_totals`); `attention` are the summaries of the first teams that need
    attention, in order. One query (the objectives), whatever the number of teams, goals
    or check-ins."""
    objectives = OrganisationObjective.objects.filter(is_active=True).order_by("order")
    if objective is not None:
        objectives = objectives.filter(pk=objective.pk)
    by_objective = {obj.pk: GroupFigures(key=obj.slug, label=obj.name) for obj in objectives}
    no_objective = GroupFigures(key="", label=_("No organisation objective"))
    by_municipality = {
        value: GroupFigures(key=value, label=str(label)) for value, label in Municipality.choices
    }

    for team, rank in ranked:
        group = by_municipality[team.municipality]
        if rank.shown_goals:
            group.goal_count += rank.shown_goals
            group.team_count += 1
            group.active_count += rank.active_count
            group.progress_total += rank.progress_sum
            group.expected_total += rank.expected_sum
        for objective_id, totals in per_objective[team.pk].items():
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
        (team, [rank.holders.get(role.pk, 0) for role in roles])
        for team, rank in sorted(ranked, key=lambda r: _coverage_order(r, roles))
    ]
    role_coverage = [RoleCoverage(role=role) for role in roles]
    for _team, rank in ranked:
        for counts in role_coverage:
            holders = rank.holders.get(counts.role.pk, 0)
            if holders == 0:
                counts.none += 1
            elif holders < settings.ZS_MIN_ROLE_HOLDERS:
                counts.too_few += 1
            else:
                counts.enough += 1
    groups = list(by_objective.values())
    if no_objective.goal_count:
        groups.append(no_objective)
    return OrganisationOverview(
        ranked=ranked,
        attention=attention,
        attention_count=attention_count,
        by_objective=groups,
        by_municipality=list(by_municipality.values()),
        roles=roles,
        coverage=coverage,
        team_count=len(ranked),
        role_coverage=role_coverage,
    )

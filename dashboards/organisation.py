"""The organisation view: goals per objective and municipality, role coverage across teams
and the teams that need attention, added up from the teams' figures."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from dashboards.figures import SHOWN_IN_ORGANISATION, ObjectiveTotals, TeamSummary
from dashboards.sorting import sort_summaries
from doelen.models import OrganisationObjective
from rollen.models import Role
from teams.models import Municipality, Team

# The heat map shows the least covered teams, not all of them: at 1,000 teams a map of every
# team was 700 KB that nobody reads (issue 21). The counts per role cover every team, and
# HR's role overview (/rollen/) pages through all teams, vulnerable teams first.
COVERAGE_ROWS = 40


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
    summaries: list[TeamSummary]
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
        (s.team, [s.holders.get(role.pk, 0) for role in roles])
        for s in sorted(summaries, key=lambda s: (-s.vulnerable_count, s.team.name.lower()))
    ]
    role_coverage = [RoleCoverage(role=role) for role in roles]
    for summary in summaries:
        for counts in role_coverage:
            holders = summary.holders.get(counts.role.pk, 0)
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
        summaries=summaries,
        by_objective=groups,
        by_municipality=list(by_municipality.values()),
        roles=roles,
        coverage=coverage,
        team_count=len(summaries),
        role_coverage=role_coverage,
    )

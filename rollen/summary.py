"""HR's overview of the whole organisation as a summary (issue 21): per team its members and
the holders per role on a date, vulnerable teams first, one page at a time. The cost is a
fixed number of set-based queries whatever the size of the organisation: one grouped count
of the holders for all matching teams (a few numbers per team, never names), then the
page's teams and their headcount. The names per role are on each team's own page
(`team_roles`)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace

from django.core.paginator import Page, Paginator
from django.db.models import Count, Sum

from rollen.models import Role, RoleAssignment, held_by_active_person
from rollen.selectors import (
    OverviewFilters,
    RoleMatrix,
    matrix_teams,
    overview_roles,
    role_matrix,
    vulnerable_in,
)
from teams.models import Membership, Team

TEAMS_PER_PAGE = 25
SEARCH_MAX_LENGTH = 100


@dataclass
class TeamSummary:
    team: Team
    members: int
    fte: object  # Decimal or None: the sum of the known FTEs
    holders: list[int]  # per role, in the order of the roles
    vulnerable: list[tuple[Role, int]]  # the roles with too few holders


def team_summaries(
    *,
    on: datetime.date,
    filters: OverviewFilters,
    search: str = "",
    vulnerable_first: bool = True,
    page_number: str | int | None = None,
    per_page: int = TEAMS_PER_PAGE,
) -> tuple[list[Role], Page]:
    """([roles], page of TeamSummary): teams matching the filters and whose name contains
    `search`, vulnerable teams first (then by name) or all by name. Five queries."""
    roles = overview_roles(filters=filters)
    teams = matrix_teams(filters=filters)
    if search:
        teams = teams.filter(name__icontains=search[:SEARCH_MAX_LENGTH])
    order = list(teams.values_list("pk", flat=True))
    if vulnerable_first:
        # The order needs every matching team's counts; by name, only the page's (issue 21).
        holders = _holders(on=on, teams=teams, roles=roles, filters=filters, search=search)
        weak = {pk for pk in order if vulnerable_in(holders[pk], roles)}
        order.sort(key=lambda pk: pk not in weak)  # stable: by name within each group
    page = Paginator(order, per_page).get_page(page_number)
    page_ids = list(page.object_list)
    if not vulnerable_first:
        holders = _holders(on=on, teams=page_ids, roles=roles, filters=filters, search=search)
    by_pk = Team.objects.in_bulk(page_ids)
    members = {
        row["team_id"]: row
        for row in Membership.objects.current(on)
        .filter(held_by_active_person(), team_id__in=page_ids)
        .values("team_id")
        .annotate(n=Count("employee_id", distinct=True), fte=Sum("employee__hr_details__fte"))
        .order_by()
    }
    page.object_list = [
        TeamSummary(
            team=by_pk[pk],
            members=members.get(pk, {}).get("n", 0),
            fte=members.get(pk, {}).get("fte"),
            holders=[holders[pk].get(role.pk, 0) for role in roles],
            vulnerable=vulnerable_in(holders[pk], roles),
        )
        for pk in page_ids
    ]
    return roles, page


def _holders(*, on, teams, roles, filters: OverviewFilters, search: str) -> dict:
    """{team_id: {role_id: holders on `on`}} for `teams` (a queryset or a list of ids; a team
    without holders has an empty dict). Every assignment has a team and a role, so without
    a filter or search the teams and roles need no narrowing: the grouped count then reads
    the assignments alone (issue 21)."""
    team_ids = teams if isinstance(teams, list) else None
    rows = RoleAssignment.objects.current(on)
    if team_ids is not None or search or filters.team or filters.municipality:
        rows = rows.filter(team__in=teams)
    if filters.role:
        rows = rows.filter(role__in=roles)
    holders: dict[int, dict[int, int]] = (
        {pk: {} for pk in team_ids} if team_ids is not None else defaultdict(dict)
    )
    for team_id, role_id, n in (
        rows.values_list("team_id", "role_id")
        .annotate(n=Count("employee_id", distinct=True))
        .order_by()
    ):
        holders[team_id][role_id] = n
    return holders


def team_roles(*, team: Team, on: datetime.date, filters: OverviewFilters) -> RoleMatrix:
    """One team's row of the role matrix: the holders' names per role on `on`."""
    return role_matrix(on=on, filters=replace(filters, team=team.slug))

"""Reads about roles that feed pages."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from rollen.models import Role, RoleAssignment
from teams.models import Employee, Team
from teams.selectors import current_memberships


@dataclass
class MemberRoles:
    employee: Employee
    member_since: datetime.date
    assignments: list[RoleAssignment] = field(default_factory=list)

    @property
    def roles(self) -> list[Role]:
        return [assignment.role for assignment in self.assignments]


def team_members_with_roles(*, team: Team, on: datetime.date | None = None) -> list[MemberRoles]:
    """The team's members on `on` with the roles each holds then. Two queries."""
    on = on or timezone.localdate()
    members = {
        m.employee_id: MemberRoles(employee=m.employee, member_since=m.since)
        for m in current_memberships(team=team, on=on)
    }
    assignments = (
        RoleAssignment.objects.current(on)
        .filter(team=team, employee_id__in=members.keys())
        .select_related("role")
        .order_by("role__order")
    )
    for assignment in assignments:
        members[assignment.employee_id].assignments.append(assignment)
    return list(members.values())


def role_holder_counts(
    *, team_ids: list[int], on: datetime.date | None = None
) -> dict[int, dict[int, int]]:
    """{team_id: {role_id: number of holders on `on`}} for the given teams. One query;
    roles without holders are absent from the inner dict."""
    on = on or timezone.localdate()
    counts: dict[int, dict[int, int]] = {team_id: {} for team_id in team_ids}
    rows = (
        RoleAssignment.objects.current(on)
        .filter(team_id__in=team_ids)
        .values_list("team_id", "role_id")
        .annotate(holders=Count("employee_id", distinct=True))
    )
    for team_id, role_id, holders in rows:
        counts[team_id][role_id] = holders
    return counts


def vulnerable_roles(
    *, team_ids: list[int], on: datetime.date | None = None
) -> dict[int, list[tuple[Role, int]]]:
    """{team_id: [(role, holders), ...]} for the roles that have fewer holders than
    settings.ZS_MIN_ROLE_HOLDERS in each team: there the team is vulnerable (kwetsbaar)."""
    roles = list(Role.objects.order_by("order"))
    minimum = settings.ZS_MIN_ROLE_HOLDERS
    result = {}
    for team_id, holders in role_holder_counts(team_ids=team_ids, on=on).items():
        result[team_id] = [
            (role, holders.get(role.pk, 0)) for role in roles if holders.get(role.pk, 0) < minimum
        ]
    return result

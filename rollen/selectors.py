"""Reads about roles that feed pages."""

import datetime
from dataclasses import dataclass, field

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

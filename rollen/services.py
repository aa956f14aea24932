"""Writes about roles: assigning and ending roles, and leaving a team with them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rollen.models import Role, RoleAssignment
from teams.models import Employee, Membership, Team
from teams.services import membership_end


@transaction.atomic
def role_assign(
    *, employee: Employee, team: Team, role: Role, since: datetime.date, note: str = ""
) -> RoleAssignment:
    """Let `employee` carry `role` in `team` from `since`. The employee must be a member."""
    assignment = RoleAssignment(employee=employee, team=team, role=role, since=since, note=note)
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def role_end(*, assignment: RoleAssignment, until: datetime.date) -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.until is not None:
        raise ValidationError(_("This role assignment has already ended."))
    assignment.until = until
    assignment.full_clean()
    assignment.save(update_fields=["until"])
    return assignment


@transaction.atomic
def team_leave(*, membership: Membership, until: datetime.date) -> Membership:
    """End a membership and every role held in that team with it: a role is only held
    while a member."""
    open_assignments = RoleAssignment.objects.select_for_update().filter(
        employee_id=membership.employee_id, team_id=membership.team_id, until__isnull=True
    )
    for assignment in open_assignments:
        if assignment.since > until:
            raise ValidationError(_("A role in this team starts after that date; end it first."))
        assignment.until = until
        assignment.save(update_fields=["until"])
    return membership_end(membership=membership, until=until)

"""Writes about roles: assigning and ending roles, and leaving a team with them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from audit.services import audit_record, diff
from rollen.models import PersonHRDetails, Role, RoleAssignment
from teams.models import Employee, Membership, Team
from teams.services import membership_end


@transaction.atomic
def role_assign(
    *,
    employee: Employee,
    team: Team,
    role: Role,
    since: datetime.date,
    note: str = "",
    actor: Employee | None = None,
) -> RoleAssignment:
    """Let `employee` carry `role` in `team` from `since`. The employee must be a member.
    `actor` is who did it (audit log)."""
    assignment = RoleAssignment(employee=employee, team=team, role=role, since=since, note=note)
    assignment.full_clean()
    assignment.save()
    audit_record(
        actor=actor,
        action="role.assign",
        obj=assignment,
        changes=diff({}, {"since": since}),
        details={"employee": employee.pk, "team": team.pk, "role": role.slug},
    )
    return assignment


def _record_role_end(
    assignment: RoleAssignment, actor: Employee | None, *, before: datetime.date | None = None
) -> None:
    audit_record(
        actor=actor,
        action="role.end",
        obj=assignment,
        changes=diff({"until": before}, {"until": assignment.until}),
        details={
            "employee": assignment.employee_id,
            "team": assignment.team_id,
            "role": assignment.role.slug,
        },
    )


@transaction.atomic
def role_end(
    *, assignment: RoleAssignment, until: datetime.date, actor: Employee | None = None
) -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.until is not None:
        raise ValidationError(_("This role assignment has already ended."))
    assignment.until = until
    assignment.full_clean()
    assignment.save(update_fields=["until"])
    _record_role_end(assignment, actor)
    return assignment


@transaction.atomic
def end_roles_with_membership(
    *, membership: Membership, until: datetime.date, actor: Employee | None = None
) -> list[RoleAssignment]:
    """End every role `membership`'s person holds in its team on `until`, the membership's
    last day: a role is only held while a member. Roles that were to end later are ended on
    `until` too. A role that starts after `until` refuses the end (ValidationError).

    Called inside teams.services.membership_end's transaction through the
    teams.signals.membership_ended receiver below, so it holds on every path that ends a
    membership: pages, admin, HR import, commands."""
    assignments = (
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("role")
        .filter(employee_id=membership.employee_id, team_id=membership.team_id)
        .filter(Q(until__isnull=True) | Q(until__gt=until))
        .order_by("pk")
    )
    ended = []
    for assignment in assignments:
        if assignment.since > until:
            raise ValidationError(_("A role in this team starts after that date; end it first."))
        before, assignment.until = assignment.until, until
        assignment.save(update_fields=["until"])
        _record_role_end(assignment, actor, before=before)
        ended.append(assignment)
    return ended


def on_membership_ended(sender, *, membership, until, actor=None, **kwargs) -> None:
    """Receiver of teams.signals.membership_ended (connected in RollenConfig.ready)."""
    end_roles_with_membership(membership=membership, until=until, actor=actor)


def team_leave(
    *, membership: Membership, until: datetime.date, actor: Employee | None = None
) -> Membership:
    """End a membership and every role held in that team with it. The same as
    teams.services.membership_end, which ends the roles itself (through the signal); kept
    for the callers that read better with it."""
    return membership_end(membership=membership, until=until, actor=actor)


@transaction.atomic
def export_record(
    *, actor: Employee, overview: str, file_format: str, filters: dict, rows: int
) -> None:
    """Log that `actor` exported an HR overview: which one, in which format, with which
    filters and how many rows (AVG accountability: personal data left the portal)."""
    audit_record(
        actor=actor,
        action="export",
        object_type=f"rollen.{overview}",
        object_repr=f"{overview} ({file_format})",
        details={"format": file_format, "filters": filters, "rows": rows},
    )


@transaction.atomic
def hr_details_set(
    *, employee: Employee, changes: dict, actor: Employee | None = None
) -> PersonHRDetails:
    """Set a person's department and/or FTE from the HR file ({field: value}); audited
    with before → after."""
    details, _created = PersonHRDetails.objects.select_for_update().get_or_create(employee=employee)
    before = {name: getattr(details, name) for name in changes}
    for name, value in changes.items():
        setattr(details, name, value)
    details.full_clean()
    details.save()
    changed = diff(before, {name: getattr(details, name) for name in changes})
    if changed:
        audit_record(
            actor=actor,
            action="employee.hr_details",
            obj=employee,
            changes=changed,
        )
    return details

"""Writes about people and teams."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record, diff
from teams.models import Employee, Membership, Team


@transaction.atomic
def membership_start(
    *, employee: Employee, team: Team, since: datetime.date, actor: Employee | None = None
) -> Membership:
    """Make `employee` a member of `team` from `since`. `actor` is who did it (audit log)."""
    membership = Membership(employee=employee, team=team, since=since)
    membership.full_clean()
    membership.save()
    audit_record(
        actor=actor,
        action="membership.start",
        obj=membership,
        changes=diff({}, {"since": since}),
        details={"employee": employee.pk, "team": team.pk},
    )
    return membership


@transaction.atomic
def membership_end(
    *, membership: Membership, until: datetime.date, actor: Employee | None = None
) -> Membership:
    """End a membership on `until` (the last day). Callers end the roles held in it too:
    see rollen.services.team_leave, which is the one to use from pages and imports."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.until is not None:
        raise ValidationError(_("This membership has already ended."))
    membership.until = until
    membership.full_clean()
    membership.save(update_fields=["until"])
    audit_record(
        actor=actor,
        action="membership.end",
        obj=membership,
        changes=diff({}, {"until": until}),
        details={"employee": membership.employee_id, "team": membership.team_id},
    )
    return membership


ANONYMOUS_NAME = "Oud-medewerker {pk}"
ANONYMOUS_USERNAME = "oud-medewerker-{pk}"


def is_anonymised(employee: Employee) -> bool:
    return employee.username == ANONYMOUS_USERNAME.format(pk=employee.pk)


@transaction.atomic
def employee_anonymise(
    *, employee: Employee, actor: Employee | None = None, force: bool = False
) -> bool:
    """Replace a departed employee's personal details with a neutral token (AVG).

    Name, e-mail, user name and personnel number go; the password becomes unusable, the
    account inactive and without groups or rights. Memberships, roles, goals and check-ins
    stay, under the token, so the team's history keeps its meaning. Refused for an active
    employee unless `force` is given by a superuser (or from the command line: actor None).
    Idempotent: returns False, and records nothing, when there was nothing left to do.
    """
    from django.core.exceptions import PermissionDenied

    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if is_anonymised(employee):
        return False
    if employee.is_active and not force:
        raise ValidationError(
            _("%(name)s is still active. Deactivate the account first.") % {"name": employee}
        )
    if force and actor is not None and not actor.is_superuser:
        raise PermissionDenied(_("Only an administrator can anonymise an active employee."))
    was_active = employee.is_active
    employee.name = ANONYMOUS_NAME.format(pk=employee.pk)
    employee.username = ANONYMOUS_USERNAME.format(pk=employee.pk)
    employee.email = ""
    employee.personnel_number = ""
    employee.set_unusable_password()
    employee.is_active = False
    employee.is_staff = False
    employee.is_superuser = False
    employee.save()
    employee.groups.clear()
    employee.user_permissions.clear()
    managed = sorted(employee.managed_teams.values_list("pk", flat=True))
    employee.managed_teams.clear()  # current responsibility, not history
    audit_record(
        actor=actor,
        action="employee.anonymise",
        obj=employee,
        details={"was_active": was_active, "forced": force, "no_longer_manager_of": managed},
    )
    return True


@transaction.atomic
def reminder_settings_update(
    *, employee: Employee, paused_until: datetime.date | None, digest_enabled: bool
) -> Employee:
    """Pause reminder e-mails up to and including `paused_until` (None: no pause), and turn
    the managers' weekly digest on or off. Only the employee changes their own settings."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    employee.reminders_paused_until = paused_until
    employee.digest_enabled = digest_enabled
    employee.save(update_fields=["reminders_paused_until", "digest_enabled"])
    return employee

"""Writes about people and teams."""

import datetime

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record, diff
from teams.models import Employee, Membership, Team
from teams.signals import employee_anonymised, membership_ended


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
    """End a membership on `until` (the last day), from any path (page, admin, import,
    command). Sends teams.signals.membership_ended in the same transaction, so what apps above
    keep per membership ends with it: rollen ends the roles held in the team on `until`. A
    receiver's ValidationError refuses the end and nothing changes."""
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
    membership_ended.send(sender=Membership, membership=membership, until=until, actor=actor)
    return membership


# What employee_update may change; the password has its own form, and is_active=False goes
# through employee_deactivate (the memberships end with it).
EMPLOYEE_FIELDS = (
    "username",
    "name",
    "email",
    "personnel_number",
    "preferred_language",
    "is_active",
    "is_staff",
    "is_superuser",
    "reminders_paused_until",
    "digest_enabled",
)
EMPLOYEE_M2M_FIELDS = ("groups", "user_permissions")


def _employee_snapshot(employee: Employee, names) -> dict:
    values = {}
    for name in names:
        if name in EMPLOYEE_M2M_FIELDS:
            values[name] = sorted(str(obj) for obj in getattr(employee, name).all())
        else:
            values[name] = getattr(employee, name)
    return values


@transaction.atomic
def employee_create(
    *,
    username: str,
    name: str,
    email: str = "",
    personnel_number: str = "",
    preferred_language: str = "",
    password: str | None = None,
    is_active: bool = True,
    oidc_subject: str = "",
    actor: Employee | None = None,
) -> Employee:
    """Add a person. Without `password` the account cannot log in with one (single sign-on,
    or a password set later). `is_active=False`: an account that HR places before it can
    be used (a first sign-in of an unknown person, portal/oidc.py). Audited with every field
    it starts with."""
    employee = Employee(
        username=username,
        name=name.strip(),
        email=email.strip(),
        personnel_number=personnel_number.strip(),
        is_active=is_active,
        oidc_subject=oidc_subject,
    )
    if preferred_language:
        employee.preferred_language = preferred_language
    if password:
        employee.set_password(password)
    else:
        employee.set_unusable_password()
    employee.full_clean()
    employee.save()
    audit_record(
        actor=actor,
        action="employee.create",
        obj=employee,
        changes=diff(
            {},
            _employee_snapshot(
                employee,
                ("username", "name", "email", "personnel_number", "preferred_language")
                + (() if is_active else ("is_active",)),
            ),
        ),
    )
    return employee


@transaction.atomic
def employee_update(
    *, employee: Employee, changes: dict, actor: Employee | None = None
) -> Employee:
    """Change a person's details: `changes` is {field: new value} for fields in
    EMPLOYEE_FIELDS and EMPLOYEE_M2M_FIELDS (groups, user_permissions). Audited with the
    fields that really changed, before → after; nothing is recorded when none did.
    Deactivating is employee_deactivate: it ends the memberships too."""
    unknown = set(changes) - set(EMPLOYEE_FIELDS) - set(EMPLOYEE_M2M_FIELDS)
    if unknown:
        raise ValueError(f"employee_update cannot change {sorted(unknown)}")
    if changes.get("is_active") is False:
        raise ValueError("use employee_deactivate to deactivate an employee")
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    before = _employee_snapshot(employee, changes)
    scalar = [name for name in changes if name not in EMPLOYEE_M2M_FIELDS]
    for name in scalar:
        setattr(employee, name, changes[name])
    employee.full_clean()
    if scalar:
        employee.save(update_fields=scalar)
    for name in EMPLOYEE_M2M_FIELDS:
        if name in changes:
            getattr(employee, name).set(changes[name])
    changed = diff(before, _employee_snapshot(employee, changes))
    if changed:
        audit_record(actor=actor, action="employee.update", obj=employee, changes=changed)
    return employee


@transaction.atomic
def employee_deactivate(
    *, employee: Employee, on: datetime.date, actor: Employee | None = None
) -> Employee:
    """Mark a person inactive (they can no longer log in) and end their open memberships on
    `on` (a membership that starts later ends on its first day). Ending a membership ends the
    roles held in it (teams.signals.membership_ended). Audited: the memberships' and roles'
    ends each, and the deactivation with the date."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if not employee.is_active:
        raise ValidationError(_("%(name)s is already inactive.") % {"name": employee})
    ended = []
    for membership in Membership.objects.filter(employee=employee, until__isnull=True).order_by(
        "pk"
    ):
        membership_end(membership=membership, until=max(on, membership.since), actor=actor)
        ended.append(membership.team_id)
    employee.is_active = False
    employee.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="employee.deactivate",
        obj=employee,
        changes=diff({"is_active": True}, {"is_active": False}),
        details={"memberships_end_on": on, "teams": ended},
    )
    return employee


@transaction.atomic
def employee_signed_in_with_account(
    *, employee: Employee, subject: str = "", groups: dict[str, bool] | None = None
) -> Employee:
    """Record a sign-in with the organisation's account (OpenID Connect, portal/oidc.py).

    `subject`: the stable id to store on the first sign-in (never replaced once set).
    `groups`: {group name: member?} for the groups the provider's claims decide (HR,
    management); other groups, and the superuser and staff flags, never change here.
    Audited: the sign-in, and each change it brings (employee.update)."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if subject and employee.oidc_subject and employee.oidc_subject != subject:
        raise ValidationError(_("This employee is linked to another organisation account."))
    if subject and not employee.oidc_subject:
        employee.oidc_subject = subject
        employee.save(update_fields=["oidc_subject"])
        audit_record(
            actor=employee,
            action="employee.link_account",
            obj=employee,
            changes=diff({"oidc_subject": ""}, {"oidc_subject": subject}),
        )
    if groups:
        current = set(employee.groups.all())
        wanted = {group for group in current if group.name not in groups}
        wanted |= set(Group.objects.filter(name__in=[n for n, on in groups.items() if on]))
        if wanted != current:
            employee = employee_update(
                employee=employee, changes={"groups": wanted}, actor=employee
            )
    audit_record(
        actor=employee,
        action="employee.sign_in",
        obj=employee,
        details={"method": "oidc", "groups": sorted(employee.group_names)},
    )
    return employee


def sign_in_refused_record(*, identity: str, reason: str) -> None:
    """Audit a refused sign-in with the organisation's account (nobody is logged in)."""
    audit_record(
        actor=None,
        action="employee.sign_in_refused",
        object_type="teams.employee",
        object_repr=identity,
        details={"method": "oidc", "reason": reason},
    )


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
    employee_anonymised.send(sender=Employee, employee=employee, actor=actor)
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

"""Writes of personal development (issue #20). Only the owner writes their intentions;
each write is audited with what happened and which fields changed, never with what was
written (docs/decisions/0022-persoonlijke-ontwikkeling.md)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, diff
from ontwikkeling.personal.models import (
    MAX_CURRENT_PER_ROLE,
    DevelopmentIntention,
    IntentionNote,
    IntentionStatus,
    Sharing,
)
from rollen.models import Role, RoleAssignment
from teams.models import Employee

EDITABLE_FIELDS = ("aim", "approach", "target_date")


def holds_role(*, employee: Employee, role: Role, on: datetime.date | None = None) -> bool:
    return RoleAssignment.objects.current(on).filter(employee=employee, role=role).exists()


def _own(intention: DevelopmentIntention, actor: Employee) -> DevelopmentIntention:
    """The intention, locked, if `actor` owns it; others may never write it."""
    locked = DevelopmentIntention.objects.select_for_update().get(pk=intention.pk)
    if actor is None or locked.employee_id != actor.pk:
        raise PermissionDenied
    return locked


def _check_text(aim: str, target_date: datetime.date | None, *, on: datetime.date) -> None:
    if not aim.strip():
        raise ValidationError({"aim": _("Write what you want to grow in.")})
    if target_date is not None and target_date < on:
        raise ValidationError({"target_date": _("Choose a date from today on.")})


@transaction.atomic
def intention_create(
    *,
    employee: Employee,
    role: Role,
    aim: str,
    approach: str = "",
    target_date: datetime.date | None = None,
    sharing: str = Sharing.PRIVATE,
) -> DevelopmentIntention:
    """A new intention in a role the employee holds today; private unless `sharing` says
    otherwise. At most MAX_CURRENT_PER_ROLE current intentions per role."""
    today = timezone.localdate()
    employee = Employee.objects.select_for_update().get(pk=employee.pk)  # one at a time
    if not holds_role(employee=employee, role=role, on=today):
        raise ValidationError({"role": _("You can only add an intention for a role you hold.")})
    _check_text(aim, target_date, on=today)
    if sharing not in Sharing.values:
        raise ValidationError({"sharing": _("Choose who may read this.")})
    current = DevelopmentIntention.objects.filter(
        employee=employee, role=role, status=IntentionStatus.CURRENT
    ).count()
    if current >= MAX_CURRENT_PER_ROLE:
        raise ValidationError(
            _(
                "You already have %(count)d current intentions in this role. "
                "Complete or archive one first."
            )
            % {"count": current}
        )
    intention = DevelopmentIntention.objects.create(
        employee=employee,
        role=role,
        aim=aim.strip(),
        approach=approach.strip(),
        target_date=target_date,
        sharing=sharing,
    )
    audit_record(
        actor=employee,
        action="development_intention.create",
        obj=intention,
        details={"role": role.slug, "sharing": sharing},
    )
    return intention


@transaction.atomic
def intention_update(
    *,
    intention: DevelopmentIntention,
    actor: Employee,
    aim: str,
    approach: str,
    target_date: datetime.date | None,
) -> DevelopmentIntention:
    """Change the text or date of a current intention. The audit event names the fields
    that changed, not their content."""
    intention = _own(intention, actor)
    if not intention.is_current:
        raise ValidationError(_("This intention is closed. It can no longer be changed."))
    today = timezone.localdate()
    old_date = intention.target_date
    _check_text(aim, target_date if target_date != old_date else None, on=today)
    new = {"aim": aim.strip(), "approach": approach.strip(), "target_date": target_date}
    changed = [name for name in EDITABLE_FIELDS if getattr(intention, name) != new[name]]
    if not changed:
        return intention
    for name in changed:
        setattr(intention, name, new[name])
    intention.save()
    audit_record(
        actor=actor,
        action="development_intention.update",
        obj=intention,
        details={"fields": changed},
    )
    return intention


@transaction.atomic
def intention_add_note(
    *, intention: DevelopmentIntention, author: Employee, text: str
) -> IntentionNote:
    """Append a dated progress note; notes are never changed."""
    intention = _own(intention, author)
    if not intention.is_current:
        raise ValidationError(_("This intention is closed. Reopen it to add a note."))
    if not text.strip():
        raise ValidationError({"text": _("Write a short note.")})
    note = IntentionNote.objects.create(intention=intention, text=text.strip())
    audit_record(actor=author, action="development_intention.note", obj=intention)
    return note


@transaction.atomic
def intention_share(
    *, intention: DevelopmentIntention, actor: Employee, sharing: str
) -> DevelopmentIntention:
    """Who may read this intention and its notes besides the owner. Audited (old and new
    setting), sharing and unsharing alike."""
    intention = _own(intention, actor)
    if sharing not in Sharing.values:
        raise ValidationError({"sharing": _("Choose who may read this.")})
    if sharing == intention.sharing:
        return intention
    before = intention.sharing
    intention.sharing = sharing
    intention.save(update_fields=["sharing", "updated_at"])
    audit_record(
        actor=actor,
        action="development_intention.share",
        obj=intention,
        changes=diff({"sharing": before}, {"sharing": sharing}),
    )
    return intention


@transaction.atomic
def intention_set_status(
    *, intention: DevelopmentIntention, actor: Employee, status: str
) -> DevelopmentIntention:
    """Complete or archive a current intention, or reopen a closed one (only while the
    role is still held). Intentions are archived, never deleted."""
    intention = _own(intention, actor)
    if status not in IntentionStatus.values:
        raise ValidationError(_("Unknown status."))
    if status == intention.status:
        return intention
    if status == IntentionStatus.CURRENT:
        if not holds_role(employee=actor, role=intention.role):
            raise ValidationError(_("You no longer hold this role, so it cannot be reopened."))
        intention.closed_at = None
    else:
        intention.closed_at = timezone.now()
    before = intention.status
    intention.status = status
    intention.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="development_intention.status",
        obj=intention,
        changes=diff({"status": before}, {"status": status}),
    )
    return intention


@transaction.atomic
def intentions_erase(*, employee: Employee, actor: Employee | None = None) -> int:
    """Delete all intentions and notes of `employee` (anonymisation, AVG): the one place
    personal development is deleted. Returns the number of intentions removed; the audit
    event holds that number only."""
    intentions = DevelopmentIntention.objects.filter(employee=employee)
    count = intentions.count()
    if not count:
        return 0
    IntentionNote.objects.filter(intention__employee=employee).delete()
    for intention in intentions:  # one by one: the dashboards' freshness sees each delete
        intention.delete()
    audit_record(
        actor=actor,
        action="development_intention.erase",
        obj=employee,
        details={"intentions": count},
    )
    return count


def on_employee_anonymised(sender, *, employee: Employee, actor: Employee | None, **kwargs):
    """Receiver of teams.signals.employee_anonymised (connected in OntwikkelingConfig)."""
    intentions_erase(employee=employee, actor=actor)

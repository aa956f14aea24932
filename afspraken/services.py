"""Writes about team agreements. Every write is audited in the same transaction; who may
call these is decided by the caller (teams.access.TeamAccess.can_edit_agreements).

A change appends a version; `Agreement.current` is kept here, under the agreement's row
lock, so it is always the latest version. Retiring keeps everything."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from afspraken.models import NOTE_MAX_LENGTH, Agreement, AgreementVersion
from audit.services import audit_record, diff
from teams.models import Employee, Membership, Team

CONTENT_FIELDS = ("title", "text", "owner_id", "agreed_on", "review_on")


@dataclass
class AgreementData:
    """What a person fills in for an agreement."""

    title: str
    text: str
    owner: Employee
    agreed_on: datetime.date
    review_on: datetime.date
    note: str = ""


def _snapshot(version: AgreementVersion | None) -> dict:
    # The owner by id, not name: anonymising a person then leaves no name in the audit log.
    return {name: getattr(version, name) for name in CONTENT_FIELDS} if version else {}


def _check(team: Team, data: AgreementData, *, keep_owner_id: int | None = None) -> None:
    if not team.is_active:
        raise ValidationError(_("This team is archived; its agreements can no longer change."))
    is_member = (
        data.owner.pk == keep_owner_id
        or Membership.objects.current().filter(team=team, employee=data.owner).exists()
    )
    if not is_member:
        raise ValidationError({"owner": _("The owner must be a member of the team.")})
    if len(data.note.strip()) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": _("Keep this under 300 characters.")})


def _append(agreement: Agreement, actor: Employee, data: AgreementData, number: int):
    version = AgreementVersion(
        agreement=agreement,
        number=number,
        title=data.title.strip(),
        text=data.text.strip(),
        owner=data.owner,
        agreed_on=data.agreed_on,
        review_on=data.review_on,
        note=data.note.strip(),
        changed_by=actor,
    )
    version.full_clean()
    version.save()
    agreement.current = version
    agreement.save(update_fields=["current"])
    return version


@transaction.atomic
def agreement_create(*, team: Team, actor: Employee, data: AgreementData) -> Agreement:
    """Record a new agreement of an active team: its first version."""
    _check(team, data)
    agreement = Agreement.objects.create(team=team)
    version = _append(agreement, actor, data, 1)
    audit_record(
        actor=actor,
        action="agreement.create",
        obj=agreement,
        changes=diff({}, _snapshot(version)),
        details={"team": team.slug, "version": 1},
    )
    return agreement


class NothingChanged(ValidationError):
    pass


@transaction.atomic
def agreement_update(*, agreement: Agreement, actor: Employee, data: AgreementData) -> Agreement:
    """Append a version with the new content; the earlier versions stay as they were."""
    agreement = (
        # Only the agreement row: `current` is a nullable (outer) join PostgreSQL cannot lock.
        Agreement.objects.select_for_update(of=("self",))
        .select_related("team", "current")
        .get(pk=agreement.pk)
    )
    if agreement.is_retired:
        raise ValidationError(_("This agreement is retired; it can no longer change."))
    current = agreement.current
    _check(agreement.team, data, keep_owner_id=current.owner_id if current else None)
    before = _snapshot(agreement.current)
    number = (agreement.current.number if agreement.current else 0) + 1
    proposed = {
        "title": data.title.strip(),
        "text": data.text.strip(),
        "owner_id": data.owner.pk,
        "agreed_on": data.agreed_on,
        "review_on": data.review_on,
    }
    if not diff(before, proposed):
        raise NothingChanged(_("Nothing changed: change a field, or go back."))
    version = _append(agreement, actor, data, number)
    audit_record(
        actor=actor,
        action="agreement.update",
        obj=agreement,
        changes=diff(before, _snapshot(version)),
        details={"version": number, "note": version.note},
    )
    return agreement


@transaction.atomic
def agreement_retire(
    *, agreement: Agreement, actor: Employee, reason: str, on: datetime.date | None = None
) -> Agreement:
    """Retire an agreement (the team no longer works this way). Nothing is deleted."""
    agreement = Agreement.objects.select_for_update().select_related("team").get(pk=agreement.pk)
    reason = reason.strip()
    if agreement.is_retired:
        raise ValidationError(_("This agreement is already retired."))
    if not agreement.team.is_active:
        raise ValidationError(_("This team is archived; its agreements can no longer change."))
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    if len(reason) > NOTE_MAX_LENGTH:
        raise ValidationError({"reason": _("Keep this under 300 characters.")})
    agreement.retired_on = on or timezone.localdate()
    agreement.retired_by = actor
    agreement.retired_reason = reason
    agreement.save(update_fields=["retired_on", "retired_by", "retired_reason"])
    audit_record(
        actor=actor,
        action="agreement.retire",
        obj=agreement,
        changes=diff({"retired_on": None}, {"retired_on": agreement.retired_on}),
        details={"reason": reason},
    )
    return agreement

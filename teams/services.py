"""Writes about people and teams."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from teams.models import Employee, Membership, Team


@transaction.atomic
def membership_start(*, employee: Employee, team: Team, since: datetime.date) -> Membership:
    """Make `employee` a member of `team` from `since`."""
    membership = Membership(employee=employee, team=team, since=since)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, until: datetime.date) -> Membership:
    """End a membership on `until` (the last day). Callers end the roles held in it too:
    see rollen.services.team_leave, which is the one to use from pages and imports."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.until is not None:
        raise ValidationError(_("This membership has already ended."))
    membership.until = until
    membership.full_clean()
    membership.save(update_fields=["until"])
    return membership

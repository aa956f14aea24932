"""Scan e-mails: the invitation when a round opens and one reminder before it closes.

Two kinds, registered with the notifications app in OntwikkelingConfig.ready() (`KINDS`):
scan_invitation and scan_reminder, once per person per round (period "scan-round-<id>").
This module selects who is due; the notifications app claims each e-mail in its reminder
log before sending it, so a second run (a task delivered twice, the command run by hand)
sends nothing, and a failed e-mail stays in the log as failed, with its error (visible in the
admin), for a later run to try again (docs/decisions/0002-reminders.md).

Two ways in: the plan tasks in ontwikkeling/tasks.py (they enqueue one send task per
recipient, retried with back-off) and the synchronous `send_scan_invitations` /
`send_scan_reminders` (the management command; no retries).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Collection, Mapping
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications import sending
from notifications.registry import Kind, Notification
from ontwikkeling.models import ScanResponse, ScanRound
from teams.models import Employee, Membership


class ScanKind(models.TextChoices):
    SCAN_INVITATION = "scan_invitation", _("scan invitation")
    SCAN_REMINDER = "scan_reminder", _("scan reminder")


def period_for(round_id: int) -> str:
    """The reminder-log period of a round's e-mails."""
    return f"scan-round-{round_id}"


def _email(kind: str, scan_round: ScanRound, recipient: Employee, on: datetime.date):
    return Notification(
        kind=str(kind),
        recipient=recipient,
        period=period_for(scan_round.pk),
        params={"round_id": scan_round.pk, "on": on.isoformat()},
        content=scan_round,
    )


def _members(
    rounds: Collection[ScanRound], on: datetime.date, recipient_ids: Collection[int] | None
) -> dict[int, list[Employee]]:
    """The reachable current members per team of `rounds`. One query."""
    team_ids = {scan_round.team_id for scan_round in rounds}
    members: dict[int, dict[int, Employee]] = {team_id: {} for team_id in team_ids}
    if team_ids:
        memberships = (
            Membership.objects.current(on)
            .filter(team_id__in=team_ids, employee__is_active=True)
            .exclude(employee__email="")
            .select_related("employee")
            .order_by("employee_id")
        )
        if recipient_ids is not None:
            memberships = memberships.filter(employee_id__in=set(recipient_ids))
        for membership in memberships:
            members[membership.team_id][membership.employee_id] = membership.employee
    return {team_id: list(people.values()) for team_id, people in members.items()}


def invitations_due(
    *, round_id: int, on: datetime.date, recipient_ids: Collection[int] | None = None
) -> list[Notification]:
    """The invitations for a round that is open on `on`: its team's current members,
    whether invited already or not (sending.leave_out_sent tells). Two queries."""
    scan_round = (
        ScanRound.objects.select_related("team").filter(pk=round_id, team__is_active=True).first()
    )
    if scan_round is None or not scan_round.is_open(on):
        return []
    return [
        _email(ScanKind.SCAN_INVITATION, scan_round, person, on)
        for person in _members([scan_round], on, recipient_ids)[scan_round.team_id]
    ]


def reminders_due(
    *,
    on: datetime.date,
    days: int | None = None,
    round_ids: Collection[int] | None = None,
    recipient_ids: Collection[int] | None = None,
) -> list[Notification]:
    """The reminders due on `on`: in open rounds of active teams that close within `days`
    days (default settings.ZS_SCAN_REMINDER_DAYS; no limit when `round_ids` is given), to
    current members who have not answered, whether reminded already or not
    (sending.leave_out_sent tells). Three queries."""
    rounds_qs = ScanRound.objects.open_on(on).filter(team__is_active=True).select_related("team")
    if round_ids is not None:
        rounds_qs = rounds_qs.filter(pk__in=set(round_ids))
    else:
        days = settings.ZS_SCAN_REMINDER_DAYS if days is None else days
        rounds_qs = rounds_qs.filter(closes_on__lte=on + datetime.timedelta(days=days))
    rounds = list(rounds_qs.order_by("closes_on", "pk"))
    if not rounds:
        return []
    answered = set(
        ScanResponse.objects.filter(round__in=rounds).values_list("round_id", "respondent_id")
    )
    members = _members(rounds, on, recipient_ids)
    return [
        _email(ScanKind.SCAN_REMINDER, scan_round, person, on)
        for scan_round in rounds
        for person in members[scan_round.team_id]
        if (scan_round.pk, person.pk) not in answered
    ]


# What the notifications app calls (KINDS)


def _select_invitations(
    params: Mapping[str, Any], recipient_ids: Collection[int] | None
) -> list[Notification]:
    on = datetime.date.fromisoformat(params["on"])
    return invitations_due(round_id=params["round_id"], on=on, recipient_ids=recipient_ids)


def _select_reminders(
    params: Mapping[str, Any], recipient_ids: Collection[int] | None
) -> list[Notification]:
    """One round (`round_id`) whatever its closing date, or all rounds closing soon."""
    on = datetime.date.fromisoformat(params["on"])
    round_ids = [params["round_id"]] if params.get("round_id") is not None else None
    return reminders_due(on=on, round_ids=round_ids, recipient_ids=recipient_ids)


def _context(notification: Notification) -> dict[str, Any]:
    scan_round = notification.content
    url = settings.SITE_URL + reverse("ontwikkeling:scan", kwargs={"slug": scan_round.team.slug})
    return {"round": scan_round, "team": scan_round.team, "url": url}


KINDS = (
    Kind(
        name=ScanKind.SCAN_INVITATION,
        label=ScanKind.SCAN_INVITATION.label,
        select=_select_invitations,
        templates="emails/ontwikkeling_invitation",
        context=_context,
    ),
    Kind(
        name=ScanKind.SCAN_REMINDER,
        label=ScanKind.SCAN_REMINDER.label,
        select=_select_reminders,
        templates="emails/ontwikkeling_reminder",
        context=_context,
    ),
)


# Sending now, in this process


def send_scan_invitations(*, round_id: int, on: datetime.date | None = None) -> int:
    """Invite the team's current members to fill in the scan, now, in this process.
    Returns how many were sent; failures are recorded in the reminder log."""
    on = on or timezone.localdate()
    todo, _sent = sending.leave_out_sent(invitations_due(round_id=round_id, on=on))
    return sending.send_all(todo).outcomes[sending.Outcome.SENT]


def send_scan_reminders_now(*, on: datetime.date | None = None, days: int | None = None) -> Counter:
    """Send the due reminders (see `reminders_due`) now, in this process; the outcomes."""
    on = on or timezone.localdate()
    todo, _sent = sending.leave_out_sent(reminders_due(on=on, days=days))
    return sending.send_all(todo).outcomes


def send_scan_reminders(*, on: datetime.date | None = None, days: int | None = None) -> int:
    """Remind members who have not answered yet, once, in open rounds that close within
    `days` days (default settings.ZS_SCAN_REMINDER_DAYS). Returns how many were sent."""
    return send_scan_reminders_now(on=on, days=days)[sending.Outcome.SENT]

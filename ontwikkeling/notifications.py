"""Scan e-mails: the invitation when a round opens and one reminder before it closes.

They go through the reminder mechanism of doelen (doelen.reminders.send_once, see
docs/decisions/0002-reminders.md): a ReminderLog row, unique per (recipient, kind, period)
with kind scan_invitation or scan_reminder and period "scan-round-<id>", is claimed before
the e-mail is sent; only the claimer sends. A second run (a task delivered twice, the command
run by hand) sends nothing. A failed e-mail stays in the reminder log as failed, with its
error (visible in the admin), and a later run tries it again.

Two ways in: the Celery tasks in ontwikkeling/tasks.py (a plan that enqueues one task per
recipient, each retried with back-off), and the synchronous `send_scan_invitations` /
`send_scan_reminders` (the management command; no retries).
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from doelen.models import ReminderKind
from doelen.reminders import Outcome, message_headers, send_once, sent_recipient_ids
from ontwikkeling.models import ScanResponse, ScanRound
from teams.models import Employee, Membership

SCAN_KINDS = (ReminderKind.SCAN_INVITATION, ReminderKind.SCAN_REMINDER)
_TEMPLATES = {
    ReminderKind.SCAN_INVITATION: "emails/ontwikkeling_invitation",
    ReminderKind.SCAN_REMINDER: "emails/ontwikkeling_reminder",
}


def period_for(round_id: int) -> str:
    """The reminder-log period of a round's e-mails."""
    return f"scan-round-{round_id}"


@dataclass(frozen=True)
class ScanEmail:
    """One scan e-mail to send: what the plan enqueues a task for."""

    kind: str
    scan_round: ScanRound
    recipient: Employee


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
    *,
    round_id: int,
    on: datetime.date,
    recipient_ids: Collection[int] | None = None,
    leave_out_sent: bool = True,
) -> list[ScanEmail]:
    """The invitations still to send for a round that is open on `on`: its team's current
    members who were not invited yet (all of them without `leave_out_sent`). Three queries."""
    scan_round = (
        ScanRound.objects.select_related("team").filter(pk=round_id, team__is_active=True).first()
    )
    if scan_round is None or not scan_round.is_open(on):
        return []
    done = (
        sent_recipient_ids(kind=ReminderKind.SCAN_INVITATION, period=period_for(round_id))
        if leave_out_sent
        else set()
    )
    return [
        ScanEmail(ReminderKind.SCAN_INVITATION, scan_round, person)
        for person in _members([scan_round], on, recipient_ids)[scan_round.team_id]
        if person.pk not in done
    ]


def reminders_due(
    *,
    on: datetime.date,
    days: int | None = None,
    round_ids: Collection[int] | None = None,
    recipient_ids: Collection[int] | None = None,
    leave_out_sent: bool = True,
) -> list[ScanEmail]:
    """The reminders still to send on `on`: in open rounds of active teams that close within
    `days` days (default settings.ZS_SCAN_REMINDER_DAYS; no limit when `round_ids` is
    given), to current members who have not answered and were not reminded yet (whether
    reminded or not without `leave_out_sent`). Three queries and one per round."""
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
    due = []
    for scan_round in rounds:
        done = (
            sent_recipient_ids(kind=ReminderKind.SCAN_REMINDER, period=period_for(scan_round.pk))
            if leave_out_sent
            else set()
        )
        due.extend(
            ScanEmail(ReminderKind.SCAN_REMINDER, scan_round, person)
            for person in members[scan_round.team_id]
            if (scan_round.pk, person.pk) not in answered and person.pk not in done
        )
    return due


def build_message(email: ScanEmail) -> EmailMessage:
    """The e-mail, in the recipient's language."""
    scan_round, recipient = email.scan_round, email.recipient
    url = settings.SITE_URL + reverse("ontwikkeling:scan", kwargs={"slug": scan_round.team.slug})
    context = {"recipient": recipient, "round": scan_round, "team": scan_round.team, "url": url}
    base = _TEMPLATES[email.kind]
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{base}_subject.txt", context)
        body = render_to_string(f"{base}.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[recipient.email],
        headers=message_headers(
            kind=email.kind, period=period_for(scan_round.pk), recipient_id=recipient.pk
        ),
    )


def deliver(
    email: ScanEmail, *, claim_token: str, last_attempt: bool = True, connection=None
) -> Outcome:
    """Send one scan e-mail through the reminder mechanism, at most once."""
    return send_once(
        recipient=email.recipient,
        kind=email.kind,
        period=period_for(email.scan_round.pk),
        build_message=lambda: build_message(email),
        claim_token=claim_token,
        last_attempt=last_attempt,
        connection=connection,
    )


def send_scan_email(
    *,
    kind: str,
    round_id: int,
    recipient_id: int,
    on: datetime.date,
    claim_token: str,
    last_attempt: bool = True,
) -> Outcome:
    """Send one person's scan e-mail of `kind` for a round, unless it was sent already or is
    no longer due (the round closed, the person left the team or answered meanwhile). What
    the per-recipient task runs; transient mail errors are raised unless `last_attempt`."""
    # Not leaving out the sent ones: the claim answers "already sent" for them.
    if kind == ReminderKind.SCAN_INVITATION:
        due = invitations_due(
            round_id=round_id, on=on, recipient_ids=[recipient_id], leave_out_sent=False
        )
    elif kind == ReminderKind.SCAN_REMINDER:
        due = reminders_due(
            on=on, round_ids=[round_id], recipient_ids=[recipient_id], leave_out_sent=False
        )
    else:
        raise ValueError(f"Not a scan e-mail kind: {kind!r}.")
    if not due:
        return Outcome.NOTHING_TO_SEND
    return deliver(due[0], claim_token=claim_token, last_attempt=last_attempt)


def _send_all(emails: list[ScanEmail]) -> Counter:
    outcomes: Counter = Counter()
    if not emails:
        return outcomes
    token = f"run-{uuid.uuid4().hex}"
    connection = get_connection()
    try:
        for email in emails:
            outcomes[deliver(email, claim_token=token, connection=connection)] += 1
    finally:
        connection.close()
    return outcomes


def send_scan_invitations(*, round_id: int, on: datetime.date | None = None) -> int:
    """Invite the team's current members to fill in the scan, now, in this process.
    Returns how many were sent; failures are recorded in the reminder log."""
    on = on or timezone.localdate()
    return _send_all(invitations_due(round_id=round_id, on=on))[Outcome.SENT]


def send_scan_reminders_now(*, on: datetime.date | None = None, days: int | None = None) -> Counter:
    """Send the due reminders (see `reminders_due`) now, in this process; the outcomes."""
    on = on or timezone.localdate()
    return _send_all(reminders_due(on=on, days=days))


def send_scan_reminders(*, on: datetime.date | None = None, days: int | None = None) -> int:
    """Remind members who have not answered yet, once, in open rounds that close within
    `days` days (default settings.ZS_SCAN_REMINDER_DAYS). Returns how many were sent."""
    return send_scan_reminders_now(on=on, days=days)[Outcome.SENT]

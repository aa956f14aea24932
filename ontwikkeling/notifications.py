"""Scan e-mails: the invitation when a round opens and one reminder before it closes.

Each e-mail is claimed before it is sent: a ScanNotification row, unique per
(recipient, round, kind), is inserted first; whoever inserts it sends. A second run (a task
delivered twice, the command run by hand) finds the row and sends nothing. If sending fails
the claim is removed again, so the next run retries.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ontwikkeling.models import NotificationKind, ScanNotification, ScanResponse, ScanRound
from teams.models import Employee, Membership

logger = logging.getLogger(__name__)


def _recipients(scan_round: ScanRound, on: datetime.date) -> list[Employee]:
    member_ids = (
        Membership.objects.current(on).filter(team_id=scan_round.team_id).values("employee_id")
    )
    return list(
        Employee.objects.active().filter(pk__in=member_ids).exclude(email="").order_by("pk")
    )


def _claim(*, recipient: Employee, scan_round: ScanRound, kind: str) -> ScanNotification | None:
    try:
        with transaction.atomic():
            return ScanNotification.objects.create(recipient=recipient, round=scan_round, kind=kind)
    except IntegrityError:
        return None


def _send(*, recipient: Employee, scan_round: ScanRound, kind: str) -> bool:
    claim = _claim(recipient=recipient, scan_round=scan_round, kind=kind)
    if claim is None:
        return False
    url = settings.SITE_URL + reverse("ontwikkeling:scan", kwargs={"slug": scan_round.team.slug})
    context = {"recipient": recipient, "round": scan_round, "team": scan_round.team, "url": url}
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/ontwikkeling_{kind}_subject.txt", context)
        body = render_to_string(f"emails/ontwikkeling_{kind}.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [recipient.email])
    except Exception:
        claim.delete()  # not sent: let the next run try again
        logger.exception("scan %s to employee %s failed", kind, recipient.pk)
        raise
    return True


def send_scan_invitations(*, round_id: int, on: datetime.date | None = None) -> int:
    """Invite the team's current members to fill in the scan. Returns how many were sent."""
    on = on or timezone.localdate()
    scan_round = ScanRound.objects.select_related("team").filter(pk=round_id).first()
    if scan_round is None or not scan_round.is_open(on):
        return 0
    return sum(
        _send(recipient=recipient, scan_round=scan_round, kind=NotificationKind.INVITATION)
        for recipient in _recipients(scan_round, on)
    )


def send_scan_reminders(*, on: datetime.date | None = None, days: int | None = None) -> int:
    """Remind members who have not answered yet, once, in open rounds that close within
    `days` days (default settings.ZS_SCAN_REMINDER_DAYS). Returns how many were sent."""
    on = on or timezone.localdate()
    days = settings.ZS_SCAN_REMINDER_DAYS if days is None else days
    rounds = (
        ScanRound.objects.open_on(on)
        .filter(closes_on__lte=on + datetime.timedelta(days=days), team__is_active=True)
        .select_related("team")
    )
    sent = 0
    for scan_round in rounds:
        answered = set(
            ScanResponse.objects.filter(round=scan_round).values_list("respondent_id", flat=True)
        )
        for recipient in _recipients(scan_round, on):
            if recipient.pk not in answered:
                sent += _send(
                    recipient=recipient, scan_round=scan_round, kind=NotificationKind.REMINDER
                )
    return sent

"""The one reminder to an agreement's owner when its review date has passed.

One kind, registered with the notifications app in AfsprakenConfig.ready() (`KINDS`):
`agreement_review`, once per owner per agreement per review date (period
"agreement-<id>-<review date>"): the reminder log's unique (recipient, kind, period) row
makes a second run send nothing. A new review date (the team revised the agreement) may
lead to one new reminder when that date passes too. Owners who paused reminders, left or
have no e-mail address get nothing while that lasts.

Ways in: the daily beat task (afspraken.tasks) and `manage.py send_agreement_reminders`.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Collection, Mapping
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from afspraken.models import Agreement
from notifications import sending
from notifications.registry import Kind, Notification

KIND = "agreement_review"


def period_for(agreement: Agreement) -> str:
    """Once per agreement and review date (a new review date may remind once more)."""
    review_on = agreement.current.review_on if agreement.current else None
    return f"agreement-{agreement.pk}-{review_on.isoformat() if review_on else 'none'}"


def reviews_due(
    *,
    on: datetime.date,
    recipient_ids: Collection[int] | None = None,
    agreement_id: int | None = None,
) -> list[Notification]:
    """A notification per overdue agreement of an active team to its reachable owner who has
    not paused reminders on `on`, whether reminded already or not (sending.leave_out_sent
    tells). One query."""
    agreements = (
        Agreement.objects.overdue(on=on)
        .filter(team__is_active=True, current__owner__is_active=True)
        .exclude(current__owner__email="")
        .select_related("team", "current__owner")
        .order_by("current__review_on", "pk")
    )
    if recipient_ids is not None:
        agreements = agreements.filter(current__owner_id__in=set(recipient_ids))
    if agreement_id is not None:  # the send task of one agreement's reminder
        agreements = agreements.filter(pk=agreement_id)
    return [
        Notification(
            kind=KIND,
            recipient=agreement.current.owner,
            period=period_for(agreement),
            # The agreement too: an owner may have several due, each its own e-mail.
            params={"on": on.isoformat(), "agreement_id": agreement.pk},
            content=agreement,
            item_count=1,
        )
        for agreement in agreements
        if not agreement.current.owner.reminders_paused_on(on)
    ]


def _select(params: Mapping[str, Any], recipient_ids: Collection[int] | None):
    return reviews_due(
        on=datetime.date.fromisoformat(params["on"]),
        recipient_ids=recipient_ids,
        agreement_id=params.get("agreement_id"),
    )


def _context(notification: Notification) -> dict[str, Any]:
    agreement = notification.content
    return {
        "agreement": agreement,
        "version": agreement.current,
        "team": agreement.team,
        "url": settings.SITE_URL + agreement.get_absolute_url(),
        "settings_link": settings.SITE_URL + reverse("teams:settings"),
    }


KINDS = (
    Kind(
        name=KIND,
        label=_("agreement review reminder"),
        select=_select,
        templates="emails/agreement_review",
        context=_context,
    ),
)


def send_review_reminders(*, on: datetime.date | None = None) -> Counter:
    """Send the due reminders now, in this process (the command); the outcomes."""
    on = on or timezone.localdate()
    todo, _sent = sending.leave_out_sent(reviews_due(on=on))
    return sending.send_all(todo).outcomes

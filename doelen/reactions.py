"""Reactions on check-ins: how a manager or teammate steers "through signals, not orders",
with a question or a word of appreciation on the update itself
(docs/decisions/0017-nudges-and-reactions.md).

Reactions are appended, never edited; the author may retract one (hidden, with the time
and an audit event). The check-in's author gets at most one e-mail a day about new
reactions: a registered kind (`KIND`) whose log period is the day, sent from the outbox
after the reaction's commit; reactions that come in after that day's e-mail are read on
the goal page. Paused reminders are respected.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from doelen.models import CheckIn
from doelen.reaction_models import REACTION_MAX_LENGTH, Reaction
from notifications import outbox
from notifications.registry import Kind, Notification
from teams.models import Employee

KIND_NAME = "reaction"


def clean_text(text: str) -> str:
    """The reaction's text: trimmed, required, at most REACTION_MAX_LENGTH, no HTML."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a short reaction.")})
    if strip_tags(text) != text:
        raise ValidationError({"text": _("A reaction is plain text; leave out HTML tags.")})
    if len(text) > REACTION_MAX_LENGTH:
        raise ValidationError(
            {"text": _("A reaction is at most %(max)d characters.") % {"max": REACTION_MAX_LENGTH}}
        )
    return text


@transaction.atomic
def reaction_add(*, check_in: CheckIn, author: Employee, text: str) -> Reaction:
    """Add a reaction to a check-in (the caller checked `TeamAccess.can_react`). Audited;
    the check-in's author hears of it by e-mail, once a day at most."""
    reaction = Reaction(check_in=check_in, author=author, text=clean_text(text))
    reaction.full_clean()
    reaction.save()
    audit_record(
        actor=author,
        action="check_in.react",
        obj=reaction,
        details={"goal": check_in.goal_id, "check_in": check_in.pk},
    )
    if check_in.author_id != author.pk:
        on = timezone.localdate(reaction.created_at)
        outbox.after_commit(
            "doelen.tasks.send_reaction_mail", recipient_id=check_in.author_id, on=on.isoformat()
        )
    return reaction


@transaction.atomic
def reaction_retract(*, reaction: Reaction, actor: Employee) -> Reaction:
    """Hide one's own reaction; the row stays, with the time it was retracted."""
    reaction = Reaction.objects.select_for_update().get(pk=reaction.pk)
    if reaction.author_id != actor.pk:
        raise PermissionDenied
    if reaction.retracted_at is None:
        reaction.retracted_at = timezone.now()
        reaction.save(update_fields=["retracted_at"])
        audit_record(
            actor=actor,
            action="check_in.retract_reaction",
            obj=reaction,
            details={"check_in": reaction.check_in_id},
        )
    return reaction


def _day_bounds(on: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(on, datetime.time.min, tzinfo=zone)
    return start, start + datetime.timedelta(days=1)


def notifications_for(
    *, on: datetime.date, recipient_ids: Collection[int] | None = None
) -> list[Notification]:
    """One e-mail per check-in author who got reactions from others on day `on`, unless
    they paused reminders or cannot be reached. Two queries."""
    start, end = _day_bounds(on)
    reactions = (
        Reaction.objects.filter(
            retracted_at__isnull=True, created_at__gte=start, created_at__lt=end
        )
        .select_related("author", "check_in__goal__team", "check_in__author")
        .order_by("created_at", "pk")
    )
    if recipient_ids is not None:
        reactions = reactions.filter(check_in__author_id__in=set(recipient_ids))
    by_author: dict[int, list[Reaction]] = {}
    people: dict[int, Employee] = {}
    for reaction in reactions:
        recipient = reaction.check_in.author
        if reaction.author_id == recipient.pk:
            continue
        if not recipient.is_active or not recipient.email or recipient.reminders_paused_on(on):
            continue
        people[recipient.pk] = recipient
        by_author.setdefault(recipient.pk, []).append(reaction)
    return [
        Notification(
            kind=KIND_NAME,
            recipient=people[pk],
            period=on.isoformat(),
            params={"on": on.isoformat()},
            content=items,
            item_count=len(items),
        )
        for pk, items in by_author.items()
    ]


def _select(params: Mapping[str, Any], recipient_ids: Collection[int] | None):
    return notifications_for(
        on=datetime.date.fromisoformat(params["on"]), recipient_ids=recipient_ids
    )


def _context(notification: Notification) -> dict[str, Any]:
    reactions = notification.content
    for reaction in reactions:
        reaction.link = settings.SITE_URL + reaction.check_in.goal.get_absolute_url()
    return {
        "reactions": reactions,
        "settings_link": settings.SITE_URL + reverse("teams:settings"),
    }


KIND = Kind(
    name=KIND_NAME,
    label=gettext_lazy("reactions on your updates"),
    select=_select,
    templates="emails/reaction",
    context=_context,
)

""" "Vraag om een update": a team member or manager asks a stale goal's owner for a progress
update. One short, friendly e-mail through the reminder mechanism (notifications), at most
once per goal per day, never to someone who paused reminders
(docs/decisions/0017-nudges-and-reactions.md).

The e-mail is a registered kind (`KIND`, registered in DoelenConfig.ready()); its log row's
period names the day and the goal ("2026-12-02-goal-17"), so the reminder log's unique
(recipient, kind, period) row makes it once per goal per day. The press itself is audited
(`goal.request_update`) and hands the sending to the outbox after the commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from audit.services import audit_record
from doelen.models import Goal
from notifications import outbox
from notifications.models import ReminderLog
from notifications.registry import Kind, Notification
from teams.models import Employee

KIND_NAME = "nudge"
ACTION = "goal.request_update"


class NudgeOutcome(StrEnum):
    SENT = "sent"  # recorded; the e-mail goes out after the commit
    ALREADY_ASKED = "already_asked"  # someone asked for this goal today
    PAUSED = "paused"  # the owner paused reminders
    NO_OWNER = "no_owner"  # nobody (reachable) owns the goal
    NOT_STALE = "not_stale"  # updated within the rhythm, or not active


def period_for(*, goal_id: int, on: datetime.date) -> str:
    return f"{on.isoformat()}-goal-{goal_id}"


def _reachable(employee: Employee | None) -> bool:
    return employee is not None and employee.is_active and bool(employee.email)


def _is_stale(goal_id: int, on: datetime.date) -> bool:
    return Goal.objects.stale(on=on).filter(pk=goal_id, team__is_active=True).exists()


def asked_today(*, goal_id: int, on: datetime.date) -> bool:
    """Whether someone asked for an update on this goal on `on` (pressed, or e-mailed)."""
    pressed = AuditEvent.objects.filter(
        action=ACTION,
        object_type=Goal._meta.label_lower,
        object_id=str(goal_id),
        details__on=on.isoformat(),
    ).exists()
    return pressed or (
        ReminderLog.objects.filter(kind=KIND_NAME, period=period_for(goal_id=goal_id, on=on))
        .exclude(status="failed")
        .exists()
    )


@transaction.atomic
def goal_request_update(
    *, goal: Goal, actor: Employee, on: datetime.date | None = None
) -> NudgeOutcome:
    """Ask the owner of `goal` for an update (the caller checked
    `TeamAccess.can_request_update`). Under the goal's row lock, so two presses at once
    record one request. Only a stale goal with a reachable owner who did not pause
    reminders is asked, once per day; every press that asks is audited."""
    on = on or timezone.localdate()
    goal = (
        Goal.objects.select_for_update(of=("self",)).select_related("team", "owner").get(pk=goal.pk)
    )
    owner = goal.owner
    if not _is_stale(goal.pk, on):
        return NudgeOutcome.NOT_STALE
    if owner is None or not _reachable(owner):
        return NudgeOutcome.NO_OWNER
    if owner.reminders_paused_on(on):
        return NudgeOutcome.PAUSED
    if asked_today(goal_id=goal.pk, on=on):
        return NudgeOutcome.ALREADY_ASKED
    audit_record(
        actor=actor,
        action=ACTION,
        obj=goal,
        details={"on": on.isoformat(), "owner": owner.pk},
    )
    outbox.after_commit("doelen.tasks.send_nudge", goal_id=goal.pk, on=on.isoformat(), by=actor.pk)
    return NudgeOutcome.SENT


def notifications_for(*, goal_id: int, on: datetime.date, by: int) -> list[Notification]:
    """The nudge e-mail still due for `goal_id` on `on`: none when the goal is no longer
    stale, has no reachable owner or its owner paused reminders. Three queries."""
    goal = Goal.objects.select_related("team", "owner").filter(pk=goal_id).first()
    if goal is None or not _is_stale(goal_id, on):
        return []
    owner = goal.owner
    if owner is None or not _reachable(owner) or owner.reminders_paused_on(on):
        return []
    asker = Employee.objects.filter(pk=by).first()
    return [
        Notification(
            kind=KIND_NAME,
            recipient=owner,
            period=period_for(goal_id=goal_id, on=on),
            params={"goal": goal_id, "on": on.isoformat(), "by": by},
            content={"goal": goal, "asker": asker},
            item_count=1,
        )
    ]


def _select(params: Mapping[str, Any], recipient_ids: Collection[int] | None):
    found = notifications_for(
        goal_id=int(params["goal"]),
        on=datetime.date.fromisoformat(params["on"]),
        by=int(params["by"]),
    )
    if recipient_ids is not None:
        found = [n for n in found if n.recipient.pk in set(recipient_ids)]
    return found


def _context(notification: Notification) -> dict[str, Any]:
    goal = notification.content["goal"]
    return {
        "goal": goal,
        "asker": notification.content["asker"],
        "goal_link": settings.SITE_URL + goal.get_absolute_url(),
        "updates_link": settings.SITE_URL + reverse("doelen:my_updates"),
        "settings_link": settings.SITE_URL + reverse("teams:settings"),
    }


KIND = Kind(
    name=KIND_NAME,
    label=_("request for an update"),
    select=_select,
    templates="emails/nudge",
    context=_context,
)

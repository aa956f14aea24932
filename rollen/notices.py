"""The notice to the old address when the HR import changes an account's e-mail address, so
that nobody can take over an account this way unseen (issue #14).

A registered kind of the reminder log (notifications), like every other e-mail: recorded in
the import's transaction (the outbox), handed to Celery after the commit or by the sweep when
the broker was down, claimed before it is sent, retried on a temporary SMTP answer
(docs/decisions/0005-faults.md). The log row's period is the day and a digest of the two
addresses, so one change is told once, and the old address itself is not stored in the log.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Collection, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications import outbox
from notifications.registry import Kind, Notification
from teams.models import Employee

KIND_NAME = "email_changed"


def period_for(*, old_email: str, new_email: str, on: datetime.date) -> str:
    """'2026-12-07-1a2b3c4d5e6f': fits the log's 40 characters and names no address."""
    digest = hashlib.sha256(f"{old_email}\n{new_email}".lower().encode()).hexdigest()[:12]
    return f"{on.isoformat()}-{digest}"


def notify_email_changed(*, person: Employee, old_email: str) -> None:
    """Record the notice in the caller's transaction; it is sent after the commit (a dry
    run, which rolls back, records nothing)."""
    period = period_for(old_email=old_email, new_email=person.email, on=timezone.localdate())
    outbox.after_commit(
        "rollen.tasks.send_email_changed_notice",
        employee_id=person.pk,
        old_email=old_email,
        period=period,
    )


def notifications_for(*, employee_id: int, old_email: str, period: str) -> list[Notification]:
    """The notice still due: none when the person is gone or there is no old address."""
    person = Employee.objects.filter(pk=employee_id).first()
    if person is None or not old_email:
        return []
    return [
        Notification(
            kind=KIND_NAME,
            recipient=person,
            period=period,
            params={"employee_id": employee_id, "old_email": old_email, "period": period},
            to=old_email,
            item_count=1,
        )
    ]


def _select(params: Mapping[str, Any], recipient_ids: Collection[int] | None):
    found = notifications_for(
        employee_id=int(params["employee_id"]),
        old_email=str(params["old_email"]),
        period=str(params["period"]),
    )
    if recipient_ids is not None:
        wanted = set(recipient_ids)
        found = [n for n in found if n.recipient.pk in wanted]
    return found


def _context(notification: Notification) -> dict[str, Any]:
    return {"person": notification.recipient}


KIND = Kind(
    name=KIND_NAME,
    label=_("E-mail address changed by the HR import"),
    select=_select,
    templates="rollen/email/email_changed",
    context=_context,
)

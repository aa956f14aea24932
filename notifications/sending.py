"""Sending each e-mail once: claim, send, record; the retry rule (docs/decisions/0002-reminders.md).

Every kind of e-mail in the portal (notifications.registry) goes through `send_once`: it
claims the kind's ReminderLog row (unique per recipient, kind and period) in its own
committed transaction, builds and sends the message only while it holds the claim, and
records the outcome. A claim is taken over only when it failed, when it is the caller's own
(a Celery retry or redelivery keeps the task id), or when its lease ran out (its holder was
killed). The owning apps select who is due (a kind's `select`); this module never imports them.

Ways in: `send_one` (what the Celery send task in notifications/tasks.py runs for one person)
and `send_all` (a batch in this process, over one SMTP connection: the management commands).
None of them may run inside an outer transaction: the claim must be committed before the
e-mail goes out.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import smtplib
import uuid
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notifications import registry
from notifications.models import ReminderLog, ReminderStatus
from notifications.registry import Notification

logger = logging.getLogger(__name__)


class Outcome(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"
    IN_PROGRESS = "in_progress"
    NOTHING_TO_SEND = "nothing_to_send"
    FAILED = "failed"


# The retry rule


def _codes(exc: BaseException) -> list[int]:
    """The SMTP reply codes an error carries: one for an answer at connect, MAIL or DATA,
    one per refused recipient for RCPT. Empty for a network error or a bug."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return [code for code, _message in exc.recipients.values()]
    if isinstance(exc, smtplib.SMTPResponseException):
        return [exc.smtp_code]
    return []


def is_permanent(exc: BaseException) -> bool:
    """A 5xx answer at any stage (connect, MAIL, RCPT, DATA): trying again will not help.
    A 4xx answer (e.g. greylisting: 451 to RCPT TO) is temporary, also for a refused
    recipient."""
    codes = _codes(exc)
    return bool(codes) and all(code >= 500 for code in codes)


def is_transient(exc: BaseException) -> bool:
    """Worth trying again later: a 4xx answer, or a network or SMTP error (smtplib's errors
    are OSErrors) that is not a permanent answer. The send task retries these
    (notifications.tasks) with its back-off."""
    return isinstance(exc, OSError) and not is_permanent(exc)


def describe_error(exc: BaseException) -> str:
    """What the log records: the error's type and the server's own answer ("550 5.1.1 …")
    when there is one."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = "; ".join(
            f"{rcpt}: {code} {_text(message)}" for rcpt, (code, message) in exc.recipients.items()
        )
        return f"{type(exc).__name__}: {answers}"[:2000]
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__}: {exc.smtp_code} {_text(exc.smtp_error)}"[:2000]
    return f"{type(exc).__name__}: {exc}"[:2000]


def _text(message) -> str:
    if isinstance(message, bytes):
        return message.decode("utf-8", "replace")
    return str(message)


# Claiming


def claim(
    *, recipient_id: int, kind: str, period: str, token: str, item_count: int = 0
) -> ReminderLog | None:
    """Claim the e-mail for sending, in its own committed transaction; None if someone else
    holds it or it was sent. A claim may be taken over when it failed, when it is the caller's
    own (a task retried or delivered again after its worker died), or when its lease ran out.
    An unregistered kind is refused (registry.UnknownKind) before anything is written."""
    registry.get(kind)
    now = timezone.now()
    key = {"recipient_id": recipient_id, "kind": kind, "period": period}
    try:
        with transaction.atomic():
            return ReminderLog.objects.create(
                **key,
                status=ReminderStatus.SENDING,
                claim_token=token,
                claimed_at=now,
                attempts=1,
                item_count=item_count,
            )
    except IntegrityError:
        pass
    lease_start = now - datetime.timedelta(seconds=settings.ZS_REMINDER_LEASE_SECONDS)
    takeover = Q(status=ReminderStatus.FAILED) | Q(
        Q(claim_token=token) | Q(claimed_at__lt=lease_start), status=ReminderStatus.SENDING
    )
    taken = (
        ReminderLog.objects.filter(**key)
        .filter(takeover)
        .update(
            status=ReminderStatus.SENDING,
            claim_token=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
            item_count=item_count,
        )
    )
    if not taken:
        return None
    return ReminderLog.objects.get(**key)


def sent_recipient_ids(*, kind: str, period: str) -> set[int]:
    """Ids of the people whose e-mail of `kind` for `period` went out. One query."""
    return set(
        ReminderLog.objects.filter(
            kind=kind, period=period, status=ReminderStatus.SENT
        ).values_list("recipient_id", flat=True)
    )


def leave_out_sent(notifications: list[Notification]) -> tuple[list[Notification], int]:
    """The notifications whose e-mail did not go out yet, and how many did. One query (none
    for an empty list)."""
    if not notifications:
        return [], 0
    sent = set(
        ReminderLog.objects.filter(
            kind__in={n.kind for n in notifications},
            period__in={n.period for n in notifications},
            status=ReminderStatus.SENT,
        ).values_list("kind", "period", "recipient_id")
    )
    todo = [n for n in notifications if (n.kind, n.period, n.recipient.pk) not in sent]
    return todo, len(notifications) - len(todo)


def due(*, kind: str, params: Mapping[str, Any]) -> list[Notification]:
    """The e-mails of `kind` still to send for `params`: the kind's selection, without those
    sent already. What a plan enqueues one send task for. The kind's queries and one."""
    return leave_out_sent(registry.get(kind).select(params, None))[0]


# Writing and sending


def message_headers(*, kind: str, period: str, recipient_id: int) -> dict[str, str]:
    """Headers for a reminder e-mail. The Message-ID is the same for every attempt at one
    e-mail, so that a mail client can drop a copy that an SMTP failure after acceptance
    might still cause."""
    host = urlsplit(settings.SITE_URL).hostname or "zelfsturing.local"
    return {
        "Message-ID": f"<zelfsturing.{kind}.{period}.{recipient_id}@{host}>",
        "Auto-Submitted": "auto-generated",
    }


def build_message(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail, in the recipient's language, from the kind's templates and context:
    subject and plain text, and HTML for a kind with `html`."""
    kind = registry.get(notification.kind)
    recipient = notification.recipient
    language = getattr(recipient, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "recipient": recipient,
            "language": language,
            "site_url": settings.SITE_URL,
            **kind.context(notification),
        }
        subject = " ".join(render_to_string(f"{kind.templates}_subject.txt", context).split())
        text = render_to_string(f"{kind.templates}.txt", context)
        html = render_to_string(f"{kind.templates}.html", context) if kind.html else None
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[notification.to or recipient.email],
        headers=message_headers(
            kind=kind.name, period=notification.period, recipient_id=recipient.pk
        ),
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    return message


def send_once(
    *,
    recipient,
    kind: str,
    period: str,
    build_message: Callable[[], EmailMessage],
    claim_token: str | None = None,
    last_attempt: bool = True,
    item_count: int = 0,
    connection=None,
) -> Outcome:
    """Send one e-mail of `kind` for `period` to `recipient` at most once.

    Claims the ReminderLog row (see `claim`), then calls `build_message()` and sends the
    message, then marks the row sent. Without a `claim_token` a fresh one is used (a caller
    that retries must pass the same token each time, e.g. its Celery task id). A transient
    mail error (`is_transient`) is raised for the caller to retry, with the claim kept and its
    lease renewed, unless `last_attempt`; then, like a permanent error, it is recorded on the
    row as failed and FAILED is returned. Any other error is recorded as failed and raised.
    Must not run inside an outer transaction."""
    token = claim_token or f"once-{uuid.uuid4().hex}"
    recipient_id = recipient.pk
    log = claim(
        recipient_id=recipient_id, kind=kind, period=period, token=token, item_count=item_count
    )
    if log is None:
        status = (
            ReminderLog.objects.filter(recipient_id=recipient_id, kind=kind, period=period)
            .values_list("status", flat=True)
            .first()
        )
        return Outcome.ALREADY_SENT if status == ReminderStatus.SENT else Outcome.IN_PROGRESS
    mine = ReminderLog.objects.filter(pk=log.pk, claim_token=token)
    own_connection = connection is None
    try:
        message = build_message()
        if own_connection:
            connection = get_connection()
        # Open first, so that sending does not close the connection: the row is marked sent
        # right after the server's 250 to DATA, before QUIT (the duplicate window, 0002).
        connection.open()
        connection.send_messages([message])
    except Exception as exc:
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()  # the next message opens a fresh connection
        error = describe_error(exc)
        if is_transient(exc) and not last_attempt:
            # Keep the claim (the retry carries the same token) and renew its lease.
            mine.update(last_error=error, claimed_at=timezone.now())
            logger.warning("E-mail %s %s to %s: will retry: %s", kind, period, recipient_id, error)
            raise
        mine.update(status=ReminderStatus.FAILED, last_error=error)
        logger.error("E-mail %s %s to %s failed: %s", kind, period, recipient_id, error)
        if isinstance(exc, OSError):
            return Outcome.FAILED
        raise
    marked = mine.update(status=ReminderStatus.SENT, sent_at=timezone.now(), last_error="")
    if own_connection:
        with contextlib.suppress(Exception):  # accepted and marked: QUIT may fail harmlessly
            connection.close()
    if not marked:
        logger.error("E-mail %s %s to %s: claim lost while sending", kind, period, recipient_id)
    return Outcome.SENT


def deliver(
    notification: Notification, *, claim_token: str, last_attempt: bool = True, connection=None
) -> Outcome:
    """Send one selected notification through `send_once`."""
    return send_once(
        recipient=notification.recipient,
        kind=notification.kind,
        period=notification.period,
        build_message=lambda: build_message(notification),
        claim_token=claim_token,
        last_attempt=last_attempt,
        item_count=notification.item_count,
        connection=connection,
    )


def send_one(
    *,
    kind: str,
    recipient_id: int,
    params: Mapping[str, Any],
    claim_token: str,
    last_attempt: bool = True,
) -> Outcome:
    """Send one person's e-mail of `kind` for `params`, unless it was sent already or is no
    longer due (the kind selects again, for this person only). What the send task runs; a
    transient mail error is raised (for the task to retry) unless `last_attempt`."""
    selected = registry.get(kind).select(params, [recipient_id])
    mine = [n for n in selected if n.recipient.pk == recipient_id]
    if not mine:
        return Outcome.NOTHING_TO_SEND
    return deliver(mine[0], claim_token=claim_token, last_attempt=last_attempt)


@dataclass
class SendReport:
    outcomes: Counter = field(default_factory=Counter)
    failed: list[Notification] = field(default_factory=list)


def send_all(notifications: Collection[Notification]) -> SendReport:
    """Send these notifications now, in this process, over one SMTP connection, without
    retries. A failure is recorded on the log and does not stop the others; a later run
    takes failed e-mails up again."""
    report = SendReport()
    if not notifications:
        return report
    token = f"run-{uuid.uuid4().hex}"
    connection = get_connection()
    try:
        for notification in notifications:
            outcome = deliver(notification, claim_token=token, connection=connection)
            report.outcomes[outcome] += 1
            if outcome == Outcome.FAILED:
                report.failed.append(notification)
    finally:
        connection.close()
    return report

"""Progress reminders: who gets which e-mail, and sending each one exactly once.

Two kinds, one path:
- the daily reminder: one e-mail per person listing all their stale goals (the goals they own,
  or, for a goal without an active owner, the goals of the teams they are a member of);
- the weekly digest: one e-mail per manager, per team the stale goals and the roles the team
  is vulnerable in.

Selection reads in a fixed number of queries, whatever the number of people. Sending claims a
`ReminderLog` row (unique per recipient, kind and period) in its own committed transaction
before the e-mail goes out; only the claimer sends (docs/decisions/0002-reminders.md). The
Celery tasks in doelen/tasks.py and `manage.py send_reminders` both call this module.

`send_once` is that claim-and-send path on its own; other apps' e-mails (the scan invitation
and reminder in ontwikkeling) go through it too, with their own kinds and periods.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import uuid
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from doelen.models import Goal, ReminderKind, ReminderLog, ReminderStatus
from rollen.models import Role
from rollen.selectors import vulnerable_roles
from teams.models import Employee, Membership, Team

logger = logging.getLogger(__name__)

# A goal this many rhythms without a check-in reaches the manager's digest even when its
# owner paused reminders.
ESCALATION_RHYTHMS = 3


class Outcome(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"
    IN_PROGRESS = "in_progress"
    NOTHING_TO_SEND = "nothing_to_send"
    FAILED = "failed"


# Selection


@dataclass
class DailyReminder:
    recipient: Employee
    goals: list[Goal] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return len(self.goals)


@dataclass
class TeamDigest:
    team: Team
    stale_goals: list[Goal] = field(default_factory=list)
    vulnerable_roles: list[tuple[Role, int]] = field(default_factory=list)

    @property
    def has_news(self) -> bool:
        return bool(self.stale_goals or self.vulnerable_roles)


@dataclass
class Digest:
    recipient: Employee
    teams: list[TeamDigest] = field(default_factory=list)
    quiet_teams: list[Team] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return sum(len(team.stale_goals) for team in self.teams)


def period_for(*, kind: str, on: datetime.date) -> str:
    """The period a reminder belongs to: the day, or the ISO week for the digest."""
    if kind == ReminderKind.DIGEST:
        year, week, _weekday = on.isocalendar()
        return f"{year}-W{week:02d}"
    return on.isoformat()


def _reachable(employee: Employee | None) -> bool:
    return employee is not None and employee.is_active and bool(employee.email)


def daily_reminders(
    *, on: datetime.date, recipient_ids: Collection[int] | None = None
) -> list[DailyReminder]:
    """Who gets a reminder on `on` and for which goals. Three queries.

    A goal's reminder goes to its owner; to every current member of its team when it has no
    active owner. Paused, inactive and e-mail-less people get nothing; only active goals of
    active teams count. `recipient_ids` limits the result to these people (one task each)."""
    goals_qs = (
        Goal.objects.stale(on=on)
        .filter(team__is_active=True)
        .select_related("team", "owner")
        .order_by("team__name", "due_date", "title", "pk")
    )
    memberships = Membership.objects.current(on).filter(employee__is_active=True)
    if recipient_ids is not None:
        recipient_ids = set(recipient_ids)
        member_of = Membership.objects.current(on).filter(employee_id__in=recipient_ids)
        goals_qs = goals_qs.filter(
            Q(owner_id__in=recipient_ids) | Q(team_id__in=member_of.values("team_id"))
        )
        memberships = memberships.filter(employee_id__in=recipient_ids)
    goals = list(goals_qs)

    unowned_team_ids = {goal.team_id for goal in goals if not _has_active_owner(goal)}
    members: dict[int, dict[int, Employee]] = {team_id: {} for team_id in unowned_team_ids}
    if unowned_team_ids:
        for membership in memberships.filter(team_id__in=unowned_team_ids).select_related(
            "employee"
        ):
            members[membership.team_id][membership.employee_id] = membership.employee

    reminders: dict[int, DailyReminder] = {}
    for goal in goals:
        people = [goal.owner] if _has_active_owner(goal) else members[goal.team_id].values()
        for person in people:
            if recipient_ids is not None and person.pk not in recipient_ids:
                continue
            if not _reachable(person) or person.reminders_paused_on(on):
                continue
            reminders.setdefault(person.pk, DailyReminder(recipient=person)).goals.append(goal)
    return sorted(reminders.values(), key=lambda r: (r.recipient.name, r.recipient.pk))


def _has_active_owner(goal: Goal) -> bool:
    return goal.owner is not None and goal.owner.is_active


def weekly_digests(
    *, on: datetime.date, recipient_ids: Collection[int] | None = None
) -> list[Digest]:
    """The managers' digests for the week of `on`. Five queries.

    Per active team a manager oversees: the stale goals and the vulnerable roles. A stale goal
    whose owner paused reminders is left out until it is stale for ESCALATION_RHYTHMS rhythms;
    then it appears, marked as escalated. A manager who turned the digest off, paused
    reminders or is inactive gets nothing; a digest with nothing to report is not sent."""
    pairs_qs = (
        Team.managers.through.objects.filter(
            team__is_active=True, employee__is_active=True, employee__digest_enabled=True
        )
        .exclude(employee__email="")
        .select_related("team", "employee")
        .order_by("team__name", "team_id")
    )
    if recipient_ids is not None:
        pairs_qs = pairs_qs.filter(employee_id__in=set(recipient_ids))
    pairs = [pair for pair in pairs_qs if not pair.employee.reminders_paused_on(on)]
    team_ids = sorted({pair.team_id for pair in pairs})
    if not team_ids:
        return []

    stale = Goal.objects.stale(on=on).filter(team_id__in=team_ids)
    escalated_ids = set(
        Goal.objects.stale(on=on, rhythms=ESCALATION_RHYTHMS)
        .filter(team_id__in=team_ids)
        .values_list("pk", flat=True)
    )
    stale_by_team: dict[int, list[Goal]] = {team_id: [] for team_id in team_ids}
    for goal in stale.select_related("owner").order_by("due_date", "title", "pk"):
        goal.escalated = goal.pk in escalated_ids
        owner_paused = _has_active_owner(goal) and goal.owner.reminders_paused_on(on)
        if owner_paused and not goal.escalated:
            continue
        stale_by_team[goal.team_id].append(goal)
    vulnerable = vulnerable_roles(team_ids=team_ids, on=on)

    digests: dict[int, Digest] = {}
    for pair in pairs:
        digest = digests.setdefault(pair.employee_id, Digest(recipient=pair.employee))
        team_digest = TeamDigest(
            team=pair.team,
            stale_goals=stale_by_team[pair.team_id],
            vulnerable_roles=vulnerable.get(pair.team_id, []),
        )
        if team_digest.has_news:
            digest.teams.append(team_digest)
        else:
            digest.quiet_teams.append(pair.team)
    return sorted(
        (digest for digest in digests.values() if digest.teams),
        key=lambda d: (d.recipient.name, d.recipient.pk),
    )


def _contents(
    *, kind: str, on: datetime.date, recipient_ids: Collection[int] | None = None
) -> list[DailyReminder] | list[Digest]:
    if kind == ReminderKind.DAILY:
        return daily_reminders(on=on, recipient_ids=recipient_ids)
    if kind == ReminderKind.DIGEST:
        return weekly_digests(on=on, recipient_ids=recipient_ids)
    raise ValueError(f"Unknown reminder kind {kind!r}.")


def recipients_to_send(*, kind: str, on: datetime.date) -> list[int]:
    """Ids of the people to send `kind` to for `on`, leaving out those already sent to.
    What the plan task enqueues one task for. Four to six queries."""
    done = sent_recipient_ids(kind=kind, period=period_for(kind=kind, on=on))
    return [c.recipient.pk for c in _contents(kind=kind, on=on) if c.recipient.pk not in done]


def sent_recipient_ids(*, kind: str, period: str) -> set[int]:
    """Ids of the people whose reminder of `kind` for `period` went out. One query."""
    return set(
        ReminderLog.objects.filter(
            kind=kind, period=period, status=ReminderStatus.SENT
        ).values_list("recipient_id", flat=True)
    )


# E-mails

_TEMPLATES = {ReminderKind.DAILY: "emails/reminder", ReminderKind.DIGEST: "emails/digest"}


def goal_link(goal: Goal) -> str:
    return settings.SITE_URL + goal.get_absolute_url()


def build_message(
    *, kind: str, content: DailyReminder | Digest, on: datetime.date, connection=None
) -> EmailMultiAlternatives:
    """The e-mail, in the recipient's language: subject, plain text and accessible HTML."""
    recipient = content.recipient
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        if isinstance(content, DailyReminder):
            for goal in content.goals:
                goal.link = goal_link(goal)
        else:
            for team_digest in content.teams:
                team_digest.link = settings.SITE_URL + team_digest.team.get_absolute_url()
                for goal in team_digest.stale_goals:
                    goal.link = goal_link(goal)
        context = {
            "recipient": recipient,
            "content": content,
            "on": on,
            "site_url": settings.SITE_URL,
            "settings_link": settings.SITE_URL + reverse("teams:settings"),
            "language": language,
        }
        base = _TEMPLATES[kind]
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[recipient.email],
        connection=connection,
        headers=message_headers(
            kind=kind, period=period_for(kind=kind, on=on), recipient_id=recipient.pk
        ),
    )
    message.attach_alternative(html, "text/html")
    return message


# Claiming and sending


def claim(
    *, recipient_id: int, kind: str, period: str, token: str, item_count: int = 0
) -> ReminderLog | None:
    """Claim the reminder for sending, in its own committed transaction; None if someone else
    holds it or it was sent. A claim may be taken over when it failed, when it is the caller's
    own (a task retried or delivered again after its worker died), or when its lease ran out."""
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


def _is_permanent(exc: BaseException) -> bool:
    """A 5xx answer (or every recipient refused): trying again will not help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return True
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def message_headers(*, kind: str, period: str, recipient_id: int) -> dict[str, str]:
    """Headers for a reminder e-mail. The Message-ID is the same for every attempt at one
    reminder, so that a mail client can drop a copy that an SMTP failure after acceptance
    might still cause."""
    host = urlsplit(settings.SITE_URL).hostname or "zelfsturing.local"
    return {
        "Message-ID": f"<zelfsturing.{kind}.{period}.{recipient_id}@{host}>",
        "Auto-Submitted": "auto-generated",
    }


def send_once(
    *,
    recipient: Employee,
    kind: str,
    period: str,
    build_message: Callable[[], EmailMessage],
    claim_token: str | None = None,
    last_attempt: bool = True,
    item_count: int = 0,
    connection=None,
) -> Outcome:
    """Send one e-mail of `kind` for `period` to `recipient` at most once: the shared path
    for every app's reminder e-mails (docs/decisions/0002-reminders.md).

    Claims the ReminderLog row (see `claim`), then calls `build_message()` and sends the
    message, then marks the row sent. Without a `claim_token` a fresh one is used (a caller
    that retries must pass the same token each time, e.g. its Celery task id). A transient
    mail error (an OSError that is not a 5xx answer) is raised for the caller to retry, with
    the claim kept and its lease renewed, unless `last_attempt`; then, like a permanent
    error, it is recorded on the row as failed and FAILED is returned. Any other error is
    recorded as failed and raised. Must not run inside an outer transaction."""
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
    try:
        message = build_message()
        if connection is not None:
            message.connection = connection
        message.send()
    except Exception as exc:
        if connection is not None:
            connection.close()  # the next message opens a fresh connection
        error = f"{type(exc).__name__}: {exc}"[:2000]
        retryable = isinstance(exc, OSError) and not _is_permanent(exc)
        if retryable and not last_attempt:
            # Keep the claim (the retry carries the same token) and renew its lease.
            mine.update(last_error=error, claimed_at=timezone.now())
            logger.warning(
                "Reminder %s %s to %s: will retry: %s", kind, period, recipient_id, error
            )
            raise
        mine.update(status=ReminderStatus.FAILED, last_error=error)
        logger.error("Reminder %s %s to %s failed: %s", kind, period, recipient_id, error)
        if isinstance(exc, OSError):
            return Outcome.FAILED
        raise
    if not mine.update(status=ReminderStatus.SENT, sent_at=timezone.now(), last_error=""):
        logger.error("Reminder %s %s to %s: claim lost while sending", kind, period, recipient_id)
    return Outcome.SENT


def _deliver(
    *,
    kind: str,
    on: datetime.date,
    content: DailyReminder | Digest,
    token: str,
    last_attempt: bool,
    connection=None,
) -> Outcome:
    return send_once(
        recipient=content.recipient,
        kind=kind,
        period=period_for(kind=kind, on=on),
        build_message=lambda: build_message(kind=kind, content=content, on=on),
        claim_token=token,
        last_attempt=last_attempt,
        item_count=content.item_count,
        connection=connection,
    )


def send_one(
    *,
    kind: str,
    recipient_id: int,
    on: datetime.date,
    claim_token: str,
    last_attempt: bool = True,
) -> Outcome:
    """Send one person's reminder of `kind` for `on`, unless it was sent already. What the
    per-recipient task runs. A transient mail error is raised (for the task to retry) unless
    `last_attempt`; then, like a permanent error, it is recorded on the log as failed."""
    contents = _contents(kind=kind, on=on, recipient_ids=[recipient_id])
    if not contents:
        return Outcome.NOTHING_TO_SEND
    return _deliver(
        kind=kind, on=on, content=contents[0], token=claim_token, last_attempt=last_attempt
    )


@dataclass
class RunReport:
    kind: str
    period: str
    outcomes: Counter = field(default_factory=Counter)
    lines: list[str] = field(default_factory=list)


def send_all(*, kind: str, on: datetime.date, dry_run: bool = False) -> RunReport:
    """Send every reminder of `kind` due on `on` in this process (the management command).
    A failure is recorded on the log and does not stop the others; a later run takes failed
    reminders up again. With `dry_run`, only report who would get what; nothing changes."""
    report = RunReport(kind=kind, period=period_for(kind=kind, on=on))
    contents = _contents(kind=kind, on=on)
    done = sent_recipient_ids(kind=kind, period=report.period)
    if done:
        report.outcomes[Outcome.ALREADY_SENT] = sum(c.recipient.pk in done for c in contents)
        contents = [c for c in contents if c.recipient.pk not in done]
    if dry_run:
        report.lines = [_describe(content) for content in contents]
        report.outcomes["would_send"] = len(contents)
        return report
    token = f"run-{uuid.uuid4().hex}"
    connection = get_connection()
    try:
        for content in contents:
            outcome = _deliver(
                kind=kind,
                on=on,
                content=content,
                token=token,
                last_attempt=True,
                connection=connection,
            )
            report.outcomes[outcome] += 1
            if outcome == Outcome.FAILED:
                report.lines.append(f"failed: {content.recipient} <{content.recipient.email}>")
    finally:
        connection.close()
    return report


def _describe(content: DailyReminder | Digest) -> str:
    who = f"{content.recipient} <{content.recipient.email}>"
    if isinstance(content, DailyReminder):
        titles = "; ".join(f"{goal.title} ({goal.team})" for goal in content.goals)
        return f"{who}: {len(content.goals)} goal(s): {titles}"
    parts = [
        f"{item.team}: {len(item.stale_goals)} stale goal(s), "
        f"{len(item.vulnerable_roles)} vulnerable role(s)"
        for item in content.teams
    ]
    return f"{who}: " + "; ".join(parts)

"""Progress reminders: who gets which e-mail, for the daily reminder and the weekly digest.

Two kinds, registered with the notifications app in DoelenConfig.ready() (`KINDS`):
- the daily reminder: one e-mail per person listing all their stale goals (the goals they own,
  or, for a goal without an active owner, the goals of the teams they are a member of);
- the weekly digest: one e-mail per manager, per team the stale goals and the roles the team
  is vulnerable in.

This module selects, in a fixed number of queries whatever the number of people, and says
what "once" means: once a day for the daily reminder, once an ISO week for the digest
(`period_for`). Claiming, sending once and retrying are the notifications app's
(notifications.sending, docs/decisions/0002-reminders.md). The plan tasks in doelen/tasks.py
and `manage.py send_reminders` both start here.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from doelen.models import Goal
from notifications import sending
from notifications.registry import Kind, Notification
from rollen.models import Role
from rollen.selectors import vulnerable_roles
from teams.models import Employee, Membership, Team


class ReminderKind(models.TextChoices):
    DAILY = "daily", _("daily reminder")
    DIGEST = "digest", _("weekly digest")


# A goal this many rhythms without a check-in reaches the manager's digest even when its
# owner paused reminders.
ESCALATION_RHYTHMS = 3


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
        .select_related("team", "owner", "last_check_in")  # latest value in the e-mail
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


def notifications_for(
    *, kind: str, on: datetime.date, recipient_ids: Collection[int] | None = None
) -> list[Notification]:
    """The reminders of `kind` due on `on`, as the notifications app sends them."""
    period = period_for(kind=kind, on=on)
    return [
        Notification(
            kind=str(kind),
            recipient=content.recipient,
            period=period,
            params={"on": on.isoformat()},
            content=content,
            item_count=content.item_count,
        )
        for content in _contents(kind=kind, on=on, recipient_ids=recipient_ids)
    ]


def due(*, kind: str, on: datetime.date) -> list[Notification]:
    """The reminders of `kind` for `on` still to send, leaving out those sent already: what
    the plan task enqueues one send task for. Four to six queries."""
    return sending.leave_out_sent(notifications_for(kind=kind, on=on))[0]


def recipients_to_send(*, kind: str, on: datetime.date) -> list[int]:
    """Ids of the people to send `kind` to for `on`, leaving out those already sent to."""
    return [notification.recipient.pk for notification in due(kind=kind, on=on)]


# E-mails


def goal_link(goal: Goal) -> str:
    return settings.SITE_URL + goal.get_absolute_url()


def _context(notification: Notification) -> dict[str, Any]:
    """What the templates need beyond the recipient (notifications.sending.build_message)."""
    content = notification.content
    if isinstance(content, DailyReminder):
        for goal in content.goals:
            cast(Any, goal).link = goal_link(goal)  # read by the e-mail templates
    else:
        for team_digest in content.teams:
            team_digest.link = settings.SITE_URL + team_digest.team.get_absolute_url()
            for goal in team_digest.stale_goals:
                goal.link = goal_link(goal)
    return {
        "content": content,
        "on": datetime.date.fromisoformat(notification.params["on"]),
        "settings_link": settings.SITE_URL + reverse("teams:settings"),
        # "Mijn updates": every waiting goal on one page (doelen.update_views.my_updates).
        "updates_link": settings.SITE_URL + reverse("doelen:my_updates"),
    }


def _selector(kind: str):
    def select(
        params: Mapping[str, Any], recipient_ids: Collection[int] | None
    ) -> list[Notification]:
        on = datetime.date.fromisoformat(params["on"])
        return notifications_for(kind=kind, on=on, recipient_ids=recipient_ids)

    return select


KINDS = (
    Kind(
        name=ReminderKind.DAILY,
        label=ReminderKind.DAILY.label,
        select=_selector(ReminderKind.DAILY),
        templates="emails/reminder",
        context=_context,
        html=True,
    ),
    Kind(
        name=ReminderKind.DIGEST,
        label=ReminderKind.DIGEST.label,
        select=_selector(ReminderKind.DIGEST),
        templates="emails/digest",
        context=_context,
        html=True,
    ),
)


# Sending now, in this process (the management command)


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
    todo, already = sending.leave_out_sent(notifications_for(kind=kind, on=on))
    if already:
        report.outcomes[sending.Outcome.ALREADY_SENT] = already
    if dry_run:
        report.lines = [_describe(notification.content) for notification in todo]
        report.outcomes["would_send"] = len(todo)
        return report
    sent = sending.send_all(todo)
    report.outcomes.update(sent.outcomes)
    report.lines = [f"failed: {n.recipient} <{n.recipient.email}>" for n in sent.failed]
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

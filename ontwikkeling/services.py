"""Writes of the development programme. Who may call these is decided by the caller
(teams.access); the services check the rules that hold whoever calls."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.signals import send_rows_changed
from doelen.models import MeasureType
from doelen.services import GoalData, goal_create
from notifications import outbox
from ontwikkeling.models import (
    SCORE_MAX,
    SCORE_MIN,
    Answer,
    DevelopmentGoal,
    Responsibility,
    ResponsibilityState,
    ScanResponse,
    ScanRound,
    Statement,
    TeamResponsibility,
    Theme,
)
from teams.models import Employee, Membership, Team

# A development goal runs about a quarter by default: until the next scan round.
DEVELOPMENT_GOAL_DAYS = 90
MAX_ROUND_DAYS = 92


@transaction.atomic
def open_scan_round(
    *,
    team: Team,
    opened_by: Employee,
    closes_on: datetime.date,
    opens_on: datetime.date | None = None,
) -> ScanRound:
    """Open a scan round for an active team. Periods of one team never overlap; the team row
    is locked so two people opening a round at the same moment cannot both succeed. The
    members get an invitation once the round is stored (after commit)."""
    opens_on = opens_on or timezone.localdate()
    team = Team.objects.select_for_update().get(pk=team.pk)
    if not team.is_active:
        raise ValidationError(_("This team is archived."))
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The closing date cannot be before today.")})
    if (closes_on - opens_on).days > MAX_ROUND_DAYS:
        raise ValidationError({"closes_on": _("A scan round lasts at most three months.")})
    scan_round = ScanRound(team=team, opens_on=opens_on, closes_on=closes_on, created_by=opened_by)
    scan_round.full_clean()
    scan_round.save()
    audit_record(
        actor=opened_by,
        action="scan_round.open",
        obj=scan_round,
        details={"team": team.slug, "opens_on": opens_on, "closes_on": closes_on},
    )
    # Recorded with the round and handed to Celery after commit; a broker that is down
    # then leaves it for the sweep (notifications.outbox), so the invitations are not lost.
    outbox.after_commit("ontwikkeling.tasks.send_scan_invitations_task", round_id=scan_round.pk)
    return scan_round


@transaction.atomic
def submit_scan(
    *,
    scan_round: ScanRound,
    respondent: Employee,
    scores: dict[int, int],
    on: datetime.date | None = None,
) -> ScanResponse:
    """Store (or replace) a member's answers in an open round. `scores` maps statement id
    to a score from 1 to 5 and must cover every active statement."""
    on = on or timezone.localdate()
    scan_round = ScanRound.objects.select_for_update().get(pk=scan_round.pk)
    if not scan_round.is_open(on):
        raise ValidationError(_("This scan round is closed."))
    if (
        not Membership.objects.current(on)
        .filter(team_id=scan_round.team_id, employee=respondent)
        .exists()
    ):
        raise ValidationError(_("Only members of the team fill in its scan."))
    statement_ids = set(Statement.objects.active().values_list("pk", flat=True))
    if set(scores) != statement_ids:
        raise ValidationError(_("Answer every statement."))
    if any(not SCORE_MIN <= int(score) <= SCORE_MAX for score in scores.values()):
        raise ValidationError(_("A score lies between 1 and 5."))
    response, created = ScanResponse.objects.get_or_create(round=scan_round, respondent=respondent)
    if not created:
        response.answers.all().delete()
        response.save(update_fields=["updated_at"])
    answers = Answer.objects.bulk_create(
        Answer(response=response, statement_id=statement_id, score=int(score))
        for statement_id, score in scores.items()
    )
    # bulk_create sends no post_save: tell the listeners (the dashboards) ourselves.
    send_rows_changed(Answer, [answer.pk for answer in answers])
    # No audit event here on purpose: who answered when, next to a live average, would let
    # a reader of the audit log work out a person's answers.
    return response


@transaction.atomic
def create_development_goal(
    *,
    team: Team,
    theme: Theme,
    author: Employee,
    title: str = "",
    due_date: datetime.date | None = None,
    scan_round: ScanRound | None = None,
) -> DevelopmentGoal:
    """Make a normal team goal (percentage 0–100, starting today) that works on `theme`,
    tagged as a development goal. Tracked like any other goal from then on."""
    today = timezone.localdate()
    title = title.strip() or _("Grow on %(theme)s") % {"theme": theme.name}
    is_member = Membership.objects.current(today).filter(team=team, employee=author).exists()
    goal = goal_create(
        team=team,
        actor=author,
        data=GoalData(
            title=title,
            description=_("Development goal on the theme %(theme)s, made from the team scan.")
            % {"theme": theme.name},
            start_date=today,
            due_date=due_date or today + datetime.timedelta(days=DEVELOPMENT_GOAL_DAYS),
            measure_type=MeasureType.PERCENTAGE,
            owner=author if is_member else None,
        ),
    )
    development = DevelopmentGoal.objects.create(goal=goal, theme=theme, scan_round=scan_round)
    audit_record(
        actor=author,
        action="development_goal.create",
        obj=development,
        details={"team": team.slug, "theme": theme.slug, "goal_id": goal.pk},
    )
    return development


@transaction.atomic
def change_responsibility_state(
    *,
    team: Team,
    responsibility: Responsibility,
    state: str,
    since: datetime.date,
    changed_by: Employee,
    note: str = "",
) -> TeamResponsibility:
    """Record a new state of a responsibility in a team. History is appended, never
    changed. The date cannot lie in the future nor before the current state's date."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    if not team.is_active:
        raise ValidationError(_("This team is archived."))
    if not responsibility.is_active:
        raise ValidationError(_("This responsibility is no longer in use."))
    if state not in ResponsibilityState.values:
        raise ValidationError({"state": _("Choose a state.")})
    today = timezone.localdate()
    if since > today:
        raise ValidationError({"since": _("The date cannot be in the future.")})
    current = (
        TeamResponsibility.objects.filter(team=team, responsibility=responsibility)
        .order_by("-since", "-created_at", "-pk")
        .first()
    )
    if current is not None and since < current.since:
        raise ValidationError(
            {"since": _("The date cannot be before the date of the current state.")}
        )
    if current is not None and current.state == state and not note.strip():
        raise ValidationError({"state": _("This is already the current state.")})
    row = TeamResponsibility(
        team=team,
        responsibility=responsibility,
        state=state,
        since=since,
        note=note.strip(),
        changed_by=changed_by,
    )
    row.full_clean()
    row.save()
    audit_record(
        actor=changed_by,
        action="responsibility.change",
        obj=row,
        changes={"state": [current.state if current else None, state]},
        details={"team": team.slug, "responsibility": responsibility.slug, "since": since},
    )
    return row

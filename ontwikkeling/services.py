"""Writes of the development programme. Who may call these is decided by the caller
(teams.access); the services check the rules that hold whoever calls."""

import datetime
import secrets
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.signals import send_rows_changed
from doelen.models import MeasureType
from doelen.services import GoalData, goal_create
from notifications import outbox
from ontwikkeling.keys import respondent_key
from ontwikkeling.models import (
    SCORE_MAX,
    SCORE_MIN,
    Answer,
    AnswerSet,
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
    to a score from 1 to 5 and must cover every active statement.

    Two separate records: that the member took part (ScanResponse) and an answer set with
    no link to them but the keyed hash of round and person (ontwikkeling.keys), which finds
    the set again to replace it. Every write rewrites the round's answer sets in a random
    order with new random ids, so neither ids nor row order tell who answered when
    (docs/decisions/0013-scan-privacy.md)."""
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
    key = respondent_key(round_id=scan_round.pk, employee_id=respondent.pk)
    response = ScanResponse.objects.filter(round=scan_round, respondent=respondent).first()
    has_set = AnswerSet.objects.filter(round=scan_round, respondent_key=key).exists()
    if response is not None and not has_set:
        # The key changed since (ZS_SCAN_KEY or SECRET_KEY rotated): the earlier set cannot
        # be found, and a second one would count this person twice.
        raise ValidationError(
            _("Your earlier answers in this round can no longer be changed. They still count.")
        )
    if response is None:
        response = ScanResponse.objects.create(round=scan_round, respondent=respondent)
    _rewrite_answer_sets(
        scan_round, replace={key: {int(pk): int(score) for pk, score in scores.items()}}
    )
    # No audit event here on purpose: who answered when is exactly what must not be kept.
    return response


@transaction.atomic
def submit_scans(
    *,
    scan_round: ScanRound,
    scores_by_respondent: dict[Employee, dict[int, int]],
    on: datetime.date | None = None,
) -> int:
    """submit_scan for several members who have not answered this round yet, with the same
    checks, stored the same way but with one rewrite of the round's answer sets instead of
    one per member (seed_demo at 15,000 people, bench/scale.py). Returns the number stored."""
    on = on or timezone.localdate()
    scan_round = ScanRound.objects.select_for_update().get(pk=scan_round.pk)
    if not scan_round.is_open(on):
        raise ValidationError(_("This scan round is closed."))
    members = set(
        Membership.objects.current(on)
        .filter(team_id=scan_round.team_id)
        .values_list("employee_id", flat=True)
    )
    statement_ids = set(Statement.objects.active().values_list("pk", flat=True))
    replace = {}
    for respondent, scores in scores_by_respondent.items():
        if respondent.pk not in members:
            raise ValidationError(_("Only members of the team fill in its scan."))
        if set(scores) != statement_ids:
            raise ValidationError(_("Answer every statement."))
        if any(not SCORE_MIN <= int(score) <= SCORE_MAX for score in scores.values()):
            raise ValidationError(_("A score lies between 1 and 5."))
        key = respondent_key(round_id=scan_round.pk, employee_id=respondent.pk)
        replace[key] = {int(pk): int(score) for pk, score in scores.items()}
    if ScanResponse.objects.filter(
        round=scan_round, respondent__in=members & {r.pk for r in scores_by_respondent}
    ).exists():
        raise ValueError("submit_scans is for members who have not answered yet")
    responses = ScanResponse.objects.bulk_create(
        ScanResponse(round=scan_round, respondent=respondent) for respondent in scores_by_respondent
    )
    send_rows_changed(ScanResponse, [response.pk for response in responses])
    _rewrite_answer_sets(scan_round, replace=replace)
    return len(responses)


def _rewrite_answer_sets(
    scan_round: ScanRound,
    *,
    replace: dict[str, dict[int, int]] | None = None,
    clear_keys: bool = False,
) -> None:
    """Rewrite all answer sets of the round (the caller holds its row lock): the set with
    a key in `replace` gets its scores there (added if new), and with `clear_keys` no
    set keeps its key. All sets get new random ids and are inserted in a random order, so the
    table's order (ids, PostgreSQL's ctid, SQLite's rowid) says nothing about who answered
    first. Small: a team has tens of members, a set about twenty answers."""
    by_set: dict[object, dict[int, int]] = defaultdict(dict)
    for set_id, statement_id, score in Answer.objects.filter(
        answer_set__round=scan_round
    ).values_list("answer_set_id", "statement_id", "score"):
        by_set[set_id][statement_id] = score
    sets: dict[str, dict[int, int]] = {}
    anonymous: list[dict[int, int]] = []
    for set_id, key in AnswerSet.objects.filter(round=scan_round).values_list(
        "pk", "respondent_key"
    ):
        if key is None:
            anonymous.append(by_set[set_id])
        else:
            sets[key] = by_set[set_id]
    sets.update(replace or {})
    rows: list[tuple[str | None, dict[int, int]]] = [(None, scores) for scores in anonymous]
    rows += [(None if clear_keys else key, scores) for key, scores in sets.items()]
    secrets.SystemRandom().shuffle(rows)
    # Two plain DELETE statements (answers, then their sets): Django's delete() would fetch
    # every row and send a delete signal per row, and the dashboards' freshness asks each
    # row's team: a query per answer, quadratic in a team's size over a round. The team is
    # the round's; the rows_changed for the new sets below tells the dashboards.
    for old in (Answer.objects.filter(answer_set__round=scan_round), scan_round.answer_sets.all()):
        old._raw_delete(old.db)
    answer_sets = AnswerSet.objects.bulk_create(
        AnswerSet(round=scan_round, respondent_key=key) for key, _scores in rows
    )
    Answer.objects.bulk_create(
        Answer(answer_set=answer_set, statement_id=statement_id, score=score)
        for answer_set, (_key, scores) in zip(answer_sets, rows, strict=True)
        for statement_id, score in scores.items()
    )
    # bulk_create sends no post_save: tell the listeners (the dashboards) ourselves.
    send_rows_changed(AnswerSet, [answer_set.pk for answer_set in answer_sets])


@transaction.atomic
def close_scan_round(
    *, scan_round: ScanRound, closed_by: Employee | None, on: datetime.date | None = None
) -> ScanRound:
    """Close a round: early by the team (`closed_by`), or after its closing date by the daily
    task (`closed_by` None). From then on its results may be published, nobody can answer or
    change answers, and the answer sets lose their respondent keys, so that not even someone
    holding ZS_SCAN_KEY can link an answer set to a person any more. Closing twice changes
    nothing."""
    on = on or timezone.localdate()
    scan_round = ScanRound.objects.select_for_update().get(pk=scan_round.pk)
    if scan_round.closed_at is not None:
        return scan_round
    if scan_round.opens_on > on:
        raise ValidationError(_("This scan round has not opened yet."))
    early = scan_round.closes_on >= on
    if early:
        scan_round.closes_on = on  # the last day to answer; the team can start a new round
    scan_round.closed_at = timezone.now()
    scan_round.save(update_fields=["closes_on", "closed_at"])
    _rewrite_answer_sets(scan_round, clear_keys=True)
    audit_record(
        actor=closed_by,
        action="scan_round.close",
        obj=scan_round,
        details={"team": scan_round.team.slug, "early": early},
    )
    return scan_round


def close_due_scan_rounds(*, on: datetime.date | None = None) -> int:
    """Close every round whose closing date has passed (the daily task and the command).
    Each round in its own transaction. Returns how many were closed."""
    on = on or timezone.localdate()
    due = ScanRound.objects.filter(closed_at__isnull=True, closes_on__lt=on).order_by("pk")
    closed = 0
    for scan_round in due:
        close_scan_round(scan_round=scan_round, closed_by=None, on=on)
        closed += 1
    return closed


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

"""Writes about team goals and their progress. Every write records an audit event in the
same transaction. Who may call these is decided by the caller (teams.access)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import audit_record, diff
from common.signals import send_rows_changed
from doelen.measure import PERCENTAGE_MAX, PERCENTAGE_MIN, normalise_measure
from doelen.models import (
    CheckIn,
    Confidence,
    Goal,
    GoalPhase,
    GoalStatus,
    MeasureType,
    OrganisationObjective,
)
from rollen.models import Role
from teams.models import Employee, Membership, Team

EDITABLE_FIELDS = (
    "title",
    "description",
    "measure_type",
    "unit",
    "start_value",
    "target_value",
    "start_date",
    "due_date",
    "owner",
)
M2M_FIELDS = ("objectives", "driving_roles")

# Which status a goal may move to from which status. Nothing is ever deleted; reopening an
# archived goal is done by carrying it over.
STATUS_CHANGES = {
    GoalStatus.ACTIVE: {GoalStatus.ACHIEVED, GoalStatus.STOPPED, GoalStatus.ARCHIVED},
    GoalStatus.ACHIEVED: {GoalStatus.ARCHIVED},
    GoalStatus.STOPPED: {GoalStatus.ARCHIVED},
    GoalStatus.ARCHIVED: set(),
}
REASON_MAX_LENGTH = 500
CENTS = Decimal("0.01")


@dataclass
class GoalData:
    """What a person fills in for a goal."""

    title: str
    start_date: datetime.date
    due_date: datetime.date
    measure_type: str = MeasureType.PERCENTAGE
    description: str = ""
    unit: str = ""
    start_value: Decimal = PERCENTAGE_MIN
    target_value: Decimal = PERCENTAGE_MAX
    owner: Employee | None = None
    objectives: list[OrganisationObjective] = field(default_factory=list)
    driving_roles: list[Role] = field(default_factory=list)


class GoalChangedMeanwhile(Exception):
    """Someone else saved the goal after the form was opened at `opened_version`."""

    def __init__(self, *, goal: Goal, changed_fields: list[str], changed_by: list[str]):
        super().__init__("goal changed since the form was opened")
        self.goal = goal
        self.changed_fields = changed_fields
        self.changed_by = changed_by


def _snapshot(goal: Goal) -> dict:
    values = {name: getattr(goal, name) for name in EDITABLE_FIELDS}
    for name in ("start_value", "target_value"):  # 20 and 20.00 are the same value
        if values[name] is not None:
            values[name] = Decimal(values[name]).quantize(CENTS)
    for name in M2M_FIELDS:
        values[name] = sorted(getattr(goal, name).all(), key=lambda obj: obj.pk)
    return values


def _apply(goal: Goal, data: GoalData) -> None:
    goal.title = data.title.strip()
    goal.description = data.description.strip()
    goal.measure_type = data.measure_type
    goal.unit = data.unit.strip()
    goal.start_value = data.start_value
    goal.target_value = data.target_value
    goal.start_date = data.start_date
    goal.due_date = data.due_date
    goal.owner = data.owner


def _check_owner(goal: Goal, owner: Employee | None, *, keep: Employee | None = None) -> None:
    if owner is None or owner == keep:
        return
    is_member = Membership.objects.current().filter(team_id=goal.team_id, employee=owner).exists()
    if not is_member:
        raise ValidationError({"owner": _("The owner must be a member of the team.")})


@transaction.atomic
def goal_create(*, team: Team, actor: Employee, data: GoalData) -> Goal:
    """Add a goal to an active team."""
    if not team.is_active:
        raise ValidationError(_("This team is archived; its goals can no longer change."))
    goal = Goal(team=team, created_by=actor)
    _apply(goal, data)
    _check_owner(goal, data.owner)
    goal.full_clean()
    goal.save()
    goal.objectives.set(data.objectives)
    goal.driving_roles.set(data.driving_roles)
    audit_record(
        actor=actor,
        action="goal.create",
        obj=goal,
        changes=diff({}, _snapshot(goal)),
        details={"team": team.slug, "version": goal.version},
    )
    return goal


def _changes_since(goal: Goal, version: int) -> tuple[list[str], list[str]]:
    """Fields changed and names of the people who changed them after `version`."""
    events = AuditEvent.objects.filter(
        object_type=goal._meta.label_lower,
        object_id=str(goal.pk),
        details__version__gt=version,
    ).select_related("actor")
    fields: list[str] = []
    people: list[str] = []
    for event in events.order_by("at", "pk"):
        for name in event.changes:
            if name not in fields:
                fields.append(name)
        who = str(event.actor) if event.actor else ""
        if who and who not in people:
            people.append(who)
    return fields, people


@transaction.atomic
def goal_update(*, goal: Goal, actor: Employee, version: int, data: GoalData) -> Goal:
    """Change a goal that the form showed at `version`. If someone saved it in between,
    raise GoalChangedMeanwhile instead of overwriting their change."""
    goal = Goal.objects.select_for_update().select_related("team").get(pk=goal.pk)
    if goal.version != version:
        fields, people = _changes_since(goal, version)
        raise GoalChangedMeanwhile(goal=goal, changed_fields=fields, changed_by=people)
    if not goal.team.is_active:
        raise ValidationError(_("This team is archived; its goals can no longer change."))
    if goal.status != GoalStatus.ACTIVE:
        raise ValidationError(_("Only an active goal can be changed."))
    if data.measure_type != goal.measure_type and goal.check_ins.exists():
        raise ValidationError(
            {
                "measure_type": _(
                    "This goal already has progress updates, so how it is measured "
                    "cannot change. Carry it over to a new goal instead."
                )
            }
        )
    before = _snapshot(goal)
    _check_owner(goal, data.owner, keep=goal.owner)
    _apply(goal, data)
    goal.full_clean()
    goal.version += 1
    goal.save()
    goal.objectives.set(data.objectives)
    goal.driving_roles.set(data.driving_roles)
    changes = diff(before, _snapshot(goal))
    audit_record(
        actor=actor,
        action="goal.update",
        obj=goal,
        changes=changes,
        details={"version": goal.version},
    )
    return goal


@transaction.atomic
def goal_set_status(*, goal: Goal, actor: Employee, status: str, reason: str) -> Goal:
    """Finish (achieved), stop or archive a goal, with a reason. Nothing is deleted."""
    goal = Goal.objects.select_for_update().select_related("team").get(pk=goal.pk)
    reason = reason.strip()
    if not goal.team.is_active:
        raise ValidationError(_("This team is archived; its goals can no longer change."))
    if status not in STATUS_CHANGES.get(cast(GoalStatus, goal.status), set()):
        raise ValidationError(
            {"status": _("A goal cannot go from this status to the one you chose.")}
        )
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
    _change_status(goal, status=status, reason=reason, actor=actor)
    return goal


def _change_status(goal: Goal, *, status: str, reason: str, actor: Employee, **details) -> None:
    """Set a locked goal's status and reason, raise its version and audit the change (the
    rules are the caller's)."""
    before = {"status": goal.status, "status_reason": goal.status_reason}
    goal.status, goal.status_reason = status, reason
    goal.version += 1
    goal.save(update_fields=["status", "status_reason", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="goal.status",
        obj=goal,
        changes=diff(before, {"status": goal.status, "status_reason": goal.status_reason}),
        details={"version": goal.version, **details},
    )


@transaction.atomic
def goal_carry_over(
    *,
    goal: Goal,
    actor: Employee,
    start_date: datetime.date,
    due_date: datetime.date,
    target_value: Decimal | None = None,
) -> Goal:
    """Copy a goal into a new period, starting from its latest value. An active original is
    archived (its period is closed); an achieved or stopped one keeps its status. A goal is
    carried over once."""
    goal = Goal.objects.select_for_update().select_related("team").get(pk=goal.pk)
    if not goal.team.is_active:
        raise ValidationError(_("This team is archived; its goals can no longer change."))
    if goal.carried_over_to.exists():
        raise ValidationError(_("This goal has already been carried over to a new period."))
    latest = goal.check_ins.order_by("-created_at", "-pk").first()
    measure = normalise_measure(
        goal.measure_type,
        unit=goal.unit,
        start_value=latest.value if latest else goal.start_value,
        target_value=goal.target_value if target_value is None else target_value,
    )
    start_value, target_value = measure.start_value, measure.target_value
    if start_value is None or target_value is None:  # from the goal and its check-in: never None
        raise ValueError("a carried-over goal needs a start and a target value")
    owner = goal.owner
    if owner and not Membership.objects.current().filter(team=goal.team, employee=owner).exists():
        owner = None
    new = Goal(
        team=goal.team,
        title=goal.title,
        description=goal.description,
        measure_type=goal.measure_type,
        unit=goal.unit,
        start_value=start_value,
        target_value=target_value,
        start_date=start_date,
        due_date=due_date,
        owner=owner,
        carried_over_from=goal,
        created_by=actor,
    )
    try:
        new.full_clean()
    except ValidationError as error:
        if "target_value" in error.message_dict and start_value == target_value:
            raise ValidationError(
                {
                    "target_value": _(
                        "The latest value already reaches this target. Choose a new target."
                    )
                }
            ) from None
        raise
    new.save()
    new.objectives.set(goal.objectives.all())
    new.driving_roles.set(goal.driving_roles.all())
    audit_record(
        actor=actor,
        action="goal.carry_over",
        obj=new,
        changes=diff({}, _snapshot(new)),
        details={"from_goal": goal.pk, "version": new.version},
    )
    if goal.status == GoalStatus.ACTIVE:
        _change_status(
            goal,
            status=GoalStatus.ARCHIVED,
            reason=_("Carried over to a new period."),
            actor=actor,
            carried_over_to=new.pk,
        )
    return new


def not_started_message(goal: Goal) -> str:
    """Why a planned goal takes no progress update yet."""
    return _("This goal starts on %(date)s. You can record progress from that day on.") % {
        "date": date_format(goal.start_date)
    }


@transaction.atomic
def goal_check_in(
    *,
    goal: Goal,
    author: Employee,
    value: Decimal,
    confidence: str = Confidence.ON_TRACK,
    comment: str = "",
) -> CheckIn:
    """Record progress on an active goal. Check-ins are appended, never changed."""
    goal = Goal.objects.select_for_update().select_related("team").get(pk=goal.pk)
    if goal.status != GoalStatus.ACTIVE or not goal.team.is_active:
        raise ValidationError(_("Progress can only be recorded on an active goal."))
    if goal.phase() == GoalPhase.PLANNED:
        raise ValidationError(not_started_message(goal))
    if not goal.value_in_range(value):
        raise ValidationError({"value": _("This value does not fit how the goal is measured.")})
    check_in = CheckIn(
        goal=goal, author=author, value=value, confidence=confidence, comment=comment.strip()
    )
    check_in.full_clean()
    check_in.save()
    _keep_last_check_in(goal, check_in)
    audit_record(
        actor=author,
        action="goal.check_in",
        obj=goal,
        details={
            "check_in": check_in.pk,
            "value": check_in.value,
            "confidence": check_in.confidence,
        },
    )
    return check_in


def _keep_last_check_in(goal: Goal, check_in: CheckIn) -> None:
    """Point the goal (locked by the caller) at `check_in` if it is the latest by
    (created_at, id), the order of `CheckIn.Meta.get_latest_by`."""
    current = goal.last_check_in
    if current is None or (current.created_at, current.pk) < (check_in.created_at, check_in.pk):
        goal.last_check_in = check_in
        goal.save(update_fields=["last_check_in"])


def goals_recompute_last_check_in(goal_ids=None) -> int:
    """Point each goal (those with `goal_ids`; None: every goal) at its latest check-in by
    (created_at, id), None without any. For writes that bypass `goal_check_in`: bulk
    loaders (seed_demo, bench), check-ins deleted in the admin or a shell. One UPDATE;
    tells the listeners (`common.signals.rows_changed`: the dashboards) which goals changed.
    Returns the number of goals updated."""
    latest = CheckIn.objects.filter(goal=OuterRef("pk")).order_by("-created_at", "-pk")
    goals = Goal.objects.all() if goal_ids is None else Goal.objects.filter(pk__in=goal_ids)
    with transaction.atomic():
        count = goals.update(last_check_in=Subquery(latest.values("pk")[:1]))
        send_rows_changed(Goal, None if goal_ids is None else goal_ids)
    return count


# Contributions (bijdragen): written in doelen.contributions, this module stays the door.
from doelen.contributions import contribution_add, contribution_end  # noqa: E402, F401

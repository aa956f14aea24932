"""Who contributes to a team's goals besides their owners (bijdragen): the writes (audited)
and the reads that feed the goal page, the team page and the team dashboard."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from doelen.models import Goal, GoalContribution, GoalStatus
from teams.models import Employee, Membership, Team

DESCRIPTION_MAX_LENGTH = 200


# Writes


@transaction.atomic
def contribution_add(
    *, goal: Goal, member: Employee, description: str, actor: Employee
) -> GoalContribution:
    """Record that `member` (a current member of the goal's team) contributes to an active
    goal. The owner needs no contribution: owning is carrying."""
    goal = Goal.objects.select_for_update().select_related("team").get(pk=goal.pk)
    description = description.strip()
    if goal.status != GoalStatus.ACTIVE or not goal.team.is_active:
        raise ValidationError(_("Contributions can only be added to an active goal."))
    if not description:
        raise ValidationError({"description": _("Describe the contribution in a few words.")})
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise ValidationError({"description": _("Keep this under 200 characters.")})
    if not Membership.objects.current().filter(team_id=goal.team_id, employee=member).exists():
        raise ValidationError({"member": _("Only a member of the team can contribute.")})
    if goal.owner_id == member.pk:
        raise ValidationError({"member": _("This member owns the goal already.")})
    today = timezone.localdate()
    try:
        with transaction.atomic():
            contribution = GoalContribution.objects.create(
                goal=goal, member=member, description=description, since=today, added_by=actor
            )
    except IntegrityError:
        raise ValidationError(
            {"member": _("This member already contributes to this goal.")}
        ) from None
    audit_record(
        actor=actor,
        action="goal.contribution_add",
        obj=goal,
        details={"contribution": contribution.pk, "member": member.pk},
    )
    return contribution


@transaction.atomic
def contribution_end(*, contribution: GoalContribution, actor: Employee) -> GoalContribution:
    """End a contribution today (it stays in the goal's history)."""
    contribution = GoalContribution.objects.select_for_update().get(pk=contribution.pk)
    if contribution.until is not None:
        raise ValidationError(_("This contribution has already ended."))
    today = timezone.localdate()
    contribution.until = max(today, contribution.since)
    contribution.ended_by = actor
    contribution.save(update_fields=["until", "ended_by"])
    audit_record(
        actor=actor,
        action="goal.contribution_end",
        obj=contribution.goal,
        details={"contribution": contribution.pk, "member": contribution.member_id},
    )
    return contribution


# Reads


def goal_contributions(*, goal: Goal) -> list[GoalContribution]:
    """The goal's current contributions, then the ended ones. One query."""
    return list(
        GoalContribution.objects.filter(goal=goal)
        .select_related("member")
        .order_by(F("until").desc(nulls_first=True), "since", "pk")
    )


@dataclass
class MemberShare:
    """What one current member carries of the team's active goals."""

    member: Employee
    owned: list[Goal] = field(default_factory=list)
    contributes: list[tuple[Goal, str]] = field(default_factory=list)  # (goal, description)

    @property
    def carried(self) -> int:
        """Active goals they own or contribute to."""
        return len({g.pk for g in self.owned} | {g.pk for g, _d in self.contributes})


def member_shares(*, team: Team, on: datetime.date | None = None) -> list[MemberShare]:
    """Per current member (by name) the team's active goals they own and contribute to.
    Three queries."""
    on = on or timezone.localdate()
    members = [
        m.employee
        for m in Membership.objects.current(on)
        .filter(team=team, employee__is_active=True)
        .select_related("employee")
        .order_by("employee__name", "employee_id")
    ]
    shares = {person.pk: MemberShare(member=person) for person in members}
    goals = list(Goal.objects.active().filter(team=team).only("pk", "title", "owner_id", "team_id"))
    for goal in goals:
        if goal.owner_id in shares:
            shares[goal.owner_id].owned.append(goal)
    by_goal = {goal.pk: goal for goal in goals}
    contributions = GoalContribution.objects.filter(
        goal_id__in=list(by_goal), until__isnull=True
    ).order_by("since", "pk")
    for goal_id, member_id, description in contributions.values_list(
        "goal_id", "member_id", "description"
    ):
        if member_id in shares:
            shares[member_id].contributes.append((by_goal[goal_id], description))
    return list(shares.values())


@dataclass(frozen=True)
class CarryFigures:
    """How the team's active goals are carried: plain values, cached with the dashboards'
    figures. `carried` holds (member name, goals carried) per current member."""

    active_goals: int = 0
    carried: tuple[tuple[str, int], ...] = ()


def carry_figures(*, team_ids: list[int], on: datetime.date) -> dict[int, CarryFigures]:
    """{team_id: figures}: per current active member the number of active goals they own or
    contribute to (currently). Three queries, whatever the number of teams."""
    goals = list(
        Goal.objects.active().filter(team_id__in=team_ids).values_list("pk", "team_id", "owner_id")
    )
    carriers: dict[int, set[int]] = defaultdict(set)  # goal -> people
    team_of = {}
    for pk, team_id, owner_id in goals:
        team_of[pk] = team_id
        if owner_id:
            carriers[pk].add(owner_id)
    # The goals as a subquery: an IN list of every active goal costs more to build than the
    # query takes (issue 21).
    active_goals = Goal.objects.active().filter(team_id__in=team_ids).values("pk")
    for goal_id, member_id in GoalContribution.objects.filter(
        goal_id__in=active_goals, until__isnull=True
    ).values_list("goal_id", "member_id"):
        carriers[goal_id].add(member_id)
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for team_id, person_id, name in (
        Membership.objects.current(on)
        .filter(team_id__in=team_ids, employee__is_active=True)
        .order_by("employee__name", "employee_id")
        .values_list("team_id", "employee_id", "employee__name")
    ):
        members[team_id].append((person_id, name))
    # Per team, how many of its active goals each person carries: one pass over the goals
    # (a pass per team was quadratic, a second at 1,000 teams; issue 21).
    goal_count: Counter[int] = Counter()
    carried: dict[int, Counter[int]] = defaultdict(Counter)
    for pk, team_id, _owner_id in goals:
        goal_count[team_id] += 1
        carried[team_id].update(carriers[pk])
    result = {}
    for team_id in team_ids:
        result[team_id] = CarryFigures(
            active_goals=goal_count[team_id],
            carried=tuple(
                (name, carried[team_id][person_id])
                for person_id, name in dict.fromkeys(members[team_id])
            ),
        )
    return result

"""Reads of personal development (issue #20). Who reads what is decided here, once:
the owner reads all of their own; a manager reads what is shared with "my manager" or "my
team" by current members of the active teams they manage; a colleague reads what is shared
with "my team" by someone in a current team of theirs. Nobody else, whatever their group
(HR, management, administrator). Dashboards get counts only (`team_intention_counts`)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ontwikkeling.personal.models import DevelopmentIntention, IntentionStatus, Sharing
from rollen.models import Role, RoleAssignment
from teams.models import Employee, Membership, Team


@dataclass
class RoleSection:
    role: Role
    held_in: list[Team]  # the teams where the employee holds the role today (empty: ended)
    current: list[DevelopmentIntention] = field(default_factory=list)
    closed: list[DevelopmentIntention] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return bool(self.held_in)


@dataclass
class SharedPerson:
    employee: Employee
    intentions: list[DevelopmentIntention]


def _with_notes(intentions: QuerySet) -> QuerySet:
    return intentions.select_related("role").prefetch_related("notes")


def my_development(*, employee: Employee, on: datetime.date | None = None) -> list[RoleSection]:
    """The employee's roles held today (each can get a new intention) and the roles they
    have intentions in; intentions in a role they no longer hold stay, in a section marked
    as ended. Three queries, whatever the number of roles, intentions and notes."""
    on = on or timezone.localdate()
    sections: dict[int, RoleSection] = {}
    assignments = (
        RoleAssignment.objects.current(on)
        .filter(employee=employee)
        .select_related("role", "team")
        .order_by("role__order", "team__name")
    )
    for assignment in assignments:
        section = sections.setdefault(assignment.role_id, RoleSection(assignment.role, []))
        section.held_in.append(assignment.team)
    ended: dict[int, RoleSection] = {}
    for intention in _with_notes(DevelopmentIntention.objects.filter(employee=employee)):
        section = sections.get(intention.role_id) or ended.setdefault(
            intention.role_id, RoleSection(intention.role, [])
        )
        intention.role_ended = not section.held
        (section.current if intention.is_current else section.closed).append(intention)
    return list(sections.values()) + sorted(ended.values(), key=lambda s: s.role.order)


def current_roles(*, employee: Employee, on: datetime.date | None = None) -> QuerySet[Role]:
    """The roles the employee holds today: the only ones that can get a new intention."""
    held = RoleAssignment.objects.current(on).filter(employee=employee).values("role_id")
    return Role.objects.filter(pk__in=held).order_by("order")


def own_intention(*, employee: Employee, pk: int) -> DevelopmentIntention:
    """The employee's own intention, or 404 (also for someone else's: no hint it exists)."""
    try:
        return DevelopmentIntention.objects.select_related("role").get(pk=pk, employee=employee)
    except DevelopmentIntention.DoesNotExist:
        raise Http404 from None


def audiences(*, employee: Employee, on: datetime.date | None = None) -> dict:
    """Who would read a shared intention today: the employee's current active teams and
    their managers (for the owner's page, so sharing is an informed choice)."""
    teams = list(
        Team.objects.active()
        .filter(pk__in=Membership.objects.current(on).filter(employee=employee).values("team_id"))
        .prefetch_related("managers")
        .order_by("name")
    )
    managers = sorted(
        {m for team in teams for m in team.managers.all() if m.is_active and m != employee},
        key=lambda m: m.get_full_name(),
    )
    return {"teams": teams, "managers": managers}


def _current_members(on: datetime.date) -> QuerySet:
    return Membership.objects.current(on).filter(employee__is_active=True, team__is_active=True)


def shared_with(*, viewer: Employee, on: datetime.date | None = None) -> list[SharedPerson]:
    """What others shared with `viewer`, per person: intentions shared with "my manager" or
    "my team" by members of teams the viewer manages, and those shared with "my team" by
    the viewer's colleagues. Archived intentions are not shown. Two queries."""
    on = on or timezone.localdate()
    members = _current_members(on)
    managed = members.filter(team__managers=viewer).values("employee_id")
    viewer_teams = members.filter(employee=viewer).values("team_id")
    colleagues = members.filter(team_id__in=viewer_teams).values("employee_id")
    intentions = (
        _with_notes(DevelopmentIntention.objects.exclude(status=IntentionStatus.ARCHIVED))
        .exclude(employee=viewer)
        .filter(
            Q(sharing__in=[Sharing.MANAGERS, Sharing.TEAM], employee_id__in=managed)
            | Q(sharing=Sharing.TEAM, employee_id__in=colleagues)
        )
        .select_related("employee")
        .order_by("employee__name", "employee_id", "role__order", "-created_at", "-pk")
    )
    people: list[SharedPerson] = []
    for intention in intentions:
        if not people or people[-1].employee.pk != intention.employee_id:
            people.append(SharedPerson(intention.employee, []))
        people[-1].intentions.append(intention)
    return people


def team_intention_counts(*, team_ids: list[int], on: datetime.date | None = None) -> list[Team]:
    """For the manager's dashboard: per active team, its current members (`member_count`)
    and how many of them have at least one current intention (`with_intention`), whether
    shared or not. Counts only, never content. One query."""
    on = on or timezone.localdate()
    current = (
        Q(memberships__since__lte=on)
        & (Q(memberships__until__isnull=True) | Q(memberships__until__gte=on))
        & Q(memberships__employee__is_active=True)
    )
    return list(
        Team.objects.active()
        .filter(pk__in=team_ids)
        .annotate(
            member_count=Count("memberships__employee", filter=current, distinct=True),
            with_intention=Count(
                "memberships__employee",
                filter=current
                & Q(memberships__employee__development_intentions__status=IntentionStatus.CURRENT),
                distinct=True,
            ),
        )
        .order_by("name")
    )


def personal_data_rows(*, employee: Employee) -> list[dict]:
    """The employee's intentions with their notes, for the personal-data page and download
    (portal.privacy). Plain values."""
    rows = []
    for intention in _with_notes(DevelopmentIntention.objects.filter(employee=employee)):
        rows.append(
            {
                "role": intention.role.name,
                "aim": intention.aim,
                "approach": intention.approach,
                "target_date": intention.target_date,
                "shared_with": intention.get_sharing_display(),
                "status": intention.get_status_display(),
                "created_at": intention.created_at,
                "closed_at": intention.closed_at,
                "notes": [
                    {"at": note.created_at, "text": note.text} for note in intention.notes.all()
                ],
            }
        )
    return rows

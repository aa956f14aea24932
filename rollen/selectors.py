"""Reads about roles that feed pages."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from audit.models import AuditEvent
from rollen.models import PersonHRDetails, Role, RoleAssignment, held_by_active_person
from teams.models import Employee, Membership, Team
from teams.selectors import current_memberships, serving


@dataclass
class MemberRoles:
    employee: Employee
    member_since: datetime.date
    assignments: list[RoleAssignment] = field(default_factory=list)

    @property
    def roles(self) -> list[Role]:
        return [assignment.role for assignment in self.assignments]


def team_members_with_roles(*, team: Team, on: datetime.date | None = None) -> list[MemberRoles]:
    """The team's members on `on` with the roles each holds then. Two queries. People who
    left (inactive) are not members any more, even with a membership still open."""
    on = on or timezone.localdate()
    members = {
        m.employee_id: MemberRoles(employee=m.employee, member_since=m.since)
        for m in current_memberships(team=team, on=on).filter(held_by_active_person())
    }
    assignments = (
        RoleAssignment.objects.current(on)
        .filter(team=team, employee_id__in=members.keys())
        .select_related("role")
        .order_by("role__order")
    )
    for assignment in assignments:
        members[assignment.employee_id].assignments.append(assignment)
    return list(members.values())


def role_holder_counts(
    *, team_ids: list[int], on: datetime.date | None = None
) -> dict[int, dict[int, int]]:
    """{team_id: {role_id: number of holders on `on`}} for the given teams. One query;
    roles without holders are absent from the inner dict."""
    on = on or timezone.localdate()
    counts: dict[int, dict[int, int]] = {team_id: {} for team_id in team_ids}
    rows = (
        RoleAssignment.objects.current(on)
        .filter(team_id__in=team_ids)
        .values_list("team_id", "role_id")
        .annotate(holders=Count("employee_id", distinct=True))
    )
    for team_id, role_id, holders in rows:
        counts[team_id][role_id] = holders
    return counts


def vulnerable_roles(
    *, team_ids: list[int], on: datetime.date | None = None
) -> dict[int, list[tuple[Role, int]]]:
    """{team_id: [(role, holders), ...]} for the roles that have fewer holders than
    settings.ZS_MIN_ROLE_HOLDERS in each team: there the team is vulnerable (kwetsbaar)."""
    roles = list(Role.objects.order_by("order"))
    return {
        team_id: vulnerable_in(holders, roles)
        for team_id, holders in role_holder_counts(team_ids=team_ids, on=on).items()
    }


def vulnerable_in(holders: dict[int, int], roles: list[Role]) -> list[tuple[Role, int]]:
    """[(role, holders), ...] for the roles with fewer holders than
    settings.ZS_MIN_ROLE_HOLDERS, given {role_id: holders} of one team (`role_holder_counts`)."""
    minimum = settings.ZS_MIN_ROLE_HOLDERS
    return [(role, holders.get(role.pk, 0)) for role in roles if holders.get(role.pk, 0) < minimum]


@dataclass(frozen=True)
class TeamRole:
    """A role as the team page shows it: its description, how many hold it in the team, and
    whether that is too few (the dashboard's rule, `vulnerable_in`)."""

    role: Role
    holders: int
    too_few: bool


def team_roles(*, team: Team, on: datetime.date | None = None) -> list[TeamRole]:
    """Every role, in order, with its holders in `team` on `on`. Two queries."""
    roles = list(Role.objects.order_by("order"))
    holders = role_holder_counts(team_ids=[team.pk], on=on)[team.pk]
    short = {role.pk for role, _count in vulnerable_in(holders, roles)}
    return [TeamRole(role, holders.get(role.pk, 0), role.pk in short) for role in roles]


# HR overviews (P&O): the role matrix, the per-person list and the comparison between two
# dates. Every function takes the same filters and runs a fixed number of queries, whatever
# the number of teams or people. The *_rows querysets feed the streaming exports.


@dataclass(frozen=True)
class OverviewFilters:
    """What HR narrowed an overview down to. Empty strings mean "all"."""

    team: str = ""  # team slug
    role: str = ""  # role slug
    municipality: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"team": self.team, "role": self.role, "municipality": self.municipality}


@dataclass
class MatrixRow:
    team: Team
    holders_per_role: list[list[Employee]]  # in the order of the matrix's roles


@dataclass
class RoleMatrix:
    on: datetime.date
    roles: list[Role]
    rows: list[MatrixRow]


def overview_roles(*, filters: OverviewFilters) -> list[Role]:
    roles = Role.objects.order_by("order")
    if filters.role:
        roles = roles.filter(slug=filters.role)
    return list(roles)


def _filter_teams(queryset, filters: OverviewFilters, prefix: str = ""):
    if filters.team:
        queryset = queryset.filter(**{f"{prefix}slug": filters.team})
    # A team that serves both municipalities serves each of them too.
    return queryset.filter(serving(filters.municipality, prefix))


def _filter_assignments(queryset, filters: OverviewFilters):
    queryset = _filter_teams(queryset, filters, prefix="team__")
    if filters.role:
        queryset = queryset.filter(role__slug=filters.role)
    return queryset


def matrix_teams(*, filters: OverviewFilters):
    """The teams a matrix shows: active teams and teams archived later still appear when
    they had holders, so all teams matching the filters, by name."""
    return _filter_teams(Team.objects.all(), filters).order_by("name", "pk")


def matrix_holders_prefetch(*, on: datetime.date, filters: OverviewFilters) -> Prefetch:
    assignments = _filter_assignments(RoleAssignment.objects.current(on), filters)
    return Prefetch(
        "role_assignments",
        queryset=assignments.select_related("employee").order_by("employee__name", "pk"),
        to_attr="holders_on_date",
    )


def matrix_row(team: Team, roles: list[Role]) -> MatrixRow:
    """A team fetched with matrix_holders_prefetch, as one matrix row."""
    holders: dict[int, list[Employee]] = {role.pk: [] for role in roles}
    for assignment in team.holders_on_date:  # type: ignore[attr-defined]  # Prefetch to_attr
        holders.setdefault(assignment.role_id, []).append(assignment.employee)
    return MatrixRow(team=team, holders_per_role=[holders[role.pk] for role in roles])


def role_matrix(*, on: datetime.date, filters: OverviewFilters) -> RoleMatrix:
    """Teams × roles with the holders' names on `on`. Three queries."""
    roles = overview_roles(filters=filters)
    teams = matrix_teams(filters=filters).prefetch_related(
        matrix_holders_prefetch(on=on, filters=filters)
    )
    return RoleMatrix(on=on, roles=roles, rows=[matrix_row(team, roles) for team in teams])


def people_memberships_base(*, on: datetime.date, filters: OverviewFilters):
    """Memberships on `on` (one per person and team), by name, filtered; with a role filter
    only those in which the person holds that role then."""
    memberships = _filter_teams(
        Membership.objects.current(on).filter(held_by_active_person()), filters, prefix="team__"
    ).order_by("employee__name", "employee_id", "team__name", "pk")
    if filters.role:
        memberships = memberships.filter(
            Exists(
                RoleAssignment.objects.current(on).filter(
                    employee=OuterRef("employee"), team=OuterRef("team"), role__slug=filters.role
                )
            )
        )
    return memberships


def people_assignments(*, on: datetime.date, filters: OverviewFilters):
    """The assignments held on `on` that the person list shows (all, or the filtered role)."""
    assignments = RoleAssignment.objects.current(on).order_by("role__order", "since")
    if filters.role:
        assignments = assignments.filter(role__slug=filters.role)
    return assignments


def people_memberships(*, on: datetime.date, filters: OverviewFilters):
    """people_memberships_base with the people and teams, and the roles held on `on` in
    `employee.roles_on_date` (see membership_roles). For the person list page."""
    return (
        people_memberships_base(on=on, filters=filters)
        .select_related("employee", "team")
        .prefetch_related(
            Prefetch(
                "employee__role_assignments",
                queryset=people_assignments(on=on, filters=filters).select_related("role"),
                to_attr="roles_on_date",
            )
        )
    )


def membership_roles(membership: Membership) -> list[RoleAssignment]:
    """The assignments (prefetched by people_memberships) held in the membership's team."""
    roles = membership.employee.roles_on_date  # type: ignore[attr-defined]  # Prefetch to_attr
    return [a for a in roles if a.team_id == membership.team_id]


def role_changes(
    *, date_from: datetime.date, date_to: datetime.date, filters: OverviewFilters
) -> tuple:
    """(gained, lost): assignments held on `date_to` but not on `date_from`, and the other
    way round, per person, team and role. Querysets, so exports can iterate them."""

    def held_on(on):
        return RoleAssignment.objects.current(on).filter(
            employee=OuterRef("employee"), team=OuterRef("team"), role=OuterRef("role")
        )

    def changes(now, before):
        # An assignment whose own dates cover `before` as well is in held_on(before) itself,
        # so only those that start after `before` (or end before it, when `before` is the
        # later date) can qualify. Said first, it narrows the rows compared to the few that
        # changed (issue 21); the result is the same.
        own_dates_leave_out = Q(since__gt=before) if before <= now else Q(until__lt=before)
        return (
            _filter_assignments(RoleAssignment.objects.current(now), filters)
            .filter(own_dates_leave_out)
            .filter(~Exists(held_on(before)))
            .select_related("employee", "team", "role")
            .order_by("team__name", "role__order", "employee__name", "pk")
        )

    return changes(date_to, date_from), changes(date_from, date_to)


def import_export_events(*, limit: int | None = 50, employee: Employee | None = None):
    """The latest exports and imports, for HR's audit tab; with `employee`, every event
    about that person instead (their record, memberships and roles)."""
    if employee is not None:
        events = AuditEvent.objects.filter(
            Q(object_type="teams.employee", object_id=str(employee.pk))
            | Q(details__employee=employee.pk)
        )
    else:
        events = AuditEvent.objects.filter(action__in=["export", "import", "import.conflict"])
    events = events.select_related("actor").order_by("-at", "-pk")
    return events[:limit] if limit else events


# HR's person pages: search by name or personnel number, and one person's full history.

SEARCH_LIMIT = 50


def person_search(*, query: str):
    """People whose name or personnel number contains `query` (at most SEARCH_LIMIT)."""
    query = " ".join(query.split())[:100]
    if not query:
        return Employee.objects.none()
    return Employee.objects.filter(
        Q(name__icontains=query) | Q(personnel_number__icontains=query)
    ).order_by("name", "pk")[:SEARCH_LIMIT]


@dataclass
class PersonHistory:
    employee: Employee
    memberships: list[Membership]
    assignments: list[RoleAssignment]
    department: str = ""
    fte: object = None


def person_history(*, employee: Employee) -> PersonHistory:
    """Every membership and role of the person, with dates, newest first. Three queries."""
    details = PersonHRDetails.objects.filter(employee=employee).first()
    return PersonHistory(
        employee=employee,
        memberships=list(
            Membership.objects.filter(employee=employee)
            .select_related("team")
            .order_by("-since", "team__name")
        ),
        assignments=list(
            RoleAssignment.objects.filter(employee=employee)
            .select_related("team", "role")
            .order_by("-since", "team__name", "role__order")
        ),
        department=details.department if details else "",
        fte=details.fte if details else None,
    )

"""What applying a file would do: per person, team and role the actions, in order, worked
out without changing anything."""

import datetime
import hashlib
from dataclasses import dataclass, field
from typing import cast

from django.db.models import Field, Q
from django.utils.translation import gettext as _

from rollen.imports.rows import Row
from rollen.models import RoleAssignment
from teams.models import Employee, Membership


@dataclass
class Action:
    kind: str  # create_person, update_person, start_membership, assign_role, end_role, ...
    description: str
    row: int | None = None  # the file line it comes from, if any


@dataclass
class ImportPlan:
    rows: list[Row]
    actions: list[Action]
    today: datetime.date
    deactivate_missing: bool
    general_problems: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[tuple[int | None, str]]:
        problems: list[tuple[int | None, str]] = [(None, p) for p in self.general_problems]
        return problems + [(row.number, problem) for row in self.rows for problem in row.problems]

    @property
    def has_problems(self) -> bool:
        return bool(self.general_problems) or any(row.problems for row in self.rows)

    @property
    def rows_with_problems(self) -> list[Row]:
        return [row for row in self.rows if row.problems]

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for action in self.actions:
            counts[action.kind] = counts.get(action.kind, 0) + 1
        return counts

    @property
    def fingerprint(self) -> str:
        """Changes when the plan changes: applying checks it against the preview."""
        text = "\n".join(f"{a.kind}|{a.description}" for a in self.actions)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


class _People:
    """Existing employees by personnel number and by e-mail address."""

    def __init__(self, rows: list[Row]):
        numbers = {row.personnel_number for row in rows if row.personnel_number}
        emails = {row.email.lower() for row in rows if row.email}
        query = Q(personnel_number__in=numbers) if numbers else Q(pk__in=[])
        for email in emails:
            query |= Q(email__iexact=email)
        self.by_number: dict[str, Employee] = {}
        self.by_email: dict[str, Employee] = {}
        for person in Employee.objects.filter(query) if (numbers or emails) else []:
            if person.personnel_number:
                self.by_number[person.personnel_number] = person
            if person.email:
                self.by_email[person.email.lower()] = person

    def find(self, row: Row) -> Employee | None:
        if row.personnel_number and row.personnel_number in self.by_number:
            return self.by_number[row.personnel_number]
        if row.email:
            return self.by_email.get(row.email.lower())
        return None


def planned_work(
    *, rows: list[Row], today: datetime.date, deactivate_missing: bool, actor
) -> list[tuple[Action, dict]]:
    """What applying would do, in order, each action with what is needed to carry it out.
    Rows with problems are left out (a plan with problems is never applied)."""
    yesterday = today - datetime.timedelta(days=1)
    rows = [row for row in rows if not row.problems]
    people = _People(rows)
    person_ids = [p.pk for p in {*people.by_number.values(), *people.by_email.values()}]
    memberships: dict[tuple[int, int], Membership] = {
        (m.employee_id, m.team_id): m
        for m in Membership.objects.filter(
            employee_id__in=person_ids, until__isnull=True
        ).select_related("team")
    }
    assignments: dict[tuple[int, int], list[RoleAssignment]] = {}
    for a in RoleAssignment.objects.filter(
        employee_id__in=person_ids, until__isnull=True
    ).select_related("role", "team"):
        assignments.setdefault((a.employee_id, a.team_id), []).append(a)

    work: list[tuple[Action, dict]] = []
    seen_people: dict[str, Employee | str] = {}
    teams_in_file: dict[str, set[int]] = {}
    for row in rows:
        if row.team is None or row.since is None:  # rows with problems were left out above
            raise ValueError(f"row {row.number} has no team or no start date")
        person = people.find(row)
        label = f"{row.name} ({row.personnel_number or row.email})"
        if row.key not in seen_people:
            seen_people[row.key] = person or row.key
            if person is None:
                work.append(
                    (
                        Action(
                            "create_person", _("Create %(person)s") % {"person": label}, row.number
                        ),
                        {"row": row},
                    )
                )
            else:
                changes: dict[str, object] = {}
                if row.name and row.name != person.name:
                    changes["name"] = row.name
                if row.email and row.email.lower() != person.email.lower():
                    changes["email"] = row.email
                if row.personnel_number and row.personnel_number != person.personnel_number:
                    changes["personnel_number"] = row.personnel_number
                if not person.is_active:
                    changes["is_active"] = True
                if changes:
                    described = ", ".join(
                        f"{cast(Field, Employee._meta.get_field(k)).verbose_name}: "
                        f"{getattr(person, k)!s} → {v!s}"
                        for k, v in changes.items()
                    )
                    work.append(
                        (
                            Action(
                                "update_person",
                                _("Change %(person)s: %(changes)s")
                                % {"person": label, "changes": described},
                                row.number,
                            ),
                            {"person": person, "changes": changes},
                        )
                    )
        teams_in_file.setdefault(row.key, set()).add(row.team.pk)
        membership = memberships.get((person.pk, row.team.pk)) if person else None
        if membership is None:
            work.append(
                (
                    Action(
                        "start_membership",
                        _("%(person)s joins team %(team)s on %(date)s")
                        % {
                            "person": row.name,
                            "team": row.team.name,
                            "date": row.since.isoformat(),
                        },
                        row.number,
                    ),
                    {"row": row, "person": person},
                )
            )
        held = (
            {a.role_id: a for a in assignments.get((person.pk, row.team.pk), [])} if person else {}
        )
        wanted = {role.pk for role in row.roles}
        for role in row.roles:
            if role.pk not in held:
                start = max(row.since, membership.since) if membership else row.since
                work.append(
                    (
                        Action(
                            "assign_role",
                            _("%(person)s takes the role %(role)s in team %(team)s on %(date)s")
                            % {
                                "person": row.name,
                                "role": role.name,
                                "team": row.team.name,
                                "date": start.isoformat(),
                            },
                            row.number,
                        ),
                        {"row": row, "person": person, "role": role, "since": start},
                    )
                )
        for role_id, assignment in held.items():
            if role_id not in wanted:
                until = max(yesterday, assignment.since)
                work.append(
                    (
                        Action(
                            "end_role",
                            _("%(person)s stops as %(role)s in team %(team)s on %(date)s")
                            % {
                                "person": row.name,
                                "role": assignment.role.name,
                                "team": row.team.name,
                                "date": until.isoformat(),
                            },
                            row.number,
                        ),
                        {"assignment": assignment, "until": until},
                    )
                )
    # Teams the file no longer lists for a person in it: leave them.
    for key, seen in seen_people.items():
        if isinstance(seen, str):
            continue
        for (employee_id, team_id), membership in sorted(memberships.items()):
            if employee_id == seen.pk and team_id not in teams_in_file[key]:
                until = max(yesterday, membership.since)
                work.append(
                    (
                        Action(
                            "end_membership",
                            _("%(person)s leaves team %(team)s on %(date)s (with the roles there)")
                            % {
                                "person": seen.name,
                                "team": membership.team.name,
                                "date": until.isoformat(),
                            },
                        ),
                        {"membership": membership, "until": until},
                    )
                )
    if deactivate_missing:
        in_file = {p.pk for p in seen_people.values() if not isinstance(p, str)}
        missing = (
            Employee.objects.filter(is_active=True, is_superuser=False)
            .exclude(personnel_number="")
            .exclude(pk__in=in_file)
            .order_by("name")
        )
        if actor is not None and actor.pk:
            missing = missing.exclude(pk=actor.pk)
        for person in missing:
            work.append(
                (
                    Action(
                        "deactivate_person",
                        _(
                            "Mark %(person)s inactive (not in the file); "
                            "memberships and roles end on %(date)s"
                        )
                        % {
                            "person": f"{person.name} ({person.personnel_number})",
                            "date": yesterday.isoformat(),
                        },
                    ),
                    {"person": person, "until": yesterday},
                )
            )
    return work

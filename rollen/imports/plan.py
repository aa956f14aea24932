"""What applying a file would do: per person, team and role the actions, in order, worked
out without changing anything.

Who is who: a row is matched on the personnel number first, then on the e-mail address;
each change says which. A match on e-mail that would give the person another personnel
number is a warning the user must accept. The accounts that can do more than a member
(superusers, staff, the HR and management groups) are never changed by an import in the
fields that sign them in or identify them (e-mail, username, personnel number, active):
such a row is a conflict that only an administrator resolves, in the admin."""

import datetime
from dataclasses import dataclass, field
from typing import cast

from django.db.models import Field
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rollen.imports.people import PROTECTED_FIELDS, People, chunks, is_protected, people_query
from rollen.imports.result import Action
from rollen.imports.rows import Row
from rollen.models import RoleAssignment
from teams.models import Employee, Membership


@dataclass
class Work:
    items: list[tuple[Action, dict]]
    warnings: list[tuple[int | None, str]]
    roles_ending_with_memberships: int
    conflicts: list[tuple[int, Employee, list[str]]] = field(default_factory=list)


def _label(person: Employee) -> str:
    return f"{person.name} ({person.personnel_number or person.email or person.username})"


def planned_work(
    *,
    rows: list[Row],
    today: datetime.date,
    deactivate_missing: bool,
    actor,
    manage_roles: bool = True,
) -> Work:
    """What applying would do, in order, each action with what is needed to carry it out.
    Rows with problems are left out (a plan with problems is never applied); a row that
    would re-identify a protected account gets a problem here. Without `manage_roles` (no
    roles column in the file) roles are neither started nor ended by the rows."""
    yesterday = today - datetime.timedelta(days=1)
    people = People([row for row in rows if not row.problems])
    person_ids = sorted({p.pk for p in (*people.by_number.values(), *people.by_email.values())})
    memberships: dict[tuple[int, int], Membership] = {}
    closed: dict[tuple[int, int, datetime.date], Membership] = {}
    assignments: dict[tuple[int, int], list[RoleAssignment]] = {}
    for part in chunks(person_ids):
        for m in Membership.objects.filter(employee_id__in=part).select_related("team"):
            if m.until is None:
                memberships[(m.employee_id, m.team_id)] = m
            else:
                closed[(m.employee_id, m.team_id, m.since)] = m
        for a in RoleAssignment.objects.filter(
            employee_id__in=part, until__isnull=True
        ).select_related("role", "team"):
            assignments.setdefault((a.employee_id, a.team_id), []).append(a)

    work: list[tuple[Action, dict]] = []
    warnings: list[tuple[int | None, str]] = []
    conflicts: list[tuple[int, Employee, list[str]]] = []
    roles_with_memberships = 0
    seen_people: dict[str, Employee | str] = {}
    teams_in_file: dict[str, set[int]] = {}
    for row in rows:
        if row.problems:
            continue
        person, matched_on = people.find(row)
        if row.key not in seen_people:
            seen_people[row.key] = person or row.key
            if person is None:
                label = f"{row.name} ({row.personnel_number or row.email})"
                work.append(
                    (
                        Action(
                            "create_person", _("Create %(person)s") % {"person": label}, row.number
                        ),
                        {"row": row},
                    )
                )
            else:
                changes = _person_changes(row, person)
                if is_protected(person) and set(changes) & set(PROTECTED_FIELDS):
                    conflicts.append(
                        (row.number, person, sorted(set(changes) & set(PROTECTED_FIELDS)))
                    )
                    row.problems.append(
                        _(
                            "%(person)s is an administrator, HR or management account. An "
                            "import may not change its e-mail address, personnel number or "
                            "active status (%(fields)s). Only an administrator can change "
                            "this, in the admin."
                        )
                        % {
                            "person": _label(person),
                            "fields": ", ".join(
                                str(cast(Field, Employee._meta.get_field(k)).verbose_name)
                                for k in changes
                                if k in PROTECTED_FIELDS
                            ),
                        }
                    )
                    seen_people[row.key] = row.key  # nothing more for this person
                    continue
                if matched_on == "email" and "personnel_number" in changes:
                    warnings.append(
                        (
                            row.number,
                            _(
                                "%(person)s was found by e-mail address %(email)s and gets "
                                "personnel number %(new)s (was: %(old)s)."
                            )
                            % {
                                "person": person.name,
                                "email": person.email,
                                "new": row.personnel_number,
                                "old": person.personnel_number or _("none"),
                            },
                        )
                    )
                details = _details_changes(row, person)
                if details:
                    work.append(
                        (
                            Action(
                                "update_details",
                                _("%(person)s: %(changes)s")
                                % {
                                    "person": _label(person),
                                    "changes": ", ".join(
                                        f"{DETAIL_LABELS[k]}: {old or '–'} → {new}"
                                        for k, (old, new) in details.items()
                                    ),
                                },
                                row.number,
                            ),
                            {"row": row, "person": person,
                             "changes": {k: new for k, (old, new) in details.items()}},
                        )
                    )  # fmt: skip
                if changes:
                    described = ", ".join(
                        f"{cast(Field, Employee._meta.get_field(k)).verbose_name}: "
                        f"{getattr(person, k)!s} → {v!s}"
                        for k, v in changes.items()
                    )
                    how = (
                        _("found by personnel number")
                        if matched_on == "number"
                        else _("found by e-mail address")
                    )
                    work.append(
                        (
                            Action(
                                "update_person",
                                _("Change %(person)s (%(how)s): %(changes)s")
                                % {"person": _label(person), "how": how, "changes": described},
                                row.number,
                            ),
                            {"person": person, "changes": changes},
                        )
                    )
        elif isinstance(seen_people[row.key], str) and person is not None:
            continue  # a protected account refused on an earlier line
        if row.team is None or row.since is None:  # rows with problems were left out above
            raise ValueError(f"row {row.number} has no team or no start date")
        teams_in_file.setdefault(row.key, set()).add(row.team.pk)
        membership = memberships.get((person.pk, row.team.pk)) if person else None
        if membership is None and person and row.until:
            past = closed.get((person.pk, row.team.pk, row.since))
            if past is not None:
                continue  # this ended membership is already in the portal
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
        if manage_roles:
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
        if row.until:
            # The file gives the last day: the membership (and its roles) end then.
            if membership is not None:
                roles_with_memberships += len(held) if not manage_roles else len(row.roles)
            else:
                roles_with_memberships += len(row.roles) if manage_roles else 0
            until = max(row.until, membership.since if membership else row.since)
            work.append(
                (
                    Action(
                        "end_membership",
                        _("%(person)s leaves team %(team)s on %(date)s (with the roles there)")
                        % {"person": row.name, "team": row.team.name, "date": until.isoformat()},
                        row.number,
                    ),
                    {"membership": membership, "row": row, "person": person, "until": until},
                )
            )
    # Teams the file no longer lists for a person in it: leave them. (Per person, not a
    # scan of every membership per person: that was quadratic in the file's size.)
    open_by_person: dict[int, dict[int, Membership]] = {}
    for (employee_id, team_id), membership in memberships.items():
        open_by_person.setdefault(employee_id, {})[team_id] = membership
    for key, found in seen_people.items():
        if isinstance(found, str):
            continue
        for team_id, membership in sorted(open_by_person.get(found.pk, {}).items()):
            employee_id = found.pk
            if team_id not in teams_in_file.get(key, set()):
                until = max(yesterday, membership.since)
                roles_with_memberships += len(assignments.get((employee_id, team_id), []))
                work.append(
                    (
                        Action(
                            "end_membership",
                            _("%(person)s leaves team %(team)s on %(date)s (with the roles there)")
                            % {
                                "person": found.name,
                                "team": membership.team.name,
                                "date": until.isoformat(),
                            },
                        ),
                        {"membership": membership, "until": until},
                    )
                )
    if deactivate_missing:
        in_file = {p.pk for p in seen_people.values() if not isinstance(p, str)}
        missing = [
            person
            for person in people_query()
            .filter(is_active=True, is_superuser=False, is_staff=False)
            .exclude(personnel_number="")
            .order_by("name", "pk")
            if person.pk not in in_file
            and not is_protected(person)
            and not (actor is not None and person.pk == actor.pk)
        ]
        open_roles: dict[int, int] = {}
        for part in chunks([p.pk for p in missing]):
            for employee_id in RoleAssignment.objects.filter(
                employee_id__in=part, until__isnull=True
            ).values_list("employee_id", flat=True):
                open_roles[employee_id] = open_roles.get(employee_id, 0) + 1
        for person in missing:
            roles_with_memberships += open_roles.get(person.pk, 0)
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
    return Work(
        items=work,
        warnings=warnings,
        roles_ending_with_memberships=roles_with_memberships,
        conflicts=conflicts,
    )


DETAIL_LABELS = {"department": gettext_lazy("department"), "fte": gettext_lazy("FTE")}


def _details_changes(row: Row, person: Employee) -> dict:
    """{field: (old, new)} of the department and FTE, when the file gives them."""
    if not row.department and row.fte is None:
        return {}
    current = getattr(person, "hr_details", None)
    changes: dict[str, tuple[object, object]] = {}
    if row.department and row.department != (current.department if current else ""):
        changes["department"] = (current.department if current else "", row.department)
    if row.fte is not None and row.fte != (current.fte if current else None):
        changes["fte"] = (current.fte if current else None, row.fte)
    return changes


def _person_changes(row: Row, person: Employee) -> dict:
    changes: dict = {}
    if row.name and row.name != person.name:
        changes["name"] = row.name
    if row.email and row.email.lower() != person.email.lower():
        changes["email"] = row.email
    if row.personnel_number and row.personnel_number != person.personnel_number:
        changes["personnel_number"] = row.personnel_number
    if not person.is_active:
        changes["is_active"] = True
    return changes

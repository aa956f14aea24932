"""Import people, memberships and roles from a CSV file as HR systems export it.

Three steps, used by the import pages and by `manage.py import_people`:

1. `read_csv(data)` decodes the file (UTF-8 with or without BOM), finds the delimiter
   (`;` or `,`) and returns the header and the rows; `guess_mapping(header)` proposes
   which column holds which field.
2. `import_plan(table=..., mapping=..., ...)` checks every row and works out, without
   changing anything, what applying would create, change or end, and every problem per
   row in plain language. A plan with problems cannot be applied.
3. `import_apply(...)` works the plan out again and carries it out in one transaction,
   through the same services as the rest of the portal (membership before role, no
   overlapping periods), so imported data obeys the same rules. All or nothing.

What the file means: each row is one person in one team, with the roles the person holds
there, since a date. For the people in the file, the file is the truth: a membership or role
in a team that the file no longer lists for them is ended (yesterday), never deleted.
Applying the same file again changes nothing. On request, active people who are not in the
file are marked inactive and their memberships and roles end; this only touches people with
a personnel number (accounts from the HR system), never superusers or the person importing.
"""

import csv
import datetime
import hashlib
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from rollen.models import Role, RoleAssignment
from rollen.services import role_assign, role_end, team_leave
from teams.models import Employee, Membership, Team
from teams.services import membership_start

FIELDS = {
    "personnel_number": gettext_lazy("Personnel number"),
    "name": gettext_lazy("Name"),
    "email": gettext_lazy("E-mail address"),
    "team": gettext_lazy("Team"),
    "roles": gettext_lazy("Role(s)"),
    "since": gettext_lazy("Since"),
}
REQUIRED_FIELDS = ["name", "team"]
# Header names seen in HR exports, normalised (lower case, letters and digits only).
HEADER_GUESSES = {
    "personnel_number": {
        "personeelsnummer", "personeelsnr", "persnr", "pnr", "medewerkernummer",
        "personnelnumber", "employeenumber", "employeeid", "nummer",
    },
    "name": {"naam", "name", "volledigenaam", "medewerker", "fullname", "weergavenaam"},
    "email": {"email", "emailadres", "mail", "mailadres", "emailaddress"},
    "team": {"team", "teamnaam", "afdeling", "organisatieonderdeel"},
    "roles": {"rol", "rollen", "role", "roles", "rolrollen", "rolen"},
    "since": {"sinds", "since", "vanaf", "startdatum", "ingangsdatum", "datumingang", "begindatum"},
}  # fmt: skip
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d"]


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, in plain language."""


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]  # data rows, without the header
    delimiter: str


def read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is not saved as UTF-8. Save it as 'CSV UTF-8' and try again.")
        ) from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportFileError(_("The file is empty or its first line (the column names) is empty."))
    first = lines[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise ImportFileError(
            _("The file cannot be read as CSV: %(error)s") % {"error": exc}
        ) from None
    header = [cell.strip() for cell in records[0]]
    rows = [row for row in records[1:] if any(cell.strip() for cell in row)]
    return Table(header=header, rows=rows, delimiter=delimiter)


def _normalise(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def guess_mapping(header: list[str]) -> dict[str, int | None]:
    """{field: column index or None} from the column names."""
    mapping: dict[str, int | None] = dict.fromkeys(FIELDS)
    for index, column in enumerate(header):
        key = _normalise(column)
        for name, guesses in HEADER_GUESSES.items():
            if mapping[name] is None and key in guesses:
                mapping[name] = index
                break
    return mapping


def mapping_problems(mapping: dict[str, int | None], header: list[str]) -> list[str]:
    problems = []
    for name in REQUIRED_FIELDS:
        if mapping.get(name) is None:
            problems.append(_("Choose the column for '%(field)s'.") % {"field": FIELDS[name]})
    if mapping.get("personnel_number") is None and mapping.get("email") is None:
        problems.append(_("Choose a column for the personnel number or the e-mail address."))
    used = [index for index in mapping.values() if index is not None]
    if len(used) != len(set(used)):
        problems.append(_("Each column can be used for one field only."))
    if any(index >= len(header) or index < 0 for index in used):
        problems.append(_("The file has no such column."))
    return problems


def parse_date(value: str) -> datetime.date | None:
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, date_format).date()
        except ValueError:
            continue
    return None


@dataclass
class Row:
    number: int  # line in the file (the header is line 1)
    personnel_number: str = ""
    name: str = ""
    email: str = ""
    team: Team | None = None
    team_text: str = ""
    roles: list[Role] = field(default_factory=list)
    since: datetime.date | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.personnel_number or self.email.lower()


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


def _role_lookup() -> dict[str, Role]:
    lookup = {}
    for role in Role.objects.all():
        for name in (role.slug, role.name_nl, role.name_en):
            lookup[name.strip().lower()] = role
    return lookup


def _team_lookup() -> dict[str, Team]:
    lookup = {}
    for team in Team.objects.all():
        lookup[team.slug.lower()] = team
        lookup[team.name.strip().lower()] = team
    return lookup


def _parse_rows(table: Table, mapping: dict[str, int | None], today: datetime.date) -> list[Row]:
    roles, teams = _role_lookup(), _team_lookup()
    rows: list[Row] = []
    seen: dict[tuple[str, int], int] = {}
    for offset, cells in enumerate(table.rows):
        number = offset + 2

        def cell(name, cells=cells):
            index = mapping.get(name)
            if index is None or index >= len(cells):
                return ""
            return cells[index].strip()

        row = Row(number=number)
        row.personnel_number = cell("personnel_number")
        row.name = cell("name")
        row.email = cell("email")
        row.team_text = cell("team")
        if not row.name:
            row.problems.append(_("The name is missing."))
        if not row.personnel_number and not row.email:
            row.problems.append(_("The personnel number and the e-mail address are both missing."))
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                row.problems.append(
                    _("'%(email)s' is not a valid e-mail address.") % {"email": row.email}
                )
        if not row.team_text:
            row.problems.append(_("The team is missing."))
        else:
            row.team = teams.get(row.team_text.lower())
            if row.team is None:
                row.problems.append(
                    _("There is no team called '%(team)s'.") % {"team": row.team_text}
                )
            elif not row.team.is_active:
                row.problems.append(_("Team '%(team)s' is archived.") % {"team": row.team.name})
        for text in filter(None, (part.strip() for part in cell("roles").split("|"))):
            role = roles.get(text.lower())
            if role is None:
                row.problems.append(_("There is no role called '%(role)s'.") % {"role": text})
            elif role not in row.roles:
                row.roles.append(role)
        since_text = cell("since")
        if since_text:
            row.since = parse_date(since_text)
            if row.since is None:
                row.problems.append(
                    _("'%(date)s' is not a date. Write it as 2026-03-01 or 01-03-2026.")
                    % {"date": since_text}
                )
        else:
            row.since = today
        if row.key and row.team is not None:
            earlier = seen.get((row.key, row.team.pk))
            if earlier:
                row.problems.append(
                    _("This person and team are already on line %(line)d.") % {"line": earlier}
                )
            else:
                seen[(row.key, row.team.pk)] = number
        rows.append(row)
    _check_people(rows)
    return rows


def _check_people(rows: list[Row]) -> None:
    """One person per personnel number: the same number with different names or e-mail
    addresses, or an e-mail address used for two numbers, is a problem."""
    by_number: dict[str, Row] = {}
    by_email: dict[str, Row] = {}
    for row in rows:
        if row.personnel_number:
            first = by_number.setdefault(row.personnel_number, row)
            if first is not row and (first.name, first.email.lower()) != (
                row.name,
                row.email.lower(),
            ):
                row.problems.append(
                    _("Personnel number %(number)s has other details on line %(line)d.")
                    % {"number": row.personnel_number, "line": first.number}
                )
        if row.email:
            first = by_email.setdefault(row.email.lower(), row)
            if first is not row and first.personnel_number != row.personnel_number:
                row.problems.append(
                    _("E-mail address %(email)s belongs to another person on line %(line)d.")
                    % {"email": row.email, "line": first.number}
                )


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


def _planned_work(
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
                changes = {}
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
                        f"{Employee._meta.get_field(k).verbose_name}: "
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
    for key, person in seen_people.items():
        if isinstance(person, str):
            continue
        for (employee_id, team_id), membership in sorted(memberships.items()):
            if employee_id == person.pk and team_id not in teams_in_file[key]:
                until = max(yesterday, membership.since)
                work.append(
                    (
                        Action(
                            "end_membership",
                            _("%(person)s leaves team %(team)s on %(date)s (with the roles there)")
                            % {
                                "person": person.name,
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


class _Rollback(Exception):
    pass


def _username_for(row: Row) -> str:
    base = slugify(row.personnel_number or row.email.split("@")[0])[:140] or "medewerker"
    username, suffix = base, 1
    while Employee.objects.filter(username=username).exists():
        suffix += 1
        username = f"{base}-{suffix}"
    return username


def _messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _carry_out(action: Action, data: dict, people: dict[str, Employee], actor=None) -> None:
    """One action, through the services that hold the portal's rules (audited as `actor`)."""
    if action.kind == "create_person":
        row = data["row"]
        person = Employee(
            username=_username_for(row),
            name=row.name,
            email=row.email,
            personnel_number=row.personnel_number,
        )
        person.set_unusable_password()
        person.full_clean()
        person.save()
        people[row.key] = person
    elif action.kind == "update_person":
        person = data["person"]
        for name, value in data["changes"].items():
            setattr(person, name, value)
        person.full_clean()
        person.save(update_fields=list(data["changes"]))
    elif action.kind == "start_membership":
        row = data["row"]
        membership_start(
            employee=_person(data, people), team=row.team, since=row.since, actor=actor
        )
    elif action.kind == "assign_role":
        row = data["row"]
        role_assign(
            employee=_person(data, people),
            team=row.team,
            role=data["role"],
            since=data["since"],
            actor=actor,
        )
    elif action.kind == "end_role":
        role_end(assignment=data["assignment"], until=data["until"], actor=actor)
    elif action.kind == "end_membership":
        team_leave(membership=data["membership"], until=data["until"], actor=actor)
    elif action.kind == "deactivate_person":
        person = data["person"]
        for membership in Membership.objects.filter(employee=person, until__isnull=True):
            team_leave(
                membership=membership, until=max(data["until"], membership.since), actor=actor
            )
        person.is_active = False
        person.save(update_fields=["is_active"])
    else:  # pragma: no cover - the kinds above are all _planned_work makes
        raise ValueError(action.kind)


def _person(data: dict, people: dict[str, Employee]) -> Employee:
    """The row's person: existing (found when planning) or created by this import."""
    return data["person"] or people[data["row"].key]


def import_plan(
    *,
    table: Table,
    mapping: dict[str, int | None],
    deactivate_missing: bool = False,
    actor=None,
    today: datetime.date | None = None,
) -> ImportPlan:
    """The dry run: every problem per row, and exactly what applying would do.

    The actions are tried for real inside a transaction that is always rolled back, so a
    rule of the portal that an action would break (an overlapping membership, say) shows
    up as a problem on its row now rather than when applying."""
    today = today or timezone.localdate()
    rows = _parse_rows(table, mapping, today)
    work = _planned_work(rows=rows, today=today, deactivate_missing=deactivate_missing, actor=actor)
    plan = ImportPlan(
        rows=rows,
        actions=[action for action, _data in work],
        today=today,
        deactivate_missing=deactivate_missing,
    )
    if not table.rows:
        plan.general_problems.append(_("The file has no rows below the column names."))
    by_number = {row.number: row for row in rows}
    try:
        with transaction.atomic():
            people: dict[str, Employee] = {}
            for action, data in work:
                try:
                    with transaction.atomic():
                        _carry_out(action, data, people, actor)
                except ValidationError as error:
                    for message in _messages(error):
                        text = f"{action.description}: {message}"
                        if action.row is not None:
                            by_number[action.row].problems.append(text)
                        else:
                            plan.general_problems.append(text)
            raise _Rollback
    except _Rollback:
        pass
    return plan


class ImportChanged(Exception):
    """The data changed between the dry run and applying; check the preview again."""


@transaction.atomic
def import_apply(
    *,
    table: Table,
    mapping: dict[str, int | None],
    deactivate_missing: bool = False,
    actor=None,
    expected_fingerprint: str | None = None,
    filename: str = "",
    today: datetime.date | None = None,
) -> ImportPlan:
    """Carry out the import, all or nothing. Raises ImportFileError when the file has
    problems (nothing changes), ImportChanged when the plan is not the one previewed."""
    today = today or timezone.localdate()
    rows = _parse_rows(table, mapping, today)
    if any(row.problems for row in rows) or not table.rows:
        raise ImportFileError(_("The file has problems; nothing was changed. Check it first."))
    work = _planned_work(rows=rows, today=today, deactivate_missing=deactivate_missing, actor=actor)
    plan = ImportPlan(
        rows=rows,
        actions=[action for action, _data in work],
        today=today,
        deactivate_missing=deactivate_missing,
    )
    if expected_fingerprint is not None and plan.fingerprint != expected_fingerprint:
        raise ImportChanged(
            _("The data changed since your check. Check the file again before applying.")
        )
    people: dict[str, Employee] = {}
    for action, data in work:
        try:
            _carry_out(action, data, people, actor)
        except ValidationError as error:
            raise ImportFileError(
                _("%(action)s: %(problem)s. Nothing was changed.")
                % {"action": action.description, "problem": " ".join(_messages(error))}
            ) from None
    audit_record(
        actor=actor,
        action="import",
        object_type="rollen.import",
        object_repr=filename[:200],
        details={
            "file": filename,
            "rows": len(table.rows),
            "changes": plan.counts(),
            "deactivate_missing": deactivate_missing,
            "source": "command" if actor is None else "web",
        },
    )
    return plan

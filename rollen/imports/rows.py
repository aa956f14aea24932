"""The file's rows as people in teams with roles, each checked on its own and against the
other rows (one person per personnel number)."""

import datetime
import decimal
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from rollen.imports.parse import FIELDS, MAX_LENGTHS, Table, parse_date
from rollen.models import Role
from teams.models import Team


@dataclass
class Row:
    number: int  # the line in the file as an editor shows it (the header is line 1)
    personnel_number: str = ""
    name: str = ""
    email: str = ""
    team: Team | None = None
    team_text: str = ""
    roles: list[Role] = field(default_factory=list)
    since: datetime.date | None = None
    until: datetime.date | None = None
    department: str = ""
    fte: decimal.Decimal | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.personnel_number or self.email.lower()


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


FORMULA_STARTS = ("=", "+", "-", "@")


def clean_text(value: str) -> str:
    """Line breaks, tabs and runs of spaces become one space; no spaces around. The
    apostrophe our CSV exports put before a text that looks like a formula is taken off, so
    an export read back keeps the names."""
    value = " ".join(value.split())
    if value.startswith("'") and value[1:2] in FORMULA_STARTS and value[1:2]:
        value = value[1:]
    return value


def _fte(text: str) -> decimal.Decimal | None:
    try:
        value = decimal.Decimal(text.replace(",", ".").rstrip("%").strip())
    except decimal.InvalidOperation:
        return None
    if value > 2:  # a percentage (Deeltijdpercentage 80)
        value = value / 100
    if not 0 <= value <= 2:
        return None
    return value.quantize(decimal.Decimal("0.0001"))


def parse_rows(table: Table, mapping: dict[str, int | None], today: datetime.date) -> list[Row]:
    roles, teams = _role_lookup(), _team_lookup()
    rows: list[Row] = []
    seen: dict[tuple[str, int], int] = {}
    for offset, cells in enumerate(table.rows):
        number = table.line(offset)
        row = Row(number=number)
        too_long: set[str] = set()

        def cell(name, cells=cells, row=row, too_long=too_long):
            index = mapping.get(name)
            if index is None or index >= len(cells):
                return ""
            value = clean_text(cells[index])
            limit = MAX_LENGTHS[name]
            if len(value) > limit:
                row.problems.append(
                    _("Column '%(field)s' is too long: %(length)d characters, at most %(limit)d.")
                    % {"field": FIELDS[name], "length": len(value), "limit": limit}
                )
                too_long.add(name)
                return ""
            return value

        row.personnel_number = cell("personnel_number")
        row.name = cell("name")
        split_name = " ".join(
            part for part in (cell("first_name"), cell("name_prefix"), cell("last_name")) if part
        )
        if split_name:  # roepnaam + voorvoegsels + achternaam
            row.name = split_name
        if len(row.name) > MAX_LENGTHS["name"]:
            row.problems.append(
                _("The name is too long: %(length)d characters, at most %(limit)d.")
                % {"length": len(row.name), "limit": MAX_LENGTHS["name"]}
            )
            row.name = row.name[: MAX_LENGTHS["name"]]
        row.email = cell("email")
        row.team_text = cell("team")
        row.department = cell("department")
        if not row.name and not too_long & {"name", "first_name", "name_prefix", "last_name"}:
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
        for name in ("since", "until"):
            text = cell(name)
            if not text:
                continue
            value = parse_date(text)
            if value is None:
                row.problems.append(
                    _(
                        "Column '%(field)s': '%(date)s' is not a date. "
                        "Write it as 2026-03-01 or 01-03-2026."
                    )
                    % {"field": FIELDS[name], "date": text}
                )
            setattr(row, name, value)
        if row.since is None and not cell("since"):
            row.since = today
        if row.until and row.since and row.until < row.since:
            row.problems.append(_("The end date is before the start date."))
        fte_text = cell("fte")
        if fte_text:
            row.fte = _fte(fte_text)
            if row.fte is None:
                row.problems.append(
                    _("Column '%(field)s': '%(value)s' is not a number between 0 and 2.")
                    % {"field": FIELDS["fte"], "value": fte_text}
                )
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

"""Reading the HR file: decoding, the delimiter, which column holds which field, dates."""

import csv
import datetime
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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

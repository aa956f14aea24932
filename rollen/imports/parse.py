"""Reading the HR file: the kind of file, the encoding, the delimiter, line numbers as the
user's editor shows them, which column holds which field, dates."""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FIELDS = {
    "personnel_number": gettext_lazy("Personnel number"),
    "name": gettext_lazy("Name"),
    "first_name": gettext_lazy("First name (roepnaam)"),
    "name_prefix": gettext_lazy("Name prefix (voorvoegsel)"),
    "last_name": gettext_lazy("Last name"),
    "email": gettext_lazy("E-mail address"),
    "team": gettext_lazy("Team"),
    "roles": gettext_lazy("Role(s)"),
    "since": gettext_lazy("Since"),
    "until": gettext_lazy("Until"),
    "department": gettext_lazy("Department"),
    "fte": gettext_lazy("FTE"),
}
REQUIRED_FIELDS = ["team"]
# The longest value each field may have (the database's limits).
MAX_LENGTHS = {
    "personnel_number": 20,
    "name": 150,
    "first_name": 150,
    "name_prefix": 150,
    "last_name": 150,
    "email": 254,
    "team": 120,
    "roles": 500,
    "since": 40,
    "until": 40,
    "department": 120,
    "fte": 20,
}
# Header names seen in HR exports (AFAS Profit, Visma Raet Youforce, Beaufort and the
# portal's own exports), normalised: lower case, letters and digits only.
HEADER_GUESSES = {
    "personnel_number": {
        "personeelsnummer", "personeelsnr", "persnr", "pnr", "medewerkernummer",
        "personnelnumber", "employeenumber", "employeeid", "nummer", "medewerkernr",
        "medewerkercode", "registratienummer", "persoonsnummer", "werknemersnummer",
    },
    "name": {
        "naam", "name", "volledigenaam", "medewerker", "fullname", "weergavenaam",
        "naammedewerker", "employee", "medewerkernaam",
    },
    "first_name": {"roepnaam", "voornaam", "firstname", "roepnaammedewerker"},
    "name_prefix": {"voorvoegsel", "voorvoegsels", "tussenvoegsel", "tussenvoegsels", "prefix"},
    "last_name": {"achternaam", "geboortenaam", "lastname", "surname", "naamgebruik"},
    "email": {
        "email", "emailadres", "mail", "mailadres", "emailaddress", "emailwerk",
        "emailwerkadres", "zakelijkemail", "emailzakelijk", "werkemail",
    },
    "team": {
        "team", "teamnaam", "organisatorischeeenheid", "organisatieonderdeel", "oe",
        "organisatieeenheid", "kostenplaats",
    },
    "roles": {"rol", "rollen", "role", "roles", "rolrollen", "rolen"},
    "since": {
        "sinds", "since", "vanaf", "startdatum", "ingangsdatum", "datumingang", "begindatum",
        "datumindienst", "indienst", "datumindiensttreding", "lidsinds", "rolsinds",
    },
    "until": {
        "tot", "totenmet", "until", "einddatum", "datumuitdienst", "uitdienst",
        "datumuitdiensttreding", "tm",
    },
    "department": {"afdeling", "department", "sector", "cluster"},
    "fte": {"fte", "deeltijdfactor", "deeltijdpercentage", "werktijdfactor", "wtf"},
}  # fmt: skip
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%Y%m%d", "%d-%m-%y"]
ENCODINGS = {
    "utf-8": gettext_lazy("UTF-8"),
    "cp1252": gettext_lazy("Windows-1252 (older Excel)"),
    "latin-1": gettext_lazy("Latin-1 (ISO-8859-1)"),
}
XLSX = "xlsx"


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, in plain language."""


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]  # data rows, without the header or blank lines
    delimiter: str
    encoding: str = "utf-8"  # or "xlsx" for a spreadsheet
    lines: list[int] = field(default_factory=list)  # each row's first line in the file

    def line(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else index + 2


def detect_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes as such, else Windows-1252 when it
    decodes as that (Excel on Windows), else Latin-1 (decodes anything)."""
    for encoding in ("utf-8", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def _refuse_binary(data: bytes, *, max_bytes: int | None) -> None:
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if max_bytes is not None and len(data) > max_bytes:
        raise ImportFileError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(max_bytes)}
        )
    if data.startswith(b"%PDF"):
        raise ImportFileError(
            _("This is a PDF file. Export a CSV or Excel (.xlsx) file from the HR system.")
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            _("The file is saved as UTF-16. Save it as 'CSV UTF-8' and try again.")
        )


def read_table(data: bytes, *, encoding: str | None = None, max_bytes: int | None = None) -> Table:
    """A CSV (any of ENCODINGS, delimiter ; , or tab) or an XLSX file as a Table. Raises
    ImportFileError with a message that names the line when it cannot be read."""
    _refuse_binary(data, max_bytes=max_bytes)
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(data)
    encoding = encoding if encoding in ENCODINGS else detect_encoding(data)
    try:
        text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file cannot be read as %(encoding)s. Choose another character set.")
            % {"encoding": ENCODINGS[encoding]}
        ) from None
    bad = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise ImportFileError(
            _(
                "Line %(line)d holds a character that does not belong in a text file. "
                "Is this really a CSV file? Export a CSV or Excel (.xlsx) file."
            )
            % {"line": line}
        )
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not text.splitlines() or not text.splitlines()[0].strip():
        raise ImportFileError(_("The first line of the file (the column names) is empty."))
    delimiter = _delimiter(text, first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    records: list[tuple[int, list[str]]] = []
    try:
        previous = 0
        for record in reader:
            records.append((previous + 1, record))
            previous = reader.line_num
    except csv.Error as exc:
        raise ImportFileError(
            _("Line %(line)d cannot be read as CSV: %(error)s")
            % {"line": previous + 1, "error": exc}
        ) from None
    header = [" ".join(cell.split()) for cell in records[0][1]]
    kept = [(line, row) for line, row in records[1:] if any(cell.strip() for cell in row)]
    return Table(
        header=header,
        rows=[row for _line, row in kept],
        delimiter=delimiter,
        encoding=encoding,
        lines=[line for line, _row in kept],
    )


def _delimiter(text: str, first: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=";,\t").delimiter
    except csv.Error:
        counts = {d: first.count(d) for d in (";", "\t", ",")}
        return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"


def read_csv(data: bytes, *, encoding: str | None = None) -> Table:
    """Kept for the callers that knew only CSV: read_table reads both."""
    return read_table(data, encoding=encoding)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(data: bytes) -> Table:
    """The first sheet of an Excel file (openpyxl read-only: rows are read one at a time)."""
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportFileError(
            _("The file cannot be read as an Excel file (.xlsx). Save it again and try again.")
        ) from None
    try:
        sheet = workbook.worksheets[0]
        records = [
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
    if not records or not any(cell.strip() for cell in records[0][1]):
        raise ImportFileError(_("The first line of the file (the column names) is empty."))
    header = [" ".join(cell.split()) for cell in records[0][1]]
    while header and not header[-1]:
        header.pop()
    kept = [(line, row) for line, row in records[1:] if any(cell.strip() for cell in row)]
    return Table(
        header=header,
        rows=[row for _line, row in kept],
        delimiter="",
        encoding=XLSX,
        lines=[line for line, _row in kept],
    )


def _normalise(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def guess_mapping(header: list[str], saved: dict[str, str] | None = None) -> dict[str, int | None]:
    """{field: column index or None} from the column names; `saved` ({field: column name},
    a mapping HR saved for this source) goes first."""
    mapping: dict[str, int | None] = dict.fromkeys(FIELDS)
    names = [_normalise(column) for column in header]
    for name, column in (saved or {}).items():
        if name in mapping and column and _normalise(column) in names:
            mapping[name] = names.index(_normalise(column))
    used = {index for index in mapping.values() if index is not None}
    for index, key in enumerate(names):
        if index in used:
            continue
        for name, guesses in HEADER_GUESSES.items():
            if mapping[name] is None and key in guesses:
                mapping[name] = index
                used.add(index)
                break
    if mapping["team"] is None and mapping["department"] is not None:
        # "Afdeling" alone (Youforce) is where the teams are; next to "Team" or
        # "Organisatorische eenheid" it is the department, kept as such.
        mapping["team"], mapping["department"] = mapping["department"], None
    return mapping


def mapping_problems(mapping: dict[str, int | None], header: list[str]) -> list[str]:
    problems = []
    for name in REQUIRED_FIELDS:
        if mapping.get(name) is None:
            problems.append(_("Choose the column for '%(field)s'.") % {"field": FIELDS[name]})
    if mapping.get("name") is None and mapping.get("last_name") is None:
        problems.append(_("Choose the column for the name, or for the last name."))
    if mapping.get("personnel_number") is None and mapping.get("email") is None:
        problems.append(_("Choose a column for the personnel number or the e-mail address."))
    used = [index for index in mapping.values() if index is not None]
    if len(used) != len(set(used)):
        problems.append(_("Each column can be used for one field only."))
    if any(index >= len(header) or index < 0 for index in used):
        problems.append(_("The file has no such column."))
    return problems


def parse_date(value: str) -> datetime.date | None:
    value = value.strip()
    if len(value) > 10 and (" " in value or "T" in value):
        value = re.split(r"[ T]", value, maxsplit=1)[0]  # a date with a time: the date
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, date_format).date()
        except ValueError:
            continue
    return None

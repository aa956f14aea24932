"""Streaming CSV and XLSX writers for HR's role overviews.

Both writers take an iterable of rows (build it from `queryset.iterator(chunk_size=...)`)
and return a generator of bytes for a StreamingHttpResponse, so memory does not grow with
the number of rows:

- CSV is written row by row (UTF-8 with a byte order mark, so Excel reads the accents;
  `;` as delimiter for Excel with Dutch regional settings).
- XLSX uses openpyxl's write-only mode, which writes each row to a temporary file at once
  (strings inline, no shared-strings table in memory). The finished workbook is saved into
  a temporary file and streamed from there in chunks.

Formula neutralisation (CSV/formula injection): a text cell that begins with `=`, `+`,
`-`, `@`, a tab or a carriage return could be run as a formula by a spreadsheet. Such a
value gets an apostrophe in front (`'=1+1`), the convention spreadsheets use for "this is
text". Dates and numbers are written as real values and never neutralised.
"""

import csv
import datetime
import itertools
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from rollen.models import Role
from rollen.selectors import (
    matrix_holders_prefetch,
    matrix_row,
    matrix_teams,
    overview_roles,
    people_assignments,
    people_memberships_base,
    role_changes,
)
from teams.models import Municipality

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 64 * 1024  # bytes per streamed piece of a workbook
DELIMITERS = {"comma": ",", "semicolon": ";"}
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 20  # characters, for the XLSX column


def neutralise(value):
    """A cell value that no spreadsheet runs as a formula (see the module docstring)."""
    if isinstance(value, Promise):  # a lazy translation
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(value)


class _Echo:
    """A file-like object whose write() returns what it was given (for csv.writer)."""

    def write(self, value):
        return value


def csv_stream(
    *, columns: list[Column], rows: Iterable[Iterable], delimiter: str = ",", on_done=None
) -> Iterator[bytes]:
    """UTF-8 with BOM, one header row, then the rows; yields bytes per row.
    `on_done(rows written)` is called after the last row."""
    writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator="\r\n")
    header = [_csv_value(str(c.header)) for c in columns]  # a role name may start with =
    yield "\ufeff".encode() + writer.writerow(header).encode()
    written = 0
    for row in rows:
        yield writer.writerow([_csv_value(value) for value in row]).encode()
        written += 1
    if on_done is not None:
        on_done(written)


WIDTH_SAMPLE = 200  # rows read ahead to fit the column widths to their content
MAX_WIDTH = 60


def _text_cell(sheet, value: str, **style):
    """A cell that holds `value` as text, whatever it starts with: never a formula, and no
    apostrophe in the text (the quote prefix style tells the spreadsheet it is text)."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def xlsx_stream(
    *, title: str, columns: list[Column], rows: Iterable[Iterable], on_done=None
) -> Iterator[bytes]:
    """A workbook with one sheet: a bold, frozen header row with an autofilter, column
    widths fitted to the first rows (capped), real dates, text cells as text, landscape
    print with the header on every page and page numbers. `on_done(rows written)` is called
    when the last row is written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.print_title_rows = "1:1"
    sheet.oddFooter.center.text = _("Page &P of &N")
    rows = iter(rows)
    ahead = [list(row) for row in itertools.islice(rows, WIDTH_SAMPLE)]
    for index, column in enumerate(columns, 1):
        fitted = max(
            [_width(str(column.header)) + 2]
            + [_width(row[index - 1]) + 1 for row in ahead if index - 1 < len(row)]
        )
        width = min(MAX_WIDTH, max(8, fitted))
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    sheet.append([_text_cell(sheet, str(column.header), font=bold) for column in columns])
    written = 0
    for row in itertools.chain(ahead, rows):
        cells = []
        for value in row:
            if isinstance(value, datetime.date):
                # openpyxl writes dates; its stubs only list datetime.
                cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
                cell.number_format = DATE_FORMAT
                cells.append(cell)
            elif isinstance(value, Promise | str):
                cells.append(_text_cell(sheet, str(value)))
            else:
                cells.append(value)
        sheet.append(cells)
        written += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(1, len(columns)))}{written + 1}"
    if on_done is not None:
        on_done(written)
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        while chunk := file.read(CHUNK_SIZE):
            yield chunk


# What each overview exports: its columns and its rows, read in chunks.

ITERATOR_CHUNK = 500  # rows fetched (and held) at a time: this bounds the memory


@dataclass
class Export:
    name: str  # used in the file name: rollen-<name>-<date>.<ext>
    columns: list[Column]
    rows: Iterator[list]
    row_count: int


def matrix_export(*, on: datetime.date, filters) -> Export:

    roles = overview_roles(filters=filters)
    teams = matrix_teams(filters=filters)
    count = teams.count()
    teams = teams.prefetch_related(matrix_holders_prefetch(on=on, filters=filters))

    def rows():
        for team in teams.iterator(chunk_size=ITERATOR_CHUNK):
            row = matrix_row(team, roles)
            yield [
                team.name,
                team.get_municipality_display(),
                *(", ".join(p.get_full_name() for p in people) for people in row.holders_per_role),
            ]

    columns = [Column(_("Team"), 30), Column(_("Municipality"), 20)]
    columns += [Column(role.name, 40) for role in roles]
    return Export(name="matrix", columns=columns, rows=rows(), row_count=count)


def people_export(*, on: datetime.date, filters) -> Export:
    """One row per person, team and role held on `on`; a member without a role in that team
    gets one row with the role empty.

    Plain tuples (values_list) per chunk instead of model instances with prefetched
    relations: those form reference cycles (assignment ↔ employee) that only the cyclic
    garbage collector frees, and memory would creep up with the number of rows."""
    memberships = people_memberships_base(on=on, filters=filters)
    count = memberships.count()
    roles = {role.pk: role.name for role in Role.objects.all()}
    municipalities = {key: str(label) for key, label in Municipality.choices}
    assignments = people_assignments(on=on, filters=filters)
    columns = (
        "employee_id", "employee__name", "employee__username", "employee__personnel_number",
        "employee__email", "team_id", "team__name", "team__municipality", "since",
    )  # fmt: skip

    def rows():
        values = memberships.values_list(*columns).iterator(chunk_size=ITERATOR_CHUNK)
        while chunk := list(itertools.islice(values, ITERATOR_CHUNK)):
            held: dict[tuple[int, int], list[tuple[int, datetime.date]]] = {}
            for employee_id, team_id, role_id, since in assignments.filter(
                employee_id__in={row[0] for row in chunk}
            ).values_list("employee_id", "team_id", "role_id", "since"):
                held.setdefault((employee_id, team_id), []).append((role_id, since))
            for employee_id, name, username, number, email, team_id, team, where, since in chunk:
                start = [
                    name or username,
                    number,
                    email,
                    team,
                    municipalities.get(where, where),
                    since,
                ]
                team_roles = held.get((employee_id, team_id), [])
                if not team_roles:
                    yield [*start, "", None]
                for role_id, role_since in team_roles:
                    yield [*start, roles[role_id], role_since]

    columns_out = [
        Column(_("Name"), 30),
        Column(_("Personnel number"), 16),
        Column(_("E-mail address"), 36),
        Column(_("Team"), 30),
        Column(_("Municipality"), 20),
        Column(_("Member since"), 14),
        Column(_("Role"), 40),
        Column(_("Role since"), 14),
    ]
    return Export(name="personen", columns=columns_out, rows=rows(), row_count=count)


def compare_export(*, date_from: datetime.date, date_to: datetime.date, filters) -> Export:

    gained, lost = role_changes(date_from=date_from, date_to=date_to, filters=filters)
    count = gained.count() + lost.count()

    def rows():
        for change, assignments in ((_("gained"), gained), (_("lost"), lost)):
            for assignment in assignments.iterator(chunk_size=ITERATOR_CHUNK):
                yield [
                    str(change),
                    assignment.employee.get_full_name(),
                    assignment.employee.personnel_number,
                    assignment.team.name,
                    assignment.role.name,
                    assignment.since,
                    assignment.until,
                ]

    columns = [
        Column(_("Change"), 12),
        Column(_("Name"), 30),
        Column(_("Personnel number"), 16),
        Column(_("Team"), 30),
        Column(_("Role"), 40),
        Column(_("Since"), 14),
        Column(_("Until"), 14),
    ]
    return Export(name="vergelijking", columns=columns, rows=rows(), row_count=count)

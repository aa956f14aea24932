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

Every person created, changed or deactivated is audited on its own, with the fields that
changed (teams.services); the import as a whole is one more event with the counts.

Modules: `parse` (reading the file, header mapping, dates), `rows` (the rows checked),
`plan` (what applying would do), `apply` (the dry run and applying, through the services).
This package re-exports what the pages, the command and the tests use.
"""

from rollen.imports.apply import ImportChanged, ImportNeedsConfirmation, import_apply, import_plan
from rollen.imports.parse import (
    DATE_FORMATS,
    FIELDS,
    HEADER_GUESSES,
    REQUIRED_FIELDS,
    ImportFileError,
    Table,
    guess_mapping,
    mapping_problems,
    parse_date,
    read_csv,
    read_table,
)
from rollen.imports.result import Action, ImportPlan
from rollen.imports.rows import Row

__all__ = [
    "DATE_FORMATS",
    "FIELDS",
    "HEADER_GUESSES",
    "REQUIRED_FIELDS",
    "Action",
    "ImportChanged",
    "ImportFileError",
    "ImportNeedsConfirmation",
    "ImportPlan",
    "Row",
    "Table",
    "guess_mapping",
    "import_apply",
    "import_plan",
    "mapping_problems",
    "parse_date",
    "read_csv",
    "read_table",
]

"""Finding the file's people among the existing employees: set-based, in chunks, with
whether each is an account the import may not re-identify."""

from collections.abc import Iterable, Iterator

from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower

from rollen.imports.rows import Row
from teams.models import HR_GROUP, MANAGEMENT_GROUP, Employee

CHUNK = 500  # values per IN (...) lookup: a fixed number of queries per 500 rows
# What an import never changes on a superuser, staff member or HR/management account.
PROTECTED_FIELDS = ("email", "username", "personnel_number", "is_active")


def chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def is_protected(person: Employee) -> bool:
    """An account that can do more than a member: never re-identified by an import."""
    return bool(
        person.is_superuser or person.is_staff or getattr(person, "in_protected_group", False)
    )


def people_query():
    groups = Employee.groups.through.objects.filter(
        employee_id=OuterRef("pk"), group__name__in=[HR_GROUP, MANAGEMENT_GROUP]
    )
    return Employee.objects.annotate(email_lower=Lower("email"), in_protected_group=Exists(groups))


class People:
    """Existing employees by personnel number and by e-mail address: set-based lookups,
    one query per CHUNK numbers and one per CHUNK addresses."""

    def __init__(self, rows: list[Row]):
        numbers = sorted({row.personnel_number for row in rows if row.personnel_number})
        emails = sorted({row.email.lower() for row in rows if row.email})
        self.by_number: dict[str, Employee] = {}
        self.by_email: dict[str, Employee] = {}
        found: dict[int, Employee] = {}
        for part in chunks(numbers):
            for person in people_query().filter(personnel_number__in=part):
                found.setdefault(person.pk, person)
        for part in chunks(emails):
            for person in people_query().filter(email_lower__in=part):
                found.setdefault(person.pk, person)
        for person in found.values():
            if person.personnel_number:
                self.by_number[person.personnel_number] = person
            if person.email:
                self.by_email[person.email.lower()] = person

    def find(self, row: Row) -> tuple[Employee | None, str]:
        """(the person, how: "number" or "email"), or (None, "")."""
        if row.personnel_number and row.personnel_number in self.by_number:
            return self.by_number[row.personnel_number], "number"
        if row.email and row.email.lower() in self.by_email:
            return self.by_email[row.email.lower()], "email"
        return None, ""

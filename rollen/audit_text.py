"""Audit events in plain Dutch (or English) for HR's audit tab and its CSV export."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DESCRIPTIONS = {
    "employee.create": gettext_lazy("Person added"),
    "employee.update": gettext_lazy("Details changed"),
    "employee.deactivate": gettext_lazy("Marked inactive"),
    "employee.anonymise": gettext_lazy("Personal details removed (anonymised)"),
    "employee.hr_details": gettext_lazy("Department or FTE changed"),
    "membership.start": gettext_lazy("Joined a team"),
    "membership.end": gettext_lazy("Left a team"),
    "role.assign": gettext_lazy("Took a role"),
    "role.end": gettext_lazy("Stopped in a role"),
    "import": gettext_lazy("Import of a file"),
    "import.conflict": gettext_lazy("Import refused: an administrator, HR or management account"),
    "import.mapping": gettext_lazy("Column choices saved"),
    "export": gettext_lazy("Download of an overview"),
}


def describe(event) -> str:
    """One line: what happened, and the fields before → after."""
    text = str(DESCRIPTIONS.get(event.action, event.action))
    changes = event.changes or {}
    if changes:
        parts = [
            f"{_field(name)}: {_value(before)} → {_value(after)}"
            for name, (before, after) in changes.items()
        ]
        text += " (" + "; ".join(parts) + ")"
    return text


def _field(name: str) -> str:
    """The field's own label (naam, e-mailadres, sinds, ...) where one of ours has it."""
    from rollen.models import PersonHRDetails, RoleAssignment
    from teams.models import Employee

    for model in (Employee, RoleAssignment, PersonHRDetails):
        try:
            return str(getattr(model._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:
            continue  # not a field of this model: try the next
    return name


def _value(value) -> str:
    if value in (None, "", []):
        return _("empty")
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)

"""What a plan holds: the actions in order, the problems and warnings, and the summary
every plan opens with."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from rollen.imports.rows import Row

# The summary every plan opens with, in this order.
SUMMARY = {
    "create_person": gettext_lazy("New people"),
    "update_person": gettext_lazy("Changed people"),
    "start_membership": gettext_lazy("Memberships started"),
    "end_membership": gettext_lazy("Memberships ended"),
    "assign_role": gettext_lazy("Roles started"),
    "roles_ended": gettext_lazy("Roles ended (also those ending with a membership)"),
    "deactivate_person": gettext_lazy("People marked inactive"),
}
# Actions that end something in bulk: applying needs an explicit confirmation.
ENDING_KINDS = {"end_role", "end_membership", "deactivate_person"}


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
    manages_roles: bool = True
    general_problems: list[str] = field(default_factory=list)
    warnings: list[tuple[int | None, str]] = field(default_factory=list)  # must be accepted
    roles_ending_with_memberships: int = 0

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

    def summary(self) -> list[tuple[str, str, int]]:
        """[(key, label, count)] in the order of SUMMARY, zeros included."""
        counts = self.counts()
        counts["roles_ended"] = counts.get("end_role", 0) + self.roles_ending_with_memberships
        return [(key, str(label), counts.get(key, 0)) for key, label in SUMMARY.items()]

    @property
    def ends_things(self) -> bool:
        return any(action.kind in ENDING_KINDS for action in self.actions)

    @property
    def fingerprint(self) -> str:
        """Changes when the plan changes: applying checks it against the preview."""
        text = "\n".join(f"{a.kind}|{a.description}" for a in self.actions)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

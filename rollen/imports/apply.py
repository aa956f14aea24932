"""Carrying the plan out through the services that hold the portal's rules: for real
(import_apply, all or nothing) or as a dry run that is always rolled back (import_plan)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import audit_record
from rollen.imports.parse import ImportFileError, Table
from rollen.imports.plan import Action, ImportPlan, planned_work
from rollen.imports.rows import Row, parse_rows
from rollen.services import role_assign, role_end
from teams.models import Employee
from teams.services import (
    employee_create,
    employee_deactivate,
    employee_update,
    membership_end,
    membership_start,
)


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
        people[row.key] = employee_create(
            username=_username_for(row),
            name=row.name,
            email=row.email,
            personnel_number=row.personnel_number,
            actor=actor,
        )
    elif action.kind == "update_person":
        employee_update(employee=data["person"], changes=data["changes"], actor=actor)
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
        # Ends the roles held in the team too (teams.signals.membership_ended).
        membership_end(membership=data["membership"], until=data["until"], actor=actor)
    elif action.kind == "deactivate_person":
        employee_deactivate(employee=data["person"], on=data["until"], actor=actor)
    else:  # pragma: no cover - the kinds above are all planned_work makes
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
    rows = parse_rows(table, mapping, today)
    work = planned_work(rows=rows, today=today, deactivate_missing=deactivate_missing, actor=actor)
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
    rows = parse_rows(table, mapping, today)
    if any(row.problems for row in rows) or not table.rows:
        raise ImportFileError(_("The file has problems; nothing was changed. Check it first."))
    work = planned_work(rows=rows, today=today, deactivate_missing=deactivate_missing, actor=actor)
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

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
from rollen.imports.plan import Work, planned_work
from rollen.imports.result import Action, ImportPlan
from rollen.imports.rows import Row, parse_rows
from rollen.notices import notify_email_changed
from rollen.services import hr_details_set, role_assign, role_end
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


def _carry_out(action: Action, data: dict, people: dict, actor=None) -> None:
    """One action, through the services that hold the portal's rules (audited as `actor`).
    `people` keeps what this import created: people by row key, memberships by (row key,
    team id)."""
    if action.kind == "create_person":
        row = data["row"]
        people[row.key] = employee_create(
            username=_username_for(row),
            name=row.name,
            email=row.email,
            personnel_number=row.personnel_number,
            actor=actor,
        )
        details = {"department": row.department} if row.department else {}
        if row.fte is not None:
            details["fte"] = row.fte
        if details:
            hr_details_set(employee=people[row.key], changes=details, actor=actor)
    elif action.kind == "update_details":
        hr_details_set(employee=data["person"], changes=data["changes"], actor=actor)
    elif action.kind == "update_person":
        old_email = data["person"].email
        person = employee_update(employee=data["person"], changes=data["changes"], actor=actor)
        if "email" in data["changes"] and old_email:
            # The reset links sent to the old address stop working by themselves (Django's
            # tokens hash the e-mail address); the old address is told about the change.
            notify_email_changed(person=person, old_email=old_email)
    elif action.kind == "start_membership":
        row = data["row"]
        people[(row.key, row.team.pk)] = membership_start(
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
        membership = data["membership"]
        if membership is None:  # started by this import, from a row with an end date
            membership = people[(data["row"].key, data["row"].team.pk)]
        membership_end(membership=membership, until=data["until"], actor=actor)
    elif action.kind == "deactivate_person":
        employee_deactivate(employee=data["person"], on=data["until"], actor=actor)
    else:  # pragma: no cover - the kinds above are all planned_work makes
        raise ValueError(action.kind)


def _person(data: dict, people: dict) -> Employee:
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
    work = _work(rows, mapping, today, deactivate_missing, actor)
    plan = _plan(rows, work, mapping, today, deactivate_missing)
    if not table.rows:
        plan.general_problems.append(_("The file has no rows below the column names."))
    for line, person, fields in work.conflicts:
        # Someone tried (or a file would) re-identify an account that can do more than a
        # member: refused, and on record.
        audit_record(
            actor=actor,
            action="import.conflict",
            obj=person,
            details={"line": line, "fields": fields, "refused": True},
        )
    by_number = {row.number: row for row in rows}
    try:
        with transaction.atomic():
            people: dict = {}
            for action, data in work.items:
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


def _work(rows, mapping, today, deactivate_missing, actor) -> Work:
    return planned_work(
        rows=rows,
        today=today,
        deactivate_missing=deactivate_missing,
        actor=actor,
        manage_roles=mapping.get("roles") is not None,
    )


def _plan(rows, work: Work, mapping, today, deactivate_missing) -> ImportPlan:
    return ImportPlan(
        rows=rows,
        actions=[action for action, _data in work.items],
        today=today,
        deactivate_missing=deactivate_missing,
        manages_roles=mapping.get("roles") is not None,
        warnings=work.warnings,
        roles_ending_with_memberships=work.roles_ending_with_memberships,
    )


class ImportChanged(Exception):
    """The data changed between the dry run and applying; check the preview again."""


class ImportNeedsConfirmation(Exception):
    """The plan ends roles, memberships or people, or matches people by e-mail address
    only: applying needs the user's explicit yes."""


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
    confirm_ends: bool = True,
    accept_email_matches: bool = True,
) -> ImportPlan:
    """Carry out the import, all or nothing. Raises ImportFileError when the file has
    problems (nothing changes), ImportChanged when the plan is not the one previewed,
    ImportNeedsConfirmation when it ends things without `confirm_ends` or matches people
    by e-mail without `accept_email_matches`. (The command passes both; the page asks.)"""
    today = today or timezone.localdate()
    rows = parse_rows(table, mapping, today)
    if any(row.problems for row in rows) or not table.rows:
        raise ImportFileError(_("The file has problems; nothing was changed. Check it first."))
    work = _work(rows, mapping, today, deactivate_missing, actor)
    plan = _plan(rows, work, mapping, today, deactivate_missing)
    if plan.has_problems:
        raise ImportFileError(_("The file has problems; nothing was changed. Check it first."))
    if expected_fingerprint is not None and plan.fingerprint != expected_fingerprint:
        raise ImportChanged(
            _("The data changed since your check. Check the file again before applying.")
        )
    if plan.ends_things and not confirm_ends:
        raise ImportNeedsConfirmation(
            _("Confirm that roles, memberships or people may be ended. Nothing was changed.")
        )
    if plan.warnings and not accept_email_matches:
        raise ImportNeedsConfirmation(
            _("Accept the people found by e-mail address first. Nothing was changed.")
        )
    people: dict = {}
    for action, data in work.items:
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
            "summary": {key: count for key, _label, count in plan.summary()},
            "manages_roles": plan.manages_roles,
            "email_matches_accepted": len(plan.warnings),
            "deactivate_missing": deactivate_missing,
            "source": "command" if actor is None else "web",
        },
    )
    return plan

"""What the portal holds about one employee (AVG right of access), gathered from all apps.

One selector feeds both the page and the JSON download, so the two cannot drift apart.
Besides the known sections (SECTIONS), every other record that refers to the employee
through a foreign key or many-to-many field is listed generically, also through relations
without a reverse name (related_name="+"), so that data added by a new app is not forgotten
(tests/security/test_personal_data.py walks every field that points at the user model).

Team scan answers are stored without a link to the person (docs/decisions/0013-scan-privacy.md):
the page lists the rounds the person took part in, and their own answers only while a round
is still open (the only time the portal can still find them).
"""

import datetime
from decimal import Decimal
from typing import cast

from django.db import models
from django.utils import timezone

from audit.models import AuditEvent
from doelen.models import CheckIn, Goal, Reaction
from ontwikkeling.models import ScanResponse, ScanRound, Statement, TeamResponsibility
from ontwikkeling.personal.selectors import personal_data_rows
from ontwikkeling.selectors import own_answers
from portal import privacy_teamwork
from rollen.models import RoleAssignment
from teams.models import Employee, Membership, Team

# Never shown or exported: secrets, not personal data.
PROFILE_EXCLUDE = {"password"}
# Relations to the employee covered by a section of their own: (app, model, field) → the
# section's key in personal_data(). Every other relation is listed under "other_records".
SECTIONS = {
    ("teams", "membership", "employee"): "memberships",
    ("teams", "team", "managers"): "teams_managed",
    ("rollen", "roleassignment", "employee"): "roles",
    ("doelen", "goal", "owner"): "goals_owned",
    ("doelen", "goal", "created_by"): "goals_created",
    ("doelen", "checkin", "author"): "check_ins",
    ("doelen", "reaction", "author"): "reactions",
    ("audit", "auditevent", "actor"): "audit_events_by_you",
    ("ontwikkeling", "scanresponse", "respondent"): "scan_participation",
    ("ontwikkeling", "scanround", "created_by"): "scan_rounds_opened",
    ("ontwikkeling", "teamresponsibility", "changed_by"): "responsibility_changes",
    ("ontwikkeling", "developmentintention", "employee"): "development_intentions",
    **privacy_teamwork.SECTIONS,
}
GENERIC_EXCLUDE = set(SECTIONS)


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, bytes | memoryview):
        # An uploaded HR file: it is about many people, so its size, not its content.
        return f"({len(value)} bytes)"
    return value


def _profile(employee: Employee) -> list[dict]:
    rows = []
    for field in Employee._meta.concrete_fields:
        if field.name in PROFILE_EXCLUDE:
            continue
        rows.append(
            {
                "field": field.name,
                "label": str(field.verbose_name),
                "value": _plain(getattr(employee, field.attname)),
            }
        )
    rows.append(
        {
            "field": "groups",
            "label": str(Employee._meta.get_field("groups").verbose_name),
            "value": sorted(employee.groups.values_list("name", flat=True)),
        }
    )
    rows.append(
        {
            "field": "user_permissions",
            "label": str(Employee._meta.get_field("user_permissions").verbose_name),
            "value": sorted(
                f"{app}.{codename}"
                for app, codename in employee.user_permissions.values_list(
                    "content_type__app_label", "codename"
                )
            ),
        }
    )
    rows.append(
        {
            "field": "has_usable_password",
            "label": "has_usable_password",
            "value": employee.has_usable_password(),
        }
    )
    return rows


def relations_to_employee() -> list[tuple[type[models.Model], models.Field]]:
    """Every field of every model that points at the user model (foreign key, one-to-one,
    many-to-many), including those without a reverse accessor (related_name="+")."""
    found = []
    for relation in Employee._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete:
            continue  # forward fields of Employee itself (groups, permissions)
        # A class once the apps are loaded; the stubs also allow the string "self".
        model = cast(type[models.Model], relation.related_model)
        if model._meta.auto_created:
            continue  # the table behind a many-to-many field: its field is listed instead
        found.append((model, cast(models.Field, relation.remote_field)))
    return found


def _other_records(employee: Employee) -> list[dict]:
    """Rows of any other model that points at the employee (see relations_to_employee)."""
    found = []
    for model, field in relations_to_employee():
        key = (model._meta.app_label, model._meta.model_name, field.name)
        if key in GENERIC_EXCLUDE:
            continue
        rows = list(model._default_manager.filter(**{field.name: employee}).values())
        if rows:
            found.append(
                {
                    "kind": model._meta.label_lower,
                    "label": str(model._meta.verbose_name_plural),
                    "field": field.name,
                    "rows": [{k: _plain(v) for k, v in row.items()} for row in rows],
                }
            )
    return found


def _scan_participation(employee: Employee) -> list[dict]:
    """The rounds the employee took part in; their own answers only while the round is
    open (after that they are no longer linked to anyone)."""
    today = timezone.localdate()
    responses = (
        ScanResponse.objects.filter(respondent=employee)
        .select_related("round__team")
        .order_by("-round__opens_on", "-round_id")
    )
    statements = {
        statement.pk: statement
        for statement in Statement.objects.select_related("theme").order_by("theme__order", "order")
    }
    rows = []
    for response in responses:
        scan_round = response.round
        is_open = scan_round.is_open(today)
        answers = own_answers(scan_round=scan_round, respondent=employee) if is_open else {}
        rows.append(
            {
                "team": scan_round.team.name,
                "opens_on": _plain(scan_round.opens_on),
                "closes_on": _plain(scan_round.closes_on),
                "open": is_open,
                "answers": [
                    {
                        "theme": statements[statement_id].theme.name,
                        "statement": statements[statement_id].text,
                        "score": score,
                    }
                    for statement_id, score in sorted(
                        answers.items(),
                        key=lambda item: (
                            statements[item[0]].theme.order,
                            statements[item[0]].order,
                        ),
                    )
                ],
            }
        )
    return rows


def personal_data(*, employee: Employee) -> dict:
    """Everything the portal holds about `employee`, as JSON-safe plain values."""
    memberships = (
        Membership.objects.filter(employee=employee).select_related("team").order_by("since")
    )
    roles = (
        RoleAssignment.objects.filter(employee=employee)
        .select_related("team", "role")
        .order_by("since", "pk")
    )
    goals = Goal.objects.filter(owner=employee).select_related("team").order_by("due_date", "pk")
    goals_created = (
        Goal.objects.filter(created_by=employee)
        .exclude(owner=employee)
        .select_related("team", "owner")
        .order_by("due_date", "pk")
    )
    rounds_opened = (
        ScanRound.objects.filter(created_by=employee)
        .select_related("team")
        .order_by("-opens_on", "-pk")
    )
    responsibility_changes = (
        TeamResponsibility.objects.filter(changed_by=employee)
        .select_related("team", "responsibility")
        .order_by("-created_at", "-pk")
    )
    teams_managed = Team.objects.filter(managers=employee).order_by("name")
    check_ins = (
        CheckIn.objects.filter(author=employee)
        .select_related("goal__team")
        .order_by("-created_at", "-pk")
    )
    reactions = (
        Reaction.objects.filter(author=employee)
        .select_related("check_in__goal__team")
        .order_by("-created_at", "-pk")
    )
    actor_events = AuditEvent.objects.filter(actor=employee).order_by("-at", "-pk")
    about_events = AuditEvent.objects.filter(
        object_type=Employee._meta.label_lower, object_id=str(employee.pk)
    ).order_by("-at", "-pk")

    def event(e: AuditEvent) -> dict:
        return {
            "at": _plain(e.at),
            "action": e.action,
            "kind": e.object_type,
            "record": e.object_repr,
            "changes": e.changes,
        }

    return {
        "generated_at": _plain(timezone.now()),
        "profile": _profile(employee),
        "memberships": [
            {"team": m.team.name, "since": _plain(m.since), "until": _plain(m.until)}
            for m in memberships
        ],
        "roles": [
            {
                "team": r.team.name,
                "role": r.role.name,
                "since": _plain(r.since),
                "until": _plain(r.until),
                "note": r.note,
            }
            for r in roles
        ],
        "goals_owned": [
            {
                "team": g.team.name,
                "title": g.title,
                "status": g.status,
                "start_date": _plain(g.start_date),
                "due_date": _plain(g.due_date),
            }
            for g in goals
        ],
        "goals_created": [
            {
                "team": g.team.name,
                "title": g.title,
                "owner": g.owner.get_full_name() if g.owner else None,
                "status": g.status,
                "due_date": _plain(g.due_date),
            }
            for g in goals_created
        ],
        "teams_managed": [{"team": t.name, "active": t.is_active} for t in teams_managed],
        "scan_participation": _scan_participation(employee),
        "scan_rounds_opened": [
            {
                "team": r.team.name,
                "opens_on": _plain(r.opens_on),
                "closes_on": _plain(r.closes_on),
            }
            for r in rounds_opened
        ],
        "responsibility_changes": [
            {
                "at": _plain(c.created_at),
                "team": c.team.name,
                "responsibility": c.responsibility.name,
                "state": c.state,
                "since": _plain(c.since),
                "note": c.note,
            }
            for c in responsibility_changes
        ],
        "development_intentions": [
            {
                **{key: _plain(value) for key, value in row.items() if key != "notes"},
                "notes": [{k: _plain(v) for k, v in note.items()} for note in row["notes"]],
            }
            for row in personal_data_rows(employee=employee)
        ],
        "check_ins": [
            {
                "at": _plain(c.created_at),
                "team": c.goal.team.name,
                "goal": c.goal.title,
                "value": _plain(c.value),
                "confidence": c.confidence,
                "comment": c.comment,
            }
            for c in check_ins
        ],
        # Reactions on check-ins (doelen.reactions), retracted ones too: the portal keeps them.
        "reactions": [
            {
                "at": _plain(r.created_at),
                "team": r.check_in.goal.team.name,
                "goal": r.check_in.goal.title,
                "text": r.text,
                "retracted_at": _plain(r.retracted_at),
            }
            for r in reactions
        ],
        "agreements": privacy_teamwork.agreements(employee),
        "contributions": privacy_teamwork.contributions(employee),
        "audit_events_by_you": [event(e) for e in actor_events],
        "audit_events_about_you": [event(e) for e in about_events],
        "other_records": _other_records(employee),
    }

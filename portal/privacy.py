"""What the portal holds about one employee (AVG right of access), gathered from all apps.

One selector feeds both the page and the JSON download, so the two cannot drift apart.
Besides the known sections, every other record that refers to the employee through a
foreign key is listed generically, so that data added by a new app is not forgotten.
"""

import datetime
from decimal import Decimal
from typing import cast

from django.db import models
from django.utils import timezone

from audit.models import AuditEvent
from doelen.models import CheckIn, Goal
from rollen.models import RoleAssignment
from teams.models import Employee, Membership

# Never shown or exported: secrets, not personal data.
PROFILE_EXCLUDE = {"password"}
# Relations covered by a section of their own, or not data about the person.
GENERIC_EXCLUDE = {
    ("teams", "membership", "employee"),
    ("rollen", "roleassignment", "employee"),
    ("doelen", "goal", "owner"),
    ("doelen", "checkin", "author"),
}


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
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
            "field": "has_usable_password",
            "label": "has_usable_password",
            "value": employee.has_usable_password(),
        }
    )
    return rows


def _other_records(employee: Employee) -> list[dict]:
    """Rows of any other model that points at the employee (foreign key or many-to-many)."""
    found = []
    for relation in Employee._meta.related_objects:
        # A class once the apps are loaded; the stubs also allow the string "self".
        model = cast(type[models.Model], relation.related_model)
        key = (model._meta.app_label, model._meta.model_name, relation.field.name)
        if key in GENERIC_EXCLUDE:
            continue
        rows = list(model._default_manager.filter(**{relation.field.name: employee}).values())
        if rows:
            found.append(
                {
                    "kind": model._meta.label_lower,
                    "label": str(model._meta.verbose_name_plural),
                    "field": relation.field.name,
                    "rows": [{k: _plain(v) for k, v in row.items()} for row in rows],
                }
            )
    return found


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
    check_ins = (
        CheckIn.objects.filter(author=employee)
        .select_related("goal__team")
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
        "audit_events_by_you": [event(e) for e in actor_events],
        "audit_events_about_you": [event(e) for e in about_events],
        "other_records": _other_records(employee),
    }

"""What the portal holds about one employee (AVG right of access), gathered from all apps.

One selector feeds both the page and the JSON download, so the two cannot drift apart.
Besides the known sections, every other record that refers to the employee through a
foreign key is listed generically, so that data added by a new app is not forgotten.
"""

import datetime
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from doelen.models import CheckIn, Confidence, Goal, GoalStatus
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


# --- The page: the same data in words people understand (labels, local times, events). ---

PROFILE_LABELS = {  # in the order the page shows them
    "name": _("Name"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "username": _("User name"),
    "email": _("E-mail address"),
    "personnel_number": _("Personnel number"),
    "preferred_language": _("Language of the portal"),
    "reminders_paused_until": _("Reminders paused until"),
    "digest_enabled": _("Weekly overview by e-mail"),
    "is_active": _("Your account is in use"),
    "is_staff": _("You may use the administration"),
    "is_superuser": _("You have all rights in the administration"),
    "date_joined": _("Account made on"),
    "last_login": _("Last logged in"),
    "id": _("Your number in the portal"),
    "groups": _("Groups (what you may see and do)"),
    "has_usable_password": _("You log in with a password"),
}

EVENT_DESCRIPTIONS = {
    "goal.create": _("Added a team goal"),
    "goal.update": _("Changed a team goal"),
    "goal.status": _("Finished, stopped or archived a team goal"),
    "goal.check_in": _("Recorded progress on a team goal"),
    "goal.carry_over": _("Carried a team goal over to a new period"),
    "role.assign": _("Gave someone a role"),
    "role.end": _("Ended someone's role"),
    "membership.start": _("Added someone to a team"),
    "membership.end": _("Ended someone's membership of a team"),
    "scan_round.open": _("Started a round of the team scan"),
    "responsibility.change": _("Changed who holds a responsibility"),
    "development_goal.create": _("Added a development goal"),
    "personal_data.download": _("Downloaded your data"),
    "import": _("Imported people and teams"),
    "export": _("Downloaded an overview"),
    "employee.anonymise": _("Removed the personal data of a former employee"),
}


def _readable(value):
    """An ISO date or time (as personal_data gives them) in local time and words; numbers
    without trailing zeros; everything else as it is."""
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            parsed = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) == 10:
            return date_format(parsed.date(), "j F Y")
        if timezone.is_aware(parsed):
            parsed = timezone.localtime(parsed)
        return date_format(parsed, "j F Y, H:i")
    return value


def _number(value):
    try:
        number = Decimal(str(value))
    except (ArithmeticError, ValueError):
        return value
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    return number_format(number)


def personal_data_page(data: dict) -> dict:
    """personal_data() for the page: labels, local times and readable event descriptions."""
    languages = dict(settings.LANGUAGES)
    statuses = dict(GoalStatus.choices)
    confidences = dict(Confidence.choices)
    profile = []
    for row in data["profile"]:
        value = row["value"]
        if row["field"] == "preferred_language" and value:
            value = "Nederlands" if value == "nl" else languages.get(value, value)
        elif row["field"] == "groups":
            value = ", ".join(value) if value else None
        else:
            value = _readable(value)
        label = PROFILE_LABELS.get(row["field"], capfirst(row["label"]))
        profile.append({"field": row["field"], "label": label, "value": value})

    def event(e: dict) -> dict:
        return {
            "at": _readable(e["at"]),
            "description": EVENT_DESCRIPTIONS.get(e["action"], e["action"]),
            "record": e["record"],
        }

    # Who you are first, then settings, then what the portal records about the account.
    order = list(PROFILE_LABELS)
    profile.sort(key=lambda row: order.index(row["field"]) if row["field"] in order else 99)
    return {
        "profile": profile,
        "memberships": [
            {**m, "since": _readable(m["since"]), "until": _readable(m["until"])}
            for m in data["memberships"]
        ],
        "roles": [
            {**r, "since": _readable(r["since"]), "until": _readable(r["until"])}
            for r in data["roles"]
        ],
        "goals_owned": [
            {
                **g,
                "status": statuses.get(g["status"], g["status"]),
                "due_date": _readable(g["due_date"]),
            }
            for g in data["goals_owned"]
        ],
        "check_ins": [
            {
                **c,
                "at": _readable(c["at"]),
                "value": _number(c["value"]),
                "confidence": confidences.get(c["confidence"], c["confidence"]),
            }
            for c in data["check_ins"]
        ],
        "audit_events_by_you": [event(e) for e in data["audit_events_by_you"]],
        "audit_events_about_you": [event(e) for e in data["audit_events_about_you"]],
        "other_records": data["other_records"],
    }

"""The personal-data page: what portal.privacy.personal_data() gathers, in words people
understand (labels, local times, readable descriptions of audit events). The JSON download
keeps the data as it is."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from doelen.models import Confidence, GoalStatus

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
    "goal.close_period": _("Closed or carried over a team's remaining goals at once"),
    "role.assign": _("Gave someone a role"),
    "role.end": _("Ended someone's role"),
    "membership.start": _("Added someone to a team"),
    "membership.end": _("Ended someone's membership of a team"),
    "scan_round.open": _("Started a round of the team scan"),
    "responsibility.change": _("Changed who holds a responsibility"),
    "development_goal.create": _("Added a development goal"),
    "agreement.create": _("Recorded a team agreement"),
    "agreement.update": _("Changed a team agreement"),
    "agreement.retire": _("Retired a team agreement"),
    "goal.contribution_add": _("Added a contribution to a team goal"),
    "goal.contribution_end": _("Ended a contribution to a team goal"),
    "personal_data.download": _("Downloaded your data"),
    "development_intention.create": _("Wrote a development intention"),
    "development_intention.update": _("Changed a development intention"),
    "development_intention.note": _("Added a progress note to a development intention"),
    "development_intention.share": _("Changed who may read a development intention"),
    "development_intention.status": _("Completed, archived or reopened a development intention"),
    "development_intention.erase": _("Deleted the development intentions of a former employee"),
    "import": _("Imported people and teams"),
    "export": _("Downloaded an overview"),
    "employee.anonymise": _("Removed the personal data of a former employee"),
    "employee.create": _("Added a person to the portal"),
    "employee.update": _("Changed someone's details"),
    "employee.deactivate": _("Turned off someone's account"),
    "employee.sign_in": _("Logged in with the organisation account"),
    "employee.sign_in_refused": _("Was refused when logging in with an organisation account"),
    "employee.link_account": _("Linked the account to the organisation account"),
    "employee.break_glass": _("Logged in with an emergency access link"),
    "import.apply": _("Imported people and teams"),
    "scan.answer": _("Answered the team scan"),
    "scan_round.close": _("Closed a round of the team scan"),
    "employee.hr_details": _("Changed someone's department or FTE"),
    "import.conflict": _("An import tried to change a protected account"),
    "import.mapping": _("Saved the column choices of an import"),
    "goal.request_update": _("Asked the owner of a goal for an update"),
    "check_in.react": _("Reacted to a progress update"),
    "check_in.retract_reaction": _("Retracted a reaction to a progress update"),
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
        "reactions": [_readable_row(row) for row in data["reactions"]],
        "audit_events_by_you": [event(e) for e in data["audit_events_by_you"]],
        "audit_events_about_you": [event(e) for e in data["audit_events_about_you"]],
        "other_records": data["other_records"],
        # The sections of issue #13 (templates/privacy/_more_records.html), dates in words.
        **{
            key: [_readable_row(row) for row in data[key]]
            for key in (
                "goals_created",
                "teams_managed",
                "scan_participation",
                "scan_rounds_opened",
                "responsibility_changes",
                "development_intentions",
                "agreements",
                "contributions",
            )
        },
    }


def _readable_row(row: dict) -> dict:
    return {
        key: [_readable_row(v) if isinstance(v, dict) else v for v in value]
        if isinstance(value, list)
        else _readable(value)
        for key, value in row.items()
    }

"""The personal-data sections of issue #20: the person's team agreements and contributions
to goals (portal.privacy gathers them with the rest). One query per section."""

from django.db.models import Q

from afspraken.models import Agreement, AgreementVersion
from doelen.models import GoalContribution
from teams.models import Employee

# (app, model, field) -> section key, merged into portal.privacy.SECTIONS.
SECTIONS = {
    ("afspraken", "agreementversion", "owner"): "agreements",
    ("afspraken", "agreementversion", "changed_by"): "agreements",
    ("afspraken", "agreement", "retired_by"): "agreements",
    ("doelen", "goalcontribution", "member"): "contributions",
    ("doelen", "goalcontribution", "added_by"): "contributions",
    ("doelen", "goalcontribution", "ended_by"): "contributions",
}


def _iso(value):
    return value.isoformat() if value is not None else None


def agreements(employee: Employee) -> list[dict]:
    """Every version of an agreement the person owned or wrote, and agreements they retired."""
    versions = (
        AgreementVersion.objects.filter(Q(owner=employee) | Q(changed_by=employee))
        .select_related("agreement__team", "owner")
        .order_by("agreement_id", "number")
    )
    rows = [
        {
            "team": v.agreement.team.name,
            "title": v.title,
            "version": v.number,
            "text": v.text,
            "owner": v.owner.get_full_name(),
            "you_own_it": v.owner_id == employee.pk,
            "you_changed_it": v.changed_by_id == employee.pk,
            "at": _iso(v.changed_at),
            "review_on": _iso(v.review_on),
        }
        for v in versions
    ]
    retired = Agreement.objects.filter(retired_by=employee).select_related("team", "current")
    rows += [
        {
            "team": a.team.name,
            "title": str(a),
            "retired_by_you_on": _iso(a.retired_on),
            "reason": a.retired_reason,
        }
        for a in retired
    ]
    return rows


def contributions(employee: Employee) -> list[dict]:
    """The person's contributions to goals, and those they recorded or ended for others."""
    found = (
        GoalContribution.objects.filter(
            Q(member=employee) | Q(added_by=employee) | Q(ended_by=employee)
        )
        .select_related("goal__team", "member")
        .order_by("since", "pk")
    )
    return [
        {
            "team": c.goal.team.name,
            "goal": c.goal.title,
            "member": c.member.get_full_name(),
            "yours": c.member_id == employee.pk,
            "description": c.description,
            "since": _iso(c.since),
            "until": _iso(c.until),
        }
        for c in found
    ]

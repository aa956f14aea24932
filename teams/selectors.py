"""Reads about people and teams that feed pages."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from teams.models import Employee, Membership, Municipality, Team


def serving(municipality: str, prefix: str = "") -> Q:
    """Teams that serve `municipality`: a team that serves both serves each of them (#17);
    "both" selects the teams that serve both; "" selects every team."""
    if not municipality:
        return Q()
    if municipality == Municipality.BOTH:
        return Q(**{f"{prefix}municipality": Municipality.BOTH})
    return Q(**{f"{prefix}municipality__in": [municipality, Municipality.BOTH]})


def teams_of_employee(*, employee: Employee, on: datetime.date | None = None) -> QuerySet[Team]:
    """The active teams the employee is a member of on `on` (default today)."""
    on = on or timezone.localdate()
    team_ids = Membership.objects.current(on).filter(employee=employee).values("team_id")
    return Team.objects.active().filter(pk__in=team_ids).order_by("name")


def current_memberships(*, team: Team, on: datetime.date | None = None) -> QuerySet[Membership]:
    return (
        Membership.objects.current(on)
        .filter(team=team)
        .select_related("employee")
        .order_by("employee__name")
    )

"""Which teams a person sees on the dashboards."""

import datetime

from django.db.models import Q, QuerySet

from teams.access import sees_all_teams
from teams.models import Employee, Membership, Team


def dashboard_teams(*, user: Employee, on: datetime.date) -> QuerySet[Team]:
    """The active teams on a person's dashboard: all of them for HR and management, else the
    teams they manage and the teams they are a member of. Each is annotated `is_managed`."""
    managed = Team.managers.through.objects.filter(employee_id=user.pk).values("team_id")
    teams = Team.objects.active().annotate(is_managed=Q(pk__in=managed))
    if sees_all_teams(user):
        return teams.order_by("name")
    member_of = Membership.objects.current(on).filter(employee_id=user.pk).values("team_id")
    return teams.filter(Q(pk__in=managed) | Q(pk__in=member_of)).order_by("name")

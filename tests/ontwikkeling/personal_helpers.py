"""Shared set-up for the personal-development tests (issue #20)."""

import datetime

from django.utils import timezone

from ontwikkeling.personal import services
from ontwikkeling.personal.models import Sharing
from tests.factories import EmployeeFactory, MembershipFactory, RoleAssignmentFactory, role

TODAY = timezone.localdate()
SECRET_AIM = "Zilvervis-verbinding tussen wijkteam en bibliotheek"
SECRET_NOTE = "Kraanvogel-gesprek met de bibliothecaris gevoerd"


def holds(employee, team, slug="samenwerkingspartner", since_days=200, until=None):
    return RoleAssignmentFactory(
        employee=employee,
        team=team,
        role=role(slug),
        since=TODAY - datetime.timedelta(days=since_days),
        until=until,
    )


def intention(employee, *, aim=SECRET_AIM, slug="samenwerkingspartner", sharing=Sharing.PRIVATE):
    return services.intention_create(
        employee=employee,
        role=role(slug),
        aim=aim,
        approach="Elke maand een kop koffie",
        target_date=TODAY + datetime.timedelta(days=90),
        sharing=sharing,
    )


def colleague(team, name="Cor Collega"):
    employee = EmployeeFactory(name=name)
    MembershipFactory(employee=employee, team=team)
    return employee

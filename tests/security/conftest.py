"""Sample objects for the security tests: one of each thing a URL can point at."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps

from audit.services import audit_record
from tests.factories import (
    CheckInFactory,
    GoalFactory,
    RoleAssignmentFactory,
    hr_file_samples,
)

PERSONAS = (
    "anonymous",
    "member",
    "other_member",
    "manager",
    "other_manager",
    "hr",
    "superuser",
)


@dataclass
class Samples:
    team: object
    other_team: object
    member: object
    goal: object
    check_in: object
    role_assignment: object
    extra: dict  # objects of apps that may or may not be installed, by name


@pytest.fixture
def samples(team, other_team, member, other_member, manager, other_manager, hr, superuser):
    goal = GoalFactory(team=team, owner=member, title="Wachttijd omlaag")
    check_in = CheckInFactory(goal=goal, author=member, value=Decimal(20))
    assignment = RoleAssignmentFactory(
        employee=member,
        team=team,
        since=member.memberships.get().since + datetime.timedelta(days=1),
    )
    audit_record(actor=member, action="goal.update", obj=goal, changes={"title": ["a", "b"]})
    extra = {}
    extra.update(hr_file_samples(owner=hr))
    extra["reaction"] = (
        apps.get_model("doelen", "Reaction")
        .objects.create(check_in=check_in, author=manager, text="Mooi!")
        .pk
    )
    if apps.is_installed("afspraken"):
        from tests.factories import GoalContributionFactory, make_agreement

        extra["agreement"] = make_agreement(team=team, owner=member).pk
        extra["contribution"] = GoalContributionFactory(goal=goal, member=member).pk
    if apps.is_installed("ontwikkeling"):
        responsibility = apps.get_model("ontwikkeling", "Responsibility").objects.first()
        extra["responsibility"] = responsibility.slug if responsibility else "planning"
        intention = apps.get_model("ontwikkeling", "DevelopmentIntention").objects.create(
            employee=member, role=assignment.role, aim="Verbinden over grenzen heen"
        )
        extra["intention"] = intention.pk
    return Samples(
        team=team,
        other_team=other_team,
        member=member,
        goal=goal,
        check_in=check_in,
        role_assignment=assignment,
        extra=extra,
    )


@pytest.fixture
def persona_client(request, client):
    """persona_client(name) gives a test client logged in as that persona (or anonymous)."""
    from django.test import Client

    def make(name: str) -> Client:
        new = Client()
        if name != "anonymous":
            new.force_login(request.getfixturevalue(name))
        return new

    return make

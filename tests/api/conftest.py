"""An organisation for the API tests and a key per scope."""

import datetime

import pytest
from django.utils import timezone

from api.models import Scope
from api.services import create_token
from ontwikkeling.reference import ensure_reference
from tests.factories import (
    CheckInFactory,
    EmployeeFactory,
    GoalFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    TeamFactory,
    objective,
    role,
)
from tests.ontwikkeling.helpers import make_round, respond

COMMENT = "Geheim commentaar 7f3a"


def build_organisation(*, teams: int = 2, people: int = 6):
    """`teams` teams with `people` members each, two roles each, two goals with check-ins
    (with a comment), and a closed scan round with enough responses in the first team."""
    ensure_reference()
    today = timezone.localdate()
    created = []
    for t in range(teams):
        team = TeamFactory(municipality="boxtel" if t % 2 == 0 else "sint-michielsgestel")
        created.append(team)
        members = []
        for _p in range(people):
            person = EmployeeFactory(personnel_number=f"P{team.pk:03}{_p:03}")
            MembershipFactory(team=team, employee=person)
            RoleAssignmentFactory(team=team, employee=person, role=role("vakman"))
            RoleAssignmentFactory(
                team=team,
                employee=person,
                role=role("facilitator"),
                since=today - datetime.timedelta(days=10),
            )
            members.append(person)
        for _g in range(2):
            goal = GoalFactory(team=team)
            goal.objectives.add(objective("kwaliteit") if _has("kwaliteit") else _any())
            CheckInFactory(goal=goal, author=members[0], value=40, comment=COMMENT)
        if t == 0:
            scan_round = make_round(
                team,
                opens_on=today - datetime.timedelta(days=40),
                closes_on=today - datetime.timedelta(days=20),
            )
            for person in members:
                respond(scan_round, person, 4)
    return created


def _has(slug):
    from doelen.models import OrganisationObjective

    return OrganisationObjective.objects.filter(slug=slug).exists()


def _any():
    from doelen.models import OrganisationObjective

    return OrganisationObjective.objects.order_by("pk").first()


@pytest.fixture
def organisation(db):
    return build_organisation()


@pytest.fixture
def make_key(db):
    def make(*scopes: str, expires_in=datetime.timedelta(days=30)) -> str:
        _token, key = create_token(
            name="test " + " ".join(scopes),
            scopes=list(scopes),
            expires_at=timezone.now() + expires_in,
            actor=None,
        )
        return key

    return make


@pytest.fixture
def all_scopes_key(make_key):
    return make_key(*Scope.values)


@pytest.fixture
def api_get(client):
    def get(path: str, key: str | None = None, **headers):
        if key:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        return client.get(path, **headers)

    return get

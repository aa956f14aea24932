"""The number of queries per dashboard page does not grow with teams, goals or check-ins:
the same maximum holds for a small and a larger organisation."""

import pytest
from django.urls import reverse

from tests.dashboard.helpers import busy_team
from tests.factories import MembershipFactory, TeamFactory, objective

pytestmark = pytest.mark.django_db

# Session, user, groups and the session save included.
# Includes the development programme sections (weakest theme, profile, responsibilities).
MAX_QUERIES = {"index": 16, "team": 24, "organisation": 20}


@pytest.fixture(params=[2, 6], ids=["2-teams", "6-teams"])
def organisation(request, manager, member, team):
    teams = [team]
    teams += [TeamFactory() for _ in range(request.param - 1)]
    for index, each in enumerate(teams):
        goals = busy_team(each, goals=2 + index)
        goals[0].objectives.add(objective("kosten"))
        each.managers.add(manager)
        if each != team:
            MembershipFactory(team=each, employee=member)
    return teams


@pytest.mark.parametrize("persona", ["manager", "hr", "member"])
def test_manager_dashboard_queries(
    client_for, organisation, persona, request, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(persona))
    with django_assert_max_num_queries(MAX_QUERIES["index"]):
        response = client.get(reverse("dashboard:index") + "?objective=kosten&sort=name")
    assert len(response.context["summaries"]) == len(organisation)


@pytest.mark.parametrize("persona", ["manager", "hr"])
def test_team_dashboard_queries(
    client_for, organisation, persona, request, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("dashboard:team", kwargs={"slug": organisation[-1].slug})
    with django_assert_max_num_queries(MAX_QUERIES["team"]):
        response = client.get(url + "?period=year")
    assert response.status_code == 200


def test_organisation_view_queries(client_for, organisation, hr, django_assert_max_num_queries):
    client = client_for(hr)
    with django_assert_max_num_queries(MAX_QUERIES["organisation"]):
        response = client.get(reverse("dashboard:organisation"))
    assert response.context["overview"].team_count == len(organisation)

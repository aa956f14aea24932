"""The number of queries per dashboard page does not grow with teams, goals or check-ins:
the same numbers hold for a small and a larger organisation, on the first request (nothing
cached: `cold`) and on the next one (`warm`, served from the dashboards' cache)."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboards.periods import Period
from tests.dashboard.helpers import busy_team
from tests.factories import MembershipFactory, TeamFactory, objective

pytestmark = pytest.mark.django_db

# Session, user, groups and the session save included. Cold includes the development
# programme sections (weakest theme, responsibilities); the team dashboard's development
# profile depends on the viewer and is never cached.
QUERIES = {
    # Cold: four for the teamwork signals (dashboards.teamwork: overdue agreements, goals,
    # contributions, members), three more on the team dashboard for who carries what (#20).
    # Cold, index and organisation: one for the goals the signals name, with their owners
    # (dashboards.flagged, #17); the team dashboard reads them with its goals.
    "index": {"cold": 22, "warm": 9},
    "team": {"cold": 28, "warm": 8},
    "organisation": {"cold": 24, "warm": 8},
}


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


def counted_get(client, url) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(context.captured_queries)


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def assert_counts(page: str, client, url, extra: int = 0):
    first, cold = counted_get(client, url)
    second, warm = counted_get(client, url)
    assert (cold, warm) == (QUERIES[page]["cold"] + extra, QUERIES[page]["warm"] + extra)
    assert main_of(first) == main_of(second)  # the CSRF token outside <main> differs
    return first


@pytest.mark.parametrize("persona", ["manager", "hr", "member"])
def test_manager_dashboard_queries(client_for, organisation, persona, request):
    client = client_for(request.getfixturevalue(persona))
    response = assert_counts(
        "index",
        client,
        reverse("dashboard:index") + "?objective=kosten&sort=name",
        # A manager's teams: how many members have a development intention (issue #20),
        # one query outside the cache, whatever the number of teams.
        extra=1 if persona == "manager" else 0,
    )
    assert len(response.context["summaries"]) == len(organisation)


@pytest.mark.parametrize("persona", ["manager", "hr"])
def test_team_dashboard_queries(client_for, organisation, persona, request):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("dashboard:team", kwargs={"slug": organisation[-1].slug})
    assert_counts("team", client, url + "?period=year")


def test_organisation_view_queries(client_for, organisation, hr):
    response = assert_counts("organisation", client_for(hr), reverse("dashboard:organisation"))
    assert response.context["team_count"] == len(organisation)


@pytest.mark.parametrize("page", ["index", "team", "organisation"])
def test_a_past_period_reads_as_many_queries(client_for, organisation, hr, page):
    """A past period reads each goal's latest check-in before its end in a subquery
    (GoalQuerySet's `until`, #17): the same counts, whatever the number of goals."""
    past = Period.quarter(timezone.localdate()).previous()
    urls = {
        "index": reverse("dashboard:index"),
        "team": reverse("dashboard:team", kwargs={"slug": organisation[-1].slug}),
        "organisation": reverse("dashboard:organisation"),
    }
    query = past.as_query() | ({"objective": "kosten"} if page == "index" else {})
    assert_counts(page, client_for(hr), urls[page] + "?" + urlencode(query))

"""No page grows with the people it is not about (issue 21). Each browser page is rendered
cold (the dashboards' cache emptied) with 300 and with 600 extra people in another team, and
the pages about one team or goal also without them: the SQL queries must be the same and the
rendered size may differ by a few bytes at most (a count of people or rows in the text). A
choice list of everyone, a list of names without paging, a chart of the whole organisation:
each would add kilobytes here. The goal page's queries are also pinned exactly."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rollen.models import Role, RoleAssignment
from teams.models import Employee, Membership, Team
from tests.factories import CheckInFactory, GoalFactory

pytestmark = pytest.mark.django_db

SLACK_BYTES = 16  # "300 memberships" → "600 memberships", and the like
GOAL_PAGE_QUERIES = 17  # with contributions and reactions on the page (#20, #17)

# (name, persona, url builder, local): local pages are about one team or goal and are also
# compared with the organisation before any extra people arrive.
PAGES = [
    ("start", "manager", lambda t, g: reverse("home"), True),
    ("team page", "manager", lambda t, g: reverse("team_detail", args=[t.slug]), True),
    ("goal page", "manager", lambda t, g: reverse("doelen:detail", args=[g.pk]), True),
    ("goal page (member)", "member", lambda t, g: reverse("doelen:detail", args=[g.pk]), True),
    ("goal edit", "manager", lambda t, g: reverse("doelen:edit", args=[g.pk]), True),
    ("new goal", "manager", lambda t, g: reverse("doelen:new", args=[t.slug]), True),
    ("manager dashboard", "manager", lambda t, g: reverse("dashboard:index"), True),
    ("team dashboard", "manager", lambda t, g: reverse("dashboard:team", args=[t.slug]), True),
    ("development", "manager", lambda t, g: reverse("ontwikkeling:team", args=[t.slug]), True),
    ("my data", "member", lambda t, g: reverse("personal_data"), True),
    ("HR roles of a team", "hr", lambda t, g: reverse("rollen:team", args=[t.slug]), True),
    ("HR dashboard", "hr", lambda t, g: reverse("dashboard:index"), False),
    ("organisation view", "hr", lambda t, g: reverse("dashboard:organisation"), False),
    ("development, organisation", "hr", lambda t, g: reverse("ontwikkeling:organisation"), False),
    ("HR overview", "hr", lambda t, g: reverse("rollen:matrix"), False),
    ("HR per person", "hr", lambda t, g: reverse("rollen:people"), False),
    ("HR numbers", "hr", lambda t, g: reverse("rollen:counts"), False),
    ("HR compare", "hr", lambda t, g: reverse("rollen:compare"), False),
    ("HR find a person", "hr", lambda t, g: reverse("rollen:person_search") + "?q=X", False),
    ("HR audit", "hr", lambda t, g: reverse("rollen:audit"), False),
]


def add_people(team, count: int, start: int) -> None:
    """`count` people in `team`, each holding a role there; bulk, as an HR import would."""
    today = timezone.localdate()
    roles = list(Role.objects.order_by("order"))
    people = Employee.objects.bulk_create(
        Employee(username=f"extra{start + i}", name=f"X Extra {start + i}") for i in range(count)
    )
    Membership.objects.bulk_create(Membership(employee=p, team=team, since=today) for p in people)
    RoleAssignment.objects.bulk_create(
        RoleAssignment(employee=p, team=team, role=roles[i % len(roles)], since=today)
        for i, p in enumerate(people)
    )


def rendered(client, url) -> tuple[int, int]:
    caches["dashboards"].clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries), len(response.content)


@pytest.fixture
def organisation(team, member, manager, hr, other_member):
    goal = GoalFactory(team=team, owner=member, unit="%")
    start = timezone.now() - datetime.timedelta(days=30)
    for day in range(3):
        CheckInFactory(
            goal=goal, author=member, value=Decimal(10 * day), created_at=start.replace(day=1)
        )
    return goal


@pytest.mark.parametrize("name,persona,url_for,local", PAGES, ids=[p[0] for p in PAGES])
def test_rendered_size_does_not_grow_with_people_elsewhere(
    client, request, team, other_team, organisation, name, persona, url_for, local
):
    client.force_login(request.getfixturevalue(persona))
    url = url_for(team, organisation)
    rendered(client, url)  # the session's first write, the lazy groups
    before = rendered(client, url)
    add_people(other_team, 300, start=0)
    middle = rendered(client, url)
    add_people(other_team, 300, start=300)
    after = rendered(client, url)
    compared = [before, middle, after] if local else [middle, after]
    queries = {q for q, _size in compared}
    sizes = [size for _q, size in compared]
    assert len(queries) == 1, f"{name}: queries {[q for q, _s in compared]}"
    assert max(sizes) - min(sizes) <= SLACK_BYTES, f"{name}: bytes {sizes}"
    if name == "goal page":
        assert before[0] == GOAL_PAGE_QUERIES


@pytest.mark.parametrize(
    "url", [reverse("dashboard:organisation"), reverse("dashboard:index")], ids=["org", "hr"]
)
def test_the_organisation_wide_dashboards_do_not_grow_with_the_number_of_teams(
    client, hr, team, url, monkeypatch
):
    """Issue 21: the organisation view drew a heat-map row per team (724 KB at 1,000 teams).
    It maps the COVERAGE_ROWS least covered teams and lists 25 teams that need attention;
    HR's dashboard shows a page of cards. With 30 and with 60 more teams (each needs
    attention: nobody holds a role) the queries are the same and the size differs by a
    count or a page link at most."""
    from dashboards import organisation

    monkeypatch.setattr(organisation, "COVERAGE_ROWS", 5)
    client.force_login(hr)
    sizes, queries = [], set()
    for _ in range(2):
        Team.objects.bulk_create(
            Team(name=f"Extra {Team.objects.count()}-{i}", slug=f"extra-{Team.objects.count()}-{i}")
            for i in range(30)
        )
        count, size = rendered(client, url)
        queries.add(count)
        sizes.append(size)
    assert len(queries) == 1
    assert sizes[1] - sizes[0] <= 200, sizes  # "31 of 61 teams", one more page link

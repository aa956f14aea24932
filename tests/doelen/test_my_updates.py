"""'Mijn updates' and the managers' start section: each goal saved on its own (plain and
htmx), errors next to that goal only, the daily e-mail links to it; query counts pinned."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from dashboards import cache as dashboard_cache
from doelen import reminders
from doelen.models import CheckIn
from doelen.reminders import ReminderKind
from tests.doelen.reminder_helpers import NOW, TODAY, quiet_goal
from tests.factories import EmployeeFactory, GoalFactory, MembershipFactory, TeamFactory

pytestmark = [pytest.mark.django_db]
URL = "/mijn-updates/"


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.SITE_URL = "https://zelfsturing.example.nl"
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def two_goals(team, member):
    first = quiet_goal(team=team, owner=member, days_quiet=30, title="Eerste doel")
    second = quiet_goal(team=team, owner=member, days_quiet=20, title="Tweede doel")
    return first, second


def _post(client, goal, value, *, token, htmx=False, comment="", confidence="on_track"):
    data = {
        "goal": goal.pk,
        f"g{goal.pk}-value": value,
        f"g{goal.pk}-confidence": confidence,
        f"g{goal.pk}-comment": comment,
        f"g{goal.pk}-once": token,
    }
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(URL, data, **headers)


def test_lists_only_my_stale_started_goals(client_for, team, member, two_goals):
    quiet_goal(team=team, owner=member, days_quiet=2, title="Vers doel")
    planned = quiet_goal(team=team, owner=member, days_quiet=30, title="Nog niet begonnen")
    planned.start_date = TODAY + datetime.timedelta(days=5)
    planned.save()
    quiet_goal(team=team, owner=EmployeeFactory(), days_quiet=30, title="Van een ander")
    html = client_for(member).get(URL).content.decode()
    assert "Eerste doel" in html and "Tweede doel" in html
    for absent in ("Vers doel", "Nog niet begonnen", "Van een ander"):
        assert absent not in html


def test_each_goal_is_saved_on_its_own_plain_and_htmx(client_for, member, two_goals):
    first, second = two_goals
    client = client_for(member)
    response = _post(client, first, "40", token="tok-1")
    assert response.status_code == 302 and response.url == URL
    assert list(CheckIn.objects.values_list("goal_id", "value")) == [(first.pk, Decimal(40))]

    response = _post(client, second, "55", token="tok-2", htmx=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="my-update-{second.pk}"' in html and "is opgeslagen" in html
    assert "<html" not in html  # only that goal's block
    assert CheckIn.objects.filter(goal=second, value=Decimal(55)).count() == 1
    # The same token again (a double click): stored once.
    _post(client, second, "55", token="tok-2", htmx=True)
    assert CheckIn.objects.count() == 2
    assert f'id="my-update-{first.pk}"' not in client.get(URL).content.decode()


def test_an_error_is_shown_next_to_that_goal_only(client_for, member, two_goals):
    first, second = two_goals
    response = _post(client_for(member), first, "140", token="tok-3")
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("Een percentage ligt tussen 0 en 100") >= 1
    block = html.split(f'id="my-update-{first.pk}"')[1].split(f'id="my-update-{second.pk}"')[0]
    assert "Een percentage ligt tussen 0 en 100" in block
    assert not CheckIn.objects.exists()

    htmx = _post(client_for(member), first, "", token="tok-4", htmx=True, confidence="off_track")
    assert "Leg in een toelichting uit" in htmx.content.decode()
    assert f'id="my-update-{first.pk}"' in htmx.content.decode()


@pytest.mark.parametrize("persona", ["other_member", "outsider"])
def test_others_cannot_check_in_through_it(request, client_for, persona, two_goals):
    response = _post(client_for(request.getfixturevalue(persona)), two_goals[0], "40", token="x")
    assert response.status_code == 403
    assert not CheckIn.objects.exists()


def test_daily_reminder_links_to_it_with_latest_value_and_target(member, team):
    quiet_goal(team=team, owner=member, days_quiet=30, title="Met waarde", with_check_in=True)
    reminders.send_all(kind=ReminderKind.DAILY, on=TODAY)
    (message,) = mail.outbox
    assert "https://zelfsturing.example.nl/mijn-updates/" in message.body
    assert "laatste waarde: 10%" in message.body and "doel: 100%" in message.body


def _add_goals(member, count):
    for _ in range(count):
        quiet_goal(team=member.memberships.first().team, owner=member, days_quiet=30)


def test_query_count_is_pinned_at_two_sizes(client_for, member, team, django_assert_num_queries):
    client = client_for(member)
    _add_goals(member, 1)
    client.get(URL)
    with django_assert_num_queries(7) as small:
        client.get(URL)
    _add_goals(member, 12)
    with django_assert_num_queries(len(small.captured_queries)):
        html = client.get(URL).content.decode()
    assert html.count('class="my-update"') == 13


# The managers' section of the start page


def _managed_team(manager, *, stale):
    team = TeamFactory()
    team.managers.add(manager)
    owner = EmployeeFactory()
    MembershipFactory(team=team, employee=owner)
    for _ in range(stale):
        quiet_goal(team=team, owner=owner, days_quiet=40)
    GoalFactory(team=team, owner=owner)
    return team


def test_manager_without_membership_sees_teams_and_waiting_goals(client_for, manager, team):
    owner = EmployeeFactory(name="Olle Eigenaar")
    MembershipFactory(team=team, employee=owner)
    quiet_goal(team=team, owner=owner, days_quiet=40, title="Lang stil")
    html = client_for(manager).get("/").content.decode()
    assert "Wacht op jou" in html and "Lang stil" in html and "Olle Eigenaar" in html
    assert "al 40 dagen geen update" in html
    assert "Vraag om een update" in html
    assert "Teams die je leidt" in html or "Vergunningen" in html
    assert "Je bent nog geen lid van een team" not in html
    assert "Al je doelen zijn bijgewerkt" not in html


def test_member_keeps_own_section_without_manager_section(client_for, member):
    html = client_for(member).get("/").content.decode()
    assert "Wacht op jou" not in html
    assert "Nodig: een update van jou" in html or "update van jou" in html


def test_manager_start_query_count_is_pinned(client_for, manager, django_assert_num_queries):
    """Cold dashboards cache at both sizes: the figures of all teams in a fixed number."""
    client = client_for(manager)
    _managed_team(manager, stale=1)
    client.get("/")
    dashboard_cache._cache().clear()
    with django_assert_num_queries(20) as small:  # +1: the goals signals name (#17)
        client.get("/")
    for _ in range(4):
        _managed_team(manager, stale=3)
    dashboard_cache._cache().clear()
    with django_assert_num_queries(len(small.captured_queries)):
        html = client.get("/").content.decode()
    assert html.count('class="request-update') == 13

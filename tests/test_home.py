"""The start page and the team page: content per persona and a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from doelen.models import Confidence, GoalStatus
from teams.models import UpdateRhythm
from tests.factories import (
    CheckInFactory,
    EmployeeFactory,
    GoalFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
NOW = datetime.datetime(2026, 6, 15, 10, tzinfo=TZ)


def at_days_ago(days):
    return time_machine.travel(NOW - datetime.timedelta(days=days), tick=False)


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def add_team_with_goals(member, *, goals: int, check_ins: int, name=None):
    team = TeamFactory(**({"name": name} if name else {}))
    MembershipFactory(employee=member, team=team)
    colleague = EmployeeFactory()
    MembershipFactory(employee=colleague, team=team)
    RoleAssignmentFactory(employee=colleague, team=team)
    for _ in range(goals):
        with at_days_ago(60):
            goal = GoalFactory(team=team, owner=colleague)
        for day in range(check_ins):
            with at_days_ago(50 - day):
                CheckInFactory(goal=goal, author=colleague, value=Decimal(10 + day))
    return team


def test_start_page_shows_my_teams_with_their_active_goals(client_for, member, team, now):
    goal = GoalFactory(team=team, title="Sneller vergunnen")
    CheckInFactory(goal=goal, author=member, value=Decimal(40), confidence=Confidence.ON_TRACK)
    GoalFactory(team=team, title="Oud doel", status=GoalStatus.ARCHIVED)
    GoalFactory(title="Doel van een ander team")
    html = client_for(member).get("/").content.decode()
    assert team.name in html and "Sneller vergunnen" in html
    assert "Oud doel" not in html and "Doel van een ander team" not in html
    assert 'aria-valuenow="40"' in html and "badge-confidence-on_track" in html
    assert "/teams/vergunningen/doelen/nieuw/" in html


def test_start_page_lists_goals_that_need_an_update_from_me(client_for, member, team, now):
    team.update_rhythm = UpdateRhythm.WEEKLY
    team.save()
    colleague = EmployeeFactory()
    MembershipFactory(employee=colleague, team=team)
    with at_days_ago(30):
        mine = GoalFactory(team=team, owner=member, title="Mijn stil doel")
        unowned = GoalFactory(team=team, title="Teamdoel zonder eigenaar")
        theirs = GoalFactory(team=team, owner=colleague, title="Doel van collega")
        fresh = GoalFactory(team=team, owner=member, title="Vers doel")
        elsewhere = GoalFactory(title="Stil doel elders")
    with at_days_ago(2):
        CheckInFactory(goal=fresh, author=member)
    html = client_for(member).get("/").content.decode()
    needs = html.split('id="needs-update-heading"')[1].split('id="my-teams-heading"')[0]
    assert mine.title in needs and unowned.title in needs
    assert theirs.title not in needs and fresh.title not in needs
    assert elsewhere.title not in needs
    assert f'href="{mine.get_absolute_url()}#check-in"' in needs and "Bijwerken" in needs


def test_start_page_without_teams_or_stale_goals(client_for, outsider):
    html = client_for(outsider).get("/").content.decode()
    assert "Je bent nog geen lid van een team" in html
    assert "Al je doelen zijn bijgewerkt" in html


def test_start_page_runs_a_fixed_number_of_queries(
    client_for, member, now, django_assert_max_num_queries
):
    client = client_for(member)
    add_team_with_goals(member, goals=1, check_ins=1)
    client.get("/")
    with django_assert_max_num_queries(20) as small:
        client.get("/")
    for _ in range(3):
        add_team_with_goals(member, goals=6, check_ins=5)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get("/")
    assert response.content.decode().count('class="card card-goal"') == 19
    assert len(large.captured_queries) == len(small.captured_queries)


# --- team page --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "can_edit"),
    [
        ("member", True),
        ("manager", True),
        ("other_member", False),
        ("other_manager", False),
        ("hr", False),
        ("outsider", False),
    ],
)
def test_team_page_shows_goals_to_everyone_and_edit_actions_to_editors(
    request, client_for, team, persona, can_edit
):
    user = request.getfixturevalue(persona)
    GoalFactory(team=team, title="Klanttevredenheid 8+")
    response = client_for(user).get(team.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200 and "Klanttevredenheid 8+" in html
    assert ("/teams/vergunningen/doelen/nieuw/" in html) is can_edit
    assert ("Je kunt de doelen van dit team lezen" in html) is not can_edit
    assert "?toon=afgerond" not in html  # no closed goals: no link to an empty list


def test_team_page_for_anonymous_sends_to_log_in(client, team):
    response = client.get(team.get_absolute_url())
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_closed_goals_are_one_click_away(client_for, member, team):
    GoalFactory(team=team, title="Loopt nog")
    GoalFactory(team=team, title="Gehaald doel", status=GoalStatus.ACHIEVED)
    GoalFactory(team=team, title="Gestopt doel", status=GoalStatus.STOPPED)
    client = client_for(member)
    html = client.get(team.get_absolute_url()).content.decode()
    assert "Loopt nog" in html and "Gehaald doel" not in html
    assert 'href="/teams/vergunningen/?toon=afgerond"' in html
    assert "Toon 2 afgeronde, gestopte of gearchiveerde doelen" in html
    html = client.get(team.get_absolute_url() + "?toon=afgerond").content.decode()
    assert "Gehaald doel" in html and "Gestopt doel" in html and "Loopt nog" not in html


def test_archived_team_page_is_read_only(client_for, member, team):
    team.is_active = False
    team.save()
    html = client_for(member).get(team.get_absolute_url()).content.decode()
    assert "Dit team is gearchiveerd" in html and "/doelen/nieuw/" not in html


def test_unknown_team_is_404(client_for, member):
    assert client_for(member).get("/teams/bestaat-niet/").status_code == 404


def test_team_page_runs_a_fixed_number_of_queries(
    client_for, member, now, django_assert_max_num_queries
):
    client = client_for(member)
    team = add_team_with_goals(member, goals=1, check_ins=1, name="Klein")
    client.get(team.get_absolute_url())
    with django_assert_max_num_queries(20) as small:
        client.get(team.get_absolute_url())
    for _ in range(10):
        with at_days_ago(60):
            goal = GoalFactory(team=team)
        for day in range(4):
            with at_days_ago(40 - day):
                CheckInFactory(goal=goal, author=member)
        GoalFactory(team=team, status=GoalStatus.ARCHIVED)
        person = EmployeeFactory()
        MembershipFactory(employee=person, team=team)
        RoleAssignmentFactory(employee=person, team=team)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(team.get_absolute_url())
    assert response.content.decode().count('class="card card-goal"') == 11
    assert len(large.captured_queries) == len(small.captured_queries)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(team.get_absolute_url() + "?toon=afgerond")


def test_team_page_shows_each_role_with_its_description_and_flags_too_few_holders(
    client_for, member, team, settings
):
    """Issue #17: the role descriptions (already in the data) on the team page, and roles with
    fewer holders than ZS_MIN_ROLE_HOLDERS flagged as on the dashboard."""
    from rollen.models import Role

    settings.ZS_MIN_ROLE_HOLDERS = 2
    RoleAssignmentFactory(employee=member, team=team)  # one vakman
    html = client_for(member).get(team.get_absolute_url()).content.decode()
    section = html.split('class="mt-4 team-roles"', 1)[1].split("</section>", 1)[0]
    roles = list(Role.objects.order_by("order"))
    assert len(roles) == 4
    for role in roles:
        assert role.name in section
        assert role.description and role.description.split("\n")[0][:40] in section
    assert section.count("te weinig rolhouders") == 1  # vakman: one holder of two
    assert section.count("geen rolhouder") == 3  # the other three: nobody
    assert "1 rolhouder" in section
    settings.ZS_MIN_ROLE_HOLDERS = 1
    html = client_for(member).get(team.get_absolute_url()).content.decode()
    section = html.split('class="mt-4 team-roles"', 1)[1].split("</section>", 1)[0]
    assert "te weinig rolhouders" not in section and section.count("geen rolhouder") == 3

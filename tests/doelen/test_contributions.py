"""Contributions to a goal (bijdragen) per persona, ended not deleted; the team page and the
dashboard show per member what they carry; the carrying signal with frozen data and the
ZS_CARRY_SHARE threshold."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from dashboards.teamwork import teamwork_figures, teamwork_signals
from doelen.models import GoalContribution, GoalStatus
from doelen.services import contribution_add
from tests.factories import EmployeeFactory, GoalFactory, MembershipFactory

pytestmark = pytest.mark.django_db
TEAM_PAGE_QUERIES = 20  # the team page, at both sizes (measured; +2 for the roles section, #17)


@pytest.fixture
def colleague(team):
    person = EmployeeFactory(username="fatima", name="Fatima Bakr")
    MembershipFactory(employee=person, team=team)
    return person


@pytest.fixture
def goal(team, member):
    return GoalFactory(team=team, owner=member, title="Wachttijd omlaag")


def _add(client, goal, person, description="belt de aanvragers"):
    url = reverse("doelen:contribution_add", args=[goal.pk])
    return client.post(url, {"member": person.pk, "description": description})


@pytest.mark.parametrize("persona", ["member", "manager"])
def test_members_and_managers_add_and_end(request, client_for, goal, colleague, persona):
    client = client_for(request.getfixturevalue(persona))
    assert _add(client, goal, colleague).status_code == 302
    contribution = GoalContribution.objects.get()
    assert contribution.member == colleague and contribution.is_current
    html = client.get(goal.get_absolute_url()).content.decode()
    assert "Fatima Bakr" in html and "belt de aanvragers" in html
    end = reverse("doelen:contribution_end", args=[goal.pk, contribution.pk])
    assert client.post(end).status_code == 302
    contribution.refresh_from_db()
    assert not contribution.is_current and GoalContribution.objects.count() == 1  # kept
    html = client.get(goal.get_absolute_url()).content.decode()
    assert "Eerdere bijdragen" in html
    assert [e.action for e in AuditEvent.objects.order_by("pk")] == [
        "goal.contribution_add",
        "goal.contribution_end",
    ]


@pytest.mark.parametrize("persona", ["other_member", "hr", "outsider"])
def test_others_read_but_do_not_change(request, client_for, goal, colleague, persona):
    contribution = contribution_add(goal=goal, member=colleague, description="x", actor=colleague)
    client = client_for(request.getfixturevalue(persona))
    html = client.get(goal.get_absolute_url()).content.decode()
    assert "Fatima Bakr" in html and "Bijdrage toevoegen" not in html
    assert _add(client, goal, colleague).status_code == 403
    end = reverse("doelen:contribution_end", args=[goal.pk, contribution.pk])
    assert client.post(end).status_code == 403
    contribution.refresh_from_db()
    assert contribution.is_current


def test_anonymous_is_sent_to_log_in(client, goal, colleague):
    response = _add(client, goal, colleague)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_bad_input_is_a_message(client_for, goal, member, colleague, other_member):
    client = client_for(member)
    assert _add(client, goal, other_member).status_code == 400  # not in the team
    assert _add(client, goal, member).status_code == 400  # the owner
    assert _add(client, goal, colleague, description="").status_code == 400
    assert _add(client, goal, colleague).status_code == 302
    assert _add(client, goal, colleague).status_code == 400  # twice
    assert GoalContribution.objects.count() == 1
    goal.status = GoalStatus.ACHIEVED
    goal.save()
    response = _add(client, goal, EmployeeFactory())
    assert response.status_code == 302 and GoalContribution.objects.count() == 1


def test_team_page_and_dashboard_show_who_carries_what(client_for, team, goal, manager, colleague):
    idle = EmployeeFactory(name="Ivo Idle")
    MembershipFactory(employee=idle, team=team)
    contribution_add(goal=goal, member=colleague, description="belt aanvragers", actor=manager)
    client = client_for(manager)
    for url in (team.get_absolute_url(), reverse("dashboard:team", args=[team.slug])):
        html = client.get(url).content.decode()
        assert "Wie draagt waaraan bij" in html
        assert "belt aanvragers" in html and "nog geen doel" in html
    html = client.get(reverse("dashboard:team", args=[team.slug])).content.decode()
    assert "1 teamlid draagt aan geen enkel doel bij: Ivo Idle" in html


def _signals(team):
    figures = teamwork_figures(team_ids=[team.pk], on=timezone.localdate())
    return [s.text for s in teamwork_signals(figures[team.pk]) if s.kind == "carry"]


def test_one_person_carrying_most_goals_is_signalled(team, member, colleague, settings):
    goals = [GoalFactory(team=team, owner=colleague) for _ in range(4)]
    GoalFactory(team=team, owner=member)
    GoalFactory(team=team, owner=member)
    contribution_add(goal=goals[0], member=member, description="x", actor=member)
    extra = GoalFactory(team=team, owner=member)
    contribution_add(goal=extra, member=colleague, description="y", actor=member)
    # 7 active goals: Fatima carries 5 (71%), Mila 4 (57%).
    GoalFactory(team=team, owner=colleague, status=GoalStatus.STOPPED)  # not active
    settings.ZS_CARRY_SHARE = 60
    with translation.override("nl"):
        assert _signals(team) == ["Fatima Bakr draagt 5 van de 7 doelen"]
    settings.ZS_CARRY_SHARE = 50
    with translation.override("en"):
        assert _signals(team) == [
            "Fatima Bakr carries 5 of the 7 goals",
            "Mila Lid carries 4 of the 7 goals",
        ]
    settings.ZS_CARRY_SHARE = 75
    assert _signals(team) == []


def test_few_goals_give_no_carry_signal(team, member, colleague, settings):
    settings.ZS_CARRY_SHARE = 10
    GoalFactory(team=team, owner=colleague)
    GoalFactory(team=team, owner=member)
    assert _signals(team) == []


@pytest.mark.parametrize("size", [2, 10])
def test_team_page_query_count_does_not_grow(client_for, team, manager, colleague, size):
    for _ in range(size):
        person = EmployeeFactory()
        MembershipFactory(employee=person, team=team)
        goal = GoalFactory(team=team, owner=person)
        contribution_add(goal=goal, member=colleague, description="x", actor=manager)
    client = client_for(manager)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(team.get_absolute_url()).status_code == 200
    assert len(queries) == TEAM_PAGE_QUERIES

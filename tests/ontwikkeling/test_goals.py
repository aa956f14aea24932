"""From scan to action: a development goal made from a theme is a normal team goal."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from doelen.models import Goal, GoalStatus, MeasureType
from ontwikkeling import services
from ontwikkeling.models import DevelopmentGoal
from tests.ontwikkeling.helpers import closed_round, new_member, theme

TODAY = timezone.localdate()


def goal_url(team):
    return reverse("ontwikkeling:create_goal", kwargs={"slug": team.slug})


def test_service_creates_a_normal_goal_tagged_with_the_theme(team, member):
    development = services.create_development_goal(
        team=team, theme=theme("samenwerken"), author=member
    )
    goal = Goal.objects.get()
    assert development.goal == goal
    assert goal.team == team
    assert goal.status == GoalStatus.ACTIVE
    assert goal.measure_type == MeasureType.PERCENTAGE
    assert goal.title == "Groeien op Samenwerken"
    assert goal.owner == member
    assert goal.created_by == member
    assert goal.start_date == TODAY
    assert goal.due_date == TODAY + datetime.timedelta(days=90)
    assert development.theme.slug == "samenwerken"
    assert AuditEvent.objects.filter(action="development_goal.create").exists()
    # tracked like any other goal
    assert goal in Goal.objects.active()


def test_manager_makes_goal_without_becoming_owner(team, manager):
    development = services.create_development_goal(
        team=team, theme=theme("zelfstandigheid"), author=manager, title="  Zelf plannen "
    )
    assert development.goal.title == "Zelf plannen"
    assert development.goal.owner is None


def test_one_step_from_the_weakest_theme(client_for, team, member):
    scan_round = closed_round(
        team,
        [
            (person, {"resultaatgericht-werken": 1, "samenwerken": 4})
            for person in [member, *[new_member(team) for _ in range(4)]]
        ],
    )
    page = client_for(member).get(reverse("ontwikkeling:team", kwargs={"slug": team.slug}))
    assert 'value="resultaatgericht-werken" selected' in page.content.decode()
    response = client_for(member).post(goal_url(team), {"theme": "resultaatgericht-werken"})
    assert response.status_code == 302
    development = DevelopmentGoal.objects.get()
    assert development.theme.slug == "resultaatgericht-werken"
    assert development.scan_round == scan_round
    page = client_for(member).get(response.url).content.decode()
    assert "Groeien op Resultaatgericht werken" in page


@pytest.mark.parametrize(
    "data",
    [
        {"theme": "bestaat-niet"},
        {"theme": "samenwerken", "due_date": (TODAY - datetime.timedelta(days=1)).isoformat()},
        {"theme": "samenwerken", "title": "x" * 201},
    ],
)
def test_bad_input_makes_no_goal(client_for, team, member, data):
    response = client_for(member).post(goal_url(team), data)
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not Goal.objects.exists()


@pytest.mark.parametrize(
    "persona", ["other_member", "other_manager", "hr", "management", "outsider"]
)
def test_others_cannot_make_a_development_goal(request, client_for, team, persona):
    response = client_for(request.getfixturevalue(persona)).post(
        goal_url(team), {"theme": "samenwerken"}
    )
    assert response.status_code == 403
    assert not Goal.objects.exists()


def test_archived_team_gets_no_new_goal(client_for, team, member):
    team.is_active = False
    team.save()
    response = client_for(member).post(goal_url(team), {"theme": "samenwerken"})
    assert response.status_code == 403
    assert not Goal.objects.exists()

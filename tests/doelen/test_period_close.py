"""Closing a period: a team closes or carries over all its remaining goals in one step, after
a preview that changes nothing; the confirmation works once."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from doelen.models import Goal, GoalStatus
from doelen.services_period import PeriodAction, goals_close_period
from tests.doelen.reminder_helpers import NOW, TODAY
from tests.doelen.test_views import form_fields
from tests.factories import CheckInFactory, GoalFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

DAY = datetime.timedelta(days=1)
NEW_START, NEW_DUE = datetime.date(2027, 1, 1), datetime.date(2027, 12, 31)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def goals(team, member):
    running = GoalFactory(team=team, title="Loopt", due_date=TODAY + 30 * DAY)
    overdue = GoalFactory(team=team, title="Te laat", due_date=TODAY - DAY)
    reached = GoalFactory(team=team, title="Gehaald")
    CheckInFactory(goal=reached, author=member, value=Decimal(100))
    planned = GoalFactory(
        team=team, title="Volgend jaar", start_date=TODAY + DAY, due_date=TODAY + 90 * DAY
    )
    done = GoalFactory(team=team, title="Al klaar", status=GoalStatus.ACHIEVED)
    return {
        "running": running,
        "overdue": overdue,
        "reached": reached,
        "planned": planned,
        "done": done,
    }


def url(team):
    return reverse("doelen:period_close", kwargs={"slug": team.slug})


def _status(goals):
    return {name: Goal.objects.get(pk=goal.pk).status for name, goal in goals.items()}


def test_preview_changes_nothing_and_confirm_carries_over_once(client_for, member, team, goals):
    client = client_for(member)
    fields = form_fields(client.get(url(team)).content.decode())
    fields.update(action="carry_over", start_date="2027-01-01", due_date="2027-12-31")
    fields["step"] = "preview"
    before, events = Goal.objects.count(), AuditEvent.objects.count()
    preview = client.post(url(team), fields)
    html = preview.content.decode()
    assert preview.status_code == 200
    assert (Goal.objects.count(), AuditEvent.objects.count()) == (before, events)
    rows = [step.goal.title for step in preview.context["preview"]]
    assert rows == ["Te laat", "Loopt", "Gehaald"]  # by due date; not planned, not finished
    assert "doel gehaald: gemarkeerd als behaald" in html
    confirm = form_fields(html, "")
    confirm["step"] = "confirm"
    assert client.post(url(team), confirm)["Location"] == team.get_absolute_url()
    assert client.post(url(team), confirm)["Location"] == team.get_absolute_url()  # again
    assert _status(goals) == {
        "running": GoalStatus.ARCHIVED,
        "overdue": GoalStatus.ARCHIVED,
        "reached": GoalStatus.ACHIEVED,
        "planned": GoalStatus.ACTIVE,
        "done": GoalStatus.ACHIEVED,
    }
    new = Goal.objects.filter(carried_over_from__isnull=False)
    assert sorted(g.carried_over_from.title for g in new) == ["Loopt", "Te laat"]
    assert {(g.start_date, g.due_date, g.status) for g in new} == {
        (NEW_START, NEW_DUE, GoalStatus.ACTIVE)
    }
    assert AuditEvent.objects.filter(action="goal.close_period").count() == 1


def test_close_archives_with_the_reason(member, team, goals):
    ids = [goals["running"].pk, goals["overdue"].pk, goals["planned"].pk, goals["done"].pk]
    result = goals_close_period(
        team=team, actor=member, goal_ids=ids, action=PeriodAction.CLOSE, on=TODAY, reason="Klaar"
    )
    assert result.count == 2
    assert _status(goals)["planned"] == GoalStatus.ACTIVE  # planned goals are not remaining
    archived = Goal.objects.filter(status=GoalStatus.ARCHIVED)
    assert {g.status_reason for g in archived} == {"Klaar"}
    again = goals_close_period(team=team, actor=member, goal_ids=ids, action="close", on=TODAY)
    assert again.count == 0
    assert Goal.objects.count() == 5  # nothing deleted, nothing made


def test_a_goal_added_after_the_preview_is_left_alone(member, team, goals):
    later = GoalFactory(team=team, title="Nieuw")
    goals_close_period(
        team=team, actor=member, goal_ids=[goals["running"].pk], action="close", on=TODAY
    )
    later.refresh_from_db()
    assert later.status == GoalStatus.ACTIVE


@pytest.mark.parametrize("persona", ["other_member", "hr", "outsider"], indirect=True)
def test_only_the_team_closes_its_period(client_for, persona, team, goals):
    assert client_for(persona).get(url(team)).status_code == 403


@pytest.fixture
def persona(request):
    return request.getfixturevalue(request.param)


def test_carry_over_without_dates_is_explained(client_for, member, team, goals):
    response = client_for(member).post(url(team), {"action": "carry_over", "step": "preview"})
    assert response.status_code == 200 and response.context["preview"] is None
    assert "due_date" in response.context["form"].errors


def test_the_steps_take_a_fixed_number_of_queries(
    client_for, member, team, goals, django_assert_max_num_queries
):
    client = client_for(member)
    data = {"action": "carry_over", "start_date": "2027-01-01", "due_date": "2027-12-31"}
    counts = []
    for extra in (0, 12):
        for _ in range(extra):
            CheckInFactory(goal=GoalFactory(team=team), author=member)
        with django_assert_max_num_queries(20) as choose:
            client.get(url(team))
        with django_assert_max_num_queries(20) as preview:
            client.post(url(team), {**data, "step": "preview"})
        counts.append((len(choose.captured_queries), len(preview.captured_queries)))
    assert counts[0] == counts[1], counts

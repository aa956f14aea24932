"""Dates within reason (common/dates.py): a goal dated 9999-12-31 is refused with a clear
message, and a goal that has such a date anyway (stored before the rule) still shows."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from common.charts import LineChart, Series
from common.dates import add_days
from doelen.models import Goal
from tests.factories import CheckInFactory, GoalFactory

pytestmark = pytest.mark.django_db

MESSAGE_NL = "Kies een datum tussen 1 januari 2000 en 31 december 2100."


def form_data(**changes):
    data = {
        "title": "Sneller antwoord",
        "measure_type": "percentage",
        "start_value": "0",
        "target_value": "100",
        "start_date": "2026-01-01",
        "due_date": "2026-12-31",
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    "changes",
    [{"due_date": "9999-12-31"}, {"start_date": "1999-12-31"}, {"due_date": "2101-01-01"}],
)
def test_the_goal_form_refuses_dates_out_of_range_in_dutch(client, member, team, changes):
    client.force_login(member)
    response = client.post(reverse("doelen:new", kwargs={"slug": team.slug}), form_data(**changes))
    assert response.status_code == 200
    assert MESSAGE_NL in response.content.decode()
    assert not Goal.objects.exists()


def test_the_edges_are_allowed(client, member, team):
    client.force_login(member)
    response = client.post(
        reverse("doelen:new", kwargs={"slug": team.slug}),
        form_data(start_date="2000-01-01", due_date="2100-12-31"),
    )
    assert response.status_code == 302
    assert Goal.objects.get().due_date == datetime.date(2100, 12, 31)


def test_carrying_over_to_9999_is_refused(client, member, team):
    goal = GoalFactory(team=team, owner=member)
    client.force_login(member)
    response = client.post(
        reverse("doelen:carry_over", kwargs={"pk": goal.pk}),
        {"start_date": "2026-01-01", "due_date": "9999-12-31"},
    )
    assert MESSAGE_NL in response.content.decode()
    assert Goal.objects.count() == 1


def test_the_database_refuses_a_goal_out_of_range(team):
    goal = GoalFactory(team=team)
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.filter(pk=goal.pk).update(due_date=datetime.date(9999, 12, 31))


def test_the_chart_never_overflows():
    for day in (datetime.date.max, datetime.date.min):
        chart = LineChart("t", "d", [Series("s", [(day, 1.0)]), Series("e", [(day, 2.0)])])
        assert "<svg" in chart.render()
    wide = LineChart("t", "d", [Series("s", [(datetime.date.min, 0), (datetime.date.max, 1)])])
    assert "<svg" in wide.render()
    assert add_days(datetime.date.max, 1) == datetime.date.max
    assert add_days(datetime.date.min, -1) == datetime.date.min


def test_a_goal_page_at_the_end_of_time_still_shows(client, member, team):
    goal = GoalFactory(team=team, owner=member)
    CheckInFactory(goal=goal, author=member)
    # The last day allowed: the chart's date arithmetic must not overflow either.
    Goal.objects.filter(pk=goal.pk).update(
        start_date=datetime.date(2100, 12, 31), due_date=datetime.date(2100, 12, 31)
    )
    client.force_login(member)
    assert client.get(goal.get_absolute_url()).status_code == 200

"""Goal page points of issue #17: the chart's table alternative, decimals in the edit form,
past due dates."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from doelen.models import Goal, GoalStatus, MeasureType
from tests.doelen.test_views import form_fields, goal_post
from tests.factories import CheckInFactory, GoalFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _number_goal(team, **kwargs):
    values = {
        "team": team,
        "measure_type": MeasureType.NUMBER,
        "unit": "aanvragen",
        "start_value": Decimal("20.00"),
        "target_value": Decimal("120.00"),
    }
    values.update(kwargs)
    return GoalFactory(**values)


def test_the_edit_form_shows_values_as_the_goal_page_does(client_for, member, team):
    goal = _number_goal(team, start_value=Decimal("6.50"))
    html = client_for(member).get(reverse("doelen:edit", kwargs={"pk": goal.pk})).content.decode()
    assert 'value="120"' in html and 'value="6,5"' in html
    assert "120,00" not in html


def test_a_dutch_comma_still_saves(client_for, member, team):
    goal = _number_goal(team)
    url = reverse("doelen:edit", kwargs={"pk": goal.pk})
    client = client_for(member)
    data = form_fields(client.get(url).content.decode())
    data["target_value"] = "130,5"
    assert client.post(url, data).status_code == 302
    goal.refresh_from_db()
    assert goal.target_value == Decimal("130.5")


def test_a_new_goal_with_a_past_due_date_is_refused(client_for, member, team):
    past = goal_post(
        start_date=(TODAY - datetime.timedelta(days=90)).isoformat(),
        due_date=(TODAY - datetime.timedelta(days=1)).isoformat(),
    )
    response = client_for(member).post(reverse("doelen:new", kwargs={"slug": team.slug}), past)
    assert response.status_code == 200 and not Goal.objects.exists()
    assert "al voorbij" in response.context["form"].errors["due_date"][0]


def test_an_overdue_goal_keeps_its_due_date_when_edited(client_for, member, team):
    goal = _number_goal(
        team,
        start_date=TODAY - datetime.timedelta(days=90),
        due_date=TODAY - datetime.timedelta(days=3),
    )
    url = reverse("doelen:edit", kwargs={"pk": goal.pk})
    client = client_for(member)
    data = form_fields(client.get(url).content.decode())
    data["title"] = "Nieuwe titel"
    assert client.post(url, data).status_code == 302
    page = client.get(goal.get_absolute_url()).content.decode()
    assert "badge-overdue" in page and "Nieuwe titel" in page


def _table(html: str) -> str:
    return html[html.index('<table class="table table-sm mt-2 goal-table">') :].split("</table>")[0]


def test_the_chart_table_names_its_columns_and_has_the_expected_column(client_for, member, team):
    goal = _number_goal(
        team,
        start_date=TODAY - datetime.timedelta(days=50),
        due_date=TODAY + datetime.timedelta(days=50),
    )
    CheckInFactory(goal=goal, value=Decimal(40))
    table = _table(client_for(member).get(goal.get_absolute_url()).content.decode())
    headers = [cell.split(">")[-1] for cell in table.split("</th>") if 'scope="col"' in cell]
    assert headers == ["Datum", "Waarde", "Verwacht (rechte lijn)", "Vertrouwen"]
    assert "<td>70 aanvragen</td>" in table  # half-way from 20 to 120 today
    assert "Voortgang" not in table


def test_a_finished_goal_has_no_expected_line_nor_column(client_for, member, team):
    goal = _number_goal(team, status=GoalStatus.ACHIEVED)
    html = client_for(member).get(goal.get_absolute_url()).content.decode()
    assert "chart-expected" not in html and "Verwacht (rechte lijn)" not in html
    assert "Eindresultaat" in html and "verwacht" not in _table(html)


def test_the_goal_page_takes_a_fixed_number_of_queries(
    client_for, member, team, django_assert_max_num_queries
):
    goal = _number_goal(team)
    client = client_for(member)
    counts = []
    for check_ins in (1, 15):
        for _ in range(check_ins):
            CheckInFactory(goal=goal, author=member, value=Decimal(50))
        with django_assert_max_num_queries(25) as page:
            client.get(goal.get_absolute_url())
        counts.append(len(page.captured_queries))
    assert counts[0] == counts[1], counts

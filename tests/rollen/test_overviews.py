import datetime

import pytest

from rollen.selectors import OverviewFilters, people_memberships, role_changes, role_matrix
from tests.factories import TeamFactory
from tests.rollen.hr_data import PAST, TODAY, add_people, build_history, on_today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]


def names(people):
    return [p.name for p in people]


def matrix_cells(matrix, team):
    row = next(r for r in matrix.rows if r.team == team)
    return {role.slug: names(h) for role, h in zip(matrix.roles, row.holders_per_role, strict=True)}


def test_matrix_shows_holders_on_a_past_date(team, other_team):
    build_history(team, other_team)
    past = role_matrix(on=PAST, filters=OverviewFilters())
    assert matrix_cells(past, team) == {
        "ondernemer": [],
        "samenwerkingspartner": [],
        "vakman": ["Ann Aalders"],
        "facilitator": ["Bob Bakker"],
    }
    assert matrix_cells(past, other_team)["samenwerkingspartner"] == []
    today = role_matrix(on=TODAY, filters=OverviewFilters())
    assert matrix_cells(today, team)["ondernemer"] == ["Bob Bakker"]
    assert matrix_cells(today, team)["facilitator"] == []
    assert matrix_cells(today, other_team)["samenwerkingspartner"] == ["Cas Claassen"]


def test_matrix_filters_on_team_role_and_municipality(team, other_team):
    build_history(team, other_team)
    team.municipality = "boxtel"
    team.save()
    other_team.municipality = "sint-michielsgestel"
    other_team.save()
    matrix = role_matrix(on=TODAY, filters=OverviewFilters(municipality="boxtel"))
    assert [r.team for r in matrix.rows] == [team]  # (teams serving both: test_person_pages)
    matrix = role_matrix(on=TODAY, filters=OverviewFilters(role="vakman"))
    assert [r.slug for r in matrix.roles] == ["vakman"]
    assert matrix_cells(matrix, team) == {"vakman": ["Ann Aalders"]}
    matrix = role_matrix(on=TODAY, filters=OverviewFilters(team=other_team.slug))
    assert [r.team for r in matrix.rows] == [other_team]


def test_people_list_shows_teams_roles_and_since(team, other_team):
    build_history(team, other_team)
    rows = {
        m.employee.name: [(a.role.slug, a.since) for a in m.employee.roles_on_date]
        for m in people_memberships(on=PAST, filters=OverviewFilters())
    }
    assert rows == {
        "Ann Aalders": [("vakman", datetime.date(2024, 1, 1))],
        "Bob Bakker": [("facilitator", datetime.date(2024, 1, 1))],
    }
    only_ondernemers = people_memberships(on=TODAY, filters=OverviewFilters(role="ondernemer"))
    assert [m.employee.name for m in only_ondernemers] == ["Bob Bakker"]


def test_comparison_between_two_dates(team, other_team):
    build_history(team, other_team)
    gained, lost = role_changes(date_from=PAST, date_to=TODAY, filters=OverviewFilters())
    assert [(a.employee.name, a.team, a.role.slug) for a in gained] == [
        ("Cas Claassen", other_team, "samenwerkingspartner"),  # Burgerzaken comes first
        ("Bob Bakker", team, "ondernemer"),
    ]
    assert [(a.employee.name, a.role.slug) for a in lost] == [("Bob Bakker", "facilitator")]
    gained, lost = role_changes(
        date_from=PAST, date_to=TODAY, filters=OverviewFilters(team=team.slug)
    )
    assert [a.role.slug for a in gained] == ["ondernemer"]


def test_matrix_page_on_a_past_date(client_for, hr, team, other_team):
    build_history(team, other_team)
    client = client_for(hr)
    response = client.get("/rollen/", {"peildatum": PAST.isoformat()})
    assert response.status_code == 200
    content = response.content.decode()
    # The summary counts; the names are on each team's page, on the same date.
    rows = {row.team: row for row in response.context["page"]}
    assert (rows[team].members, sum(rows[team].holders)) == (2, 2)
    assert (rows[other_team].members, sum(rows[other_team].holders)) == (0, 0)
    assert f'href="/rollen/teams/{team.slug}/?peildatum=2025-06-01"' in content
    names = client.get(f"/rollen/teams/{team.slug}/", {"peildatum": PAST.isoformat()}).text
    assert "Bob Bakker" in names and "Cas Claassen" not in names
    assert 'value="2025-06-01"' in content
    assert 'href="/rollen/personen/?peildatum=2025-06-01"' in content  # filters kept
    assert "/rollen/export/matrix/xlsx/?peildatum=2025-06-01" in content


def test_bad_reference_date_shows_a_message_and_today(client_for, hr, team, other_team):
    build_history(team, other_team)
    response = client_for(hr).get("/rollen/", {"peildatum": "31-02-2025"})
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("31-02-2025" in m for m in messages)
    assert response.context["on"] == TODAY
    rows = {row.team: row for row in response.context["page"]}
    assert rows[other_team].members == 1


def test_compare_and_people_pages(client_for, hr, team, other_team):
    build_history(team, other_team)
    client = client_for(hr)
    response = client.get(
        "/rollen/vergelijken/", {"date_from": "2025-06-01", "date_to": "2026-11-28"}
    )
    assert response.status_code == 200
    assert [a.employee.name for a in response.context["lost"]] == ["Bob Bakker"]
    response = client.get("/rollen/personen/", {"peildatum": "2025-06-01", "team": team.slug})
    assert response.status_code == 200
    assert [m.employee.name for m, _a in response.context["rows"]] == ["Ann Aalders", "Bob Bakker"]


@pytest.mark.parametrize(
    "url",
    [
        "/rollen/",
        "/rollen/personen/",
        "/rollen/vergelijken/?date_from=2025-01-01",
        "/rollen/audit/",
    ],
)
def test_query_count_does_not_grow_with_the_organisation(
    client_for, hr, team, other_team, url, django_assert_max_num_queries
):
    build_history(team, other_team)
    client = client_for(hr)
    client.get(url)  # warm up: session, groups
    with django_assert_max_num_queries(13) as small:
        assert client.get(url).status_code == 200
    for _index in range(5):
        extra = TeamFactory()
        add_people(extra, 8, start=_index * 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("query", [{}, {"team": "vergunningen"}])
def test_reference_date_field_shows_the_date_used(client_for, hr, team, other_team, query):
    response = client_for(hr).get("/rollen/", query)
    assert f'value="{TODAY.isoformat()}"' in response.content.decode()


def test_comparison_in_either_order_and_with_a_role_taken_up_again(team, other_team):
    """role_changes first narrows to the assignments whose own dates leave the other date out
    (issue 21): a role ended and taken up again by a new assignment is no change, dates in
    the reverse order swap gained and lost, and an assignment of someone who left counts on
    neither date."""
    from rollen.models import RoleAssignment
    from tests.factories import EmployeeFactory, RoleAssignmentFactory, role

    build_history(team, other_team)
    dora = EmployeeFactory(name="Dora Dekker")
    gap = PAST + datetime.timedelta(days=10)
    RoleAssignmentFactory(employee=dora, team=team, role=role("vakman"), since=PAST.replace(day=1))
    RoleAssignment.objects.filter(employee=dora).update(until=gap)
    RoleAssignmentFactory(
        employee=dora, team=team, role=role("vakman"), since=gap + datetime.timedelta(days=1)
    )
    gone = EmployeeFactory(name="Eef Eerde", is_active=False)
    RoleAssignmentFactory(employee=gone, team=team, role=role("vakman"), since=PAST)

    def seen(changes):
        return [(a.employee.name, a.team.pk, a.role.slug) for a in changes]

    gained, lost = role_changes(date_from=PAST, date_to=TODAY, filters=OverviewFilters())
    assert seen(gained) == [
        ("Cas Claassen", other_team.pk, "samenwerkingspartner"),
        ("Bob Bakker", team.pk, "ondernemer"),
    ]
    assert seen(lost) == [("Bob Bakker", team.pk, "facilitator")]
    back, forth = role_changes(date_from=TODAY, date_to=PAST, filters=OverviewFilters())
    assert (seen(back), seen(forth)) == (seen(lost), seen(gained))
    same_day = role_changes(date_from=TODAY, date_to=TODAY, filters=OverviewFilters())
    assert [list(changes) for changes in same_day] == [[], []]

"""Issue #14 P5: find a person and see their full history, and export it."""

import datetime

import pytest

from audit.models import AuditEvent
from teams.models import Employee
from tests.factories import EmployeeFactory, MembershipFactory, RoleAssignmentFactory
from tests.rollen.hr_data import on_today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]


@pytest.fixture
def person(team, other_team):
    person = EmployeeFactory(name="Gerda Groen", personnel_number="P4711")
    MembershipFactory(
        employee=person, team=other_team, since=datetime.date(2020, 1, 1),
        until=datetime.date(2022, 12, 31),
    )  # fmt: skip
    MembershipFactory(employee=person, team=team, since=datetime.date(2023, 1, 1))
    RoleAssignmentFactory(employee=person, team=team, since=datetime.date(2023, 2, 1))
    return person


def test_search_by_name_or_number(client_for, hr, person):
    client = client_for(hr)
    for query in ("groen", "4711"):
        page = client.get("/rollen/mensen/", {"q": query})
        assert f'href="/rollen/mensen/{person.pk}/"' in page.content.decode()
    assert "Niemand gevonden" in client.get("/rollen/mensen/", {"q": "zzz"}).content.decode()


def test_history_page_and_export(client_for, hr, person, django_assert_max_num_queries):
    client = client_for(hr)
    with django_assert_max_num_queries(12):
        page = client.get(f"/rollen/mensen/{person.pk}/")
    content = page.content.decode()
    import re

    dates = re.findall(r"<td>([^<]*20[0-9][0-9])</td>", content)
    dates = [d.lower() for d in dates]
    assert "Gerda Groen" in content and "31 dec 2022" in dates and "1 feb 2023" in dates, dates
    response = client.get(f"/rollen/mensen/{person.pk}/export/")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 4 and "P4711" in response["Content-Disposition"]
    assert AuditEvent.objects.get(action="export").details["rows"] == 3


def test_municipality_filter_includes_teams_serving_both():
    from rollen.selectors import OverviewFilters, matrix_teams
    from tests.factories import TeamFactory

    boxtel = TeamFactory(name="Alleen Boxtel", municipality="boxtel")
    both = TeamFactory(name="Samen", municipality="both")
    TeamFactory(name="Alleen Gestel", municipality="sint-michielsgestel")
    assert set(matrix_teams(filters=OverviewFilters(municipality="boxtel"))) == {boxtel, both}
    assert list(matrix_teams(filters=OverviewFilters(municipality="both"))) == [both]


def test_counts_per_team_on_a_date_with_fte(client_for, hr, team, other_team, person):
    from rollen.models import PersonHRDetails

    PersonHRDetails.objects.create(employee=person, fte="0.8")
    other = EmployeeFactory(name="Zonder fte")
    MembershipFactory(employee=other, team=team, since=datetime.date(2023, 1, 1))
    from rollen.selectors import OverviewFilters
    from rollen.summary import team_summaries

    def team_counts(**kwargs):
        roles, page = team_summaries(**kwargs, vulnerable_first=False)
        return roles, list(page)

    roles, rows = team_counts(on=datetime.date(2024, 1, 1), filters=OverviewFilters())
    row = next(r for r in rows if r.team == team)
    from decimal import Decimal

    assert (row.members, Decimal(row.fte), sum(row.holders)) == (2, Decimal("0.8"), 1)
    earlier = team_counts(on=datetime.date(2021, 1, 1), filters=OverviewFilters())[1]
    assert [(r.team, r.members) for r in earlier if r.members] == [(other_team, 1)]
    page = client_for(hr).get("/rollen/aantallen/", {"peildatum": "2024-01-01"})
    assert page.status_code == 200 and "0,8" in page.content.decode()


def test_audit_per_person_in_plain_words_and_as_csv(client_for, hr, team):
    from rollen.imports import guess_mapping, import_apply, read_table

    text = "personeelsnummer;naam;e-mail;team\nP77;Iris Ik;iris@example.org;Vergunningen\n"
    table = read_table(text.encode())
    import_apply(table=table, mapping=guess_mapping(table.header), actor=hr)
    table = read_table(text.replace("Iris Ik", "Iris de Ik").encode())
    import_apply(table=table, mapping=guess_mapping(table.header), actor=hr)
    iris = Employee.objects.get(personnel_number="P77")
    client = client_for(hr)
    content = client.get("/rollen/audit/", {"persoon": iris.pk}).content.decode()
    assert "Gegevens gewijzigd (naam: Iris Ik → Iris de Ik)" in content
    assert "Persoon toegevoegd" in content and "Lid geworden van een team" in content
    response = client.get("/rollen/audit/export/", {"persoon": iris.pk})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 3 and "Iris de Ik" in lines[1]
    assert f"rollen-audit-persoon-{iris.pk}-" in response["Content-Disposition"]

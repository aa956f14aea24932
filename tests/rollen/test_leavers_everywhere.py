"""Issue #14: a person who left (inactive, with a role and membership still open) is not a
current holder anywhere HR or management look: the overview's exports, the team's figures
(its members, holders and role signals) and the organisation's heat map. The selectors are
tested in test_import_trust; this follows the numbers to the pages and files."""

import datetime
import re

import pytest
from django.test import override_settings

from dashboards.figures import team_summaries
from dashboards.organisation import organisation_overview
from dashboards.periods import Period
from dashboards.ranking import RankedTeam, rank_of
from rollen.models import Role
from teams.models import Employee, Team
from tests.factories import EmployeeFactory, MembershipFactory, RoleAssignmentFactory, role
from tests.rollen.hr_data import TODAY, on_today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]

SINCE = datetime.date(2024, 1, 1)


@pytest.fixture
def holders(team):
    """Two vakmannen in the team, both with an open membership and role."""
    people = []
    for name in ("Hanneke Blijft", "Gerrit Vertrokken"):
        person = EmployeeFactory(name=name)
        MembershipFactory(employee=person, team=team, since=SINCE)
        RoleAssignmentFactory(employee=person, team=team, role=role("vakman"), since=SINCE)
        people.append(person)
    return people


def leave(person):
    """Deactivated the way an administrator might (no end dates written)."""
    person.is_active = False
    person.save(update_fields=["is_active"])


def export_text(client, overview):
    response = client.get(f"/rollen/export/{overview}/csv/")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.mark.parametrize("overview", ["matrix", "personen"])
def test_exports_leave_out_people_who_left(client_for, hr, holders, overview):
    staying, gone = holders
    client = client_for(hr)
    assert "Gerrit Vertrokken" in export_text(client, overview)  # still here: listed
    leave(gone)
    text = export_text(client, overview)
    assert "Hanneke Blijft" in text and "Gerrit Vertrokken" not in text


@override_settings(ZS_MIN_ROLE_HOLDERS=2)
def test_team_figures_signals_and_heat_map_leave_out_people_who_left(team, holders):
    staying, gone = holders
    vakman = Role.objects.get(slug="vakman")

    def summary():
        data = team_summaries(
            teams=Team.objects.filter(pk=team.pk), period=Period.quarter(TODAY), on=TODAY
        )
        return data.summaries[0]

    def heat_map_cell(one):
        roles = list(Role.objects.order_by("order"))
        overview = organisation_overview(
            ranked=[RankedTeam(one.team, rank_of(one))],
            attention=[],
            attention_count=0,
            per_objective={team.pk: {}},
            roles=roles,
        )
        [(_team, counts)] = overview.coverage
        return counts[roles.index(vakman)]

    before = summary()
    assert before.members == 2 and before.holders[vakman.pk] == 2
    assert heat_map_cell(before) == 2
    assert not [s for s in before.signals if s.kind == "role" and "vakman" in s.text]
    leave(gone)
    after = summary()
    assert after.members == 1 and after.holders[vakman.pk] == 1
    assert heat_map_cell(after) == 1
    assert [s.text for s in after.signals if s.kind == "role" and vakman.name in s.text] == [
        f"maar één rolhouder voor {vakman.name}"
    ]
    assert Employee.objects.get(pk=gone.pk).role_assignments.get().until is None  # untouched


def test_the_organisation_page_shows_the_heat_map_without_people_who_left(
    client_for, management, team, holders
):
    staying, gone = holders
    client = client_for(management)
    assert client.get("/dashboard/organisatie/").status_code == 200  # warm the cache
    leave(gone)
    page = client.get("/dashboard/organisatie/").content.decode()
    assert 'id="coverage-chart"' in page
    # The team's row in the heat map: its four cells, one holder for vakman now (the page
    # was cached before: the change of is_active must make it fresh).
    row = page[page.index(">Vergunningen</text>") :]
    cells = re.findall(r'text-anchor="middle" fill="[^"]+">(\d+)</text>', row)[:4]
    roles = list(Role.objects.order_by("order").values_list("slug", flat=True))
    assert cells[roles.index("vakman")] == "1", cells

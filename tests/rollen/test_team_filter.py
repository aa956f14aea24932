"""The HR overviews' team filter: a choice list up to TEAM_CHOICES_MAX teams, past that a
text field for the team's name, so no page carries a list of the whole organisation (at
1,000 teams the list was 70 KB of every overview page: issue 21)."""

import re

import pytest

from tests.factories import TeamFactory
from tests.rollen.hr_data import build_history, on_today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]

PAGES = ["/rollen/", "/rollen/personen/", "/rollen/aantallen/", "/rollen/vergelijken/"]


@pytest.fixture
def history(team, other_team):
    build_history(team, other_team)


def team_control(html: str) -> str:
    found = re.search(r'<(select|input)[^>]*name="team"', html)
    assert found, "no team filter"
    return found.group(1)


@pytest.mark.parametrize("url", PAGES)
def test_a_choice_list_for_a_small_organisation_a_text_field_past_the_limit(
    client_for, hr, history, monkeypatch, url
):
    client = client_for(hr)
    monkeypatch.setattr("rollen.forms.TEAM_CHOICES_MAX", 3)
    TeamFactory(name="Derde team")  # 3 teams
    assert team_control(client.get(url).content.decode()) == "select"
    for number in range(10):
        TeamFactory(name=f"Extra team {number}")
    html = client.get(url).content.decode()
    assert team_control(html) == "input"
    assert re.search(r"<option[^>]*>\s*Extra team", html) is None  # no list of every team


def test_the_text_field_takes_a_name_or_a_slug(client_for, hr, history, team, monkeypatch):
    client = client_for(hr)
    monkeypatch.setattr("rollen.forms.TEAM_CHOICES_MAX", 1)
    for value in (team.name.upper(), team.slug):
        html = client.get("/rollen/personen/", {"team": value}).content.decode()
        assert "Ann Aalders" in html and "Cas Claassen" not in html, value
    response = client.get("/rollen/personen/", {"team": "Geen bestaand team"})
    html = response.content.decode()
    assert "Cas Claassen" in html  # the filter is left out, and the page says so
    assert "Een filter kon niet worden gebruikt" in html

"""Handed-over responsibilities: the checklist, its append-only history, the overview."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ontwikkeling import selectors, services
from ontwikkeling.models import Responsibility, TeamResponsibility
from ontwikkeling.reference import RESPONSIBILITIES
from tests.factories import EmployeeFactory, TeamFactory

TODAY = timezone.localdate()


def resp(slug):
    return Responsibility.objects.get(slug=slug)


def page_url(team, slug="planning"):
    return reverse(
        "ontwikkeling:responsibility", kwargs={"slug": team.slug, "responsibility": slug}
    )


def test_starting_list_is_data():
    names = set(Responsibility.objects.values_list("name_nl", flat=True))
    assert {
        "Planning en roosters",
        "Verlof goedkeuren",
        "Teambudget",
        "Werving en selectie",
    } <= names
    assert Responsibility.objects.count() == len(RESPONSIBILITIES)


def test_without_history_everything_lies_with_the_manager(team):
    checklist = selectors.team_checklist(team=team)
    assert len(checklist) == len(RESPONSIBILITIES)
    assert {item.state for item in checklist} == {"with_manager"}


def test_history_is_appended_and_the_latest_row_counts(team, member, manager):
    planning = resp("planning")
    services.change_responsibility_state(
        team=team,
        responsibility=planning,
        state="shared",
        since=TODAY - datetime.timedelta(days=30),
        changed_by=manager,
        note="Eerst samen",
    )
    services.change_responsibility_state(
        team=team, responsibility=planning, state="with_team", since=TODAY, changed_by=member
    )
    history = selectors.responsibility_history(team=team, responsibility=planning)
    assert [row.state for row in history] == ["with_team", "shared"]
    assert TeamResponsibility.objects.count() == 2
    item = next(i for i in selectors.team_checklist(team=team) if i.responsibility == planning)
    assert item.state == "with_team"
    assert item.current.changed_by == member


def test_same_day_changes_ordered_by_recording(team, member):
    planning = resp("planning")
    for state in ["shared", "with_team", "shared"]:
        services.change_responsibility_state(
            team=team, responsibility=planning, state=state, since=TODAY, changed_by=member
        )
    item = next(i for i in selectors.team_checklist(team=team) if i.responsibility == planning)
    assert item.state == "shared"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"state": "elsewhere"},
        {"since": TODAY + datetime.timedelta(days=1)},
        {"since": TODAY - datetime.timedelta(days=100)},  # before the current state
        {"state": "shared"},  # no change, no note
    ],
)
def test_bad_changes_are_refused(team, member, kwargs):
    services.change_responsibility_state(
        team=team,
        responsibility=resp("budget"),
        state="shared",
        since=TODAY - datetime.timedelta(days=10),
        changed_by=member,
    )
    values = {"state": "with_team", "since": TODAY, **kwargs}
    with pytest.raises(ValidationError):
        services.change_responsibility_state(
            team=team, responsibility=resp("budget"), changed_by=member, **values
        )
    assert TeamResponsibility.objects.count() == 1


PERSONAS = ["member", "other_member", "manager", "other_manager", "hr", "management", "outsider"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_reads_only_team_changes(request, client_for, team, persona):
    client = client_for(request.getfixturevalue(persona))
    page = client.get(page_url(team))
    assert page.status_code == 200
    can_edit = persona in {"member", "manager"}
    assert ("Leg een verandering vast" in page.content.decode()) == can_edit
    response = client.post(
        page_url(team), {"state": "with_team", "since": TODAY.isoformat(), "note": "Afgesproken"}
    )
    assert response.status_code == (302 if can_edit else 403)
    assert TeamResponsibility.objects.exists() == can_edit


def test_change_through_the_page_shows_in_history(client_for, team, member):
    client = client_for(member)
    client.post(page_url(team), {"state": "shared", "since": TODAY.isoformat(), "note": "Proef"})
    content = client.get(page_url(team)).content.decode()
    assert "Proef" in content and "Mila Lid" in content
    development = client.get(reverse("ontwikkeling:team", kwargs={"slug": team.slug}))
    assert "Laatste veranderingen" in development.content.decode()


def test_bad_date_on_the_page_is_explained(client_for, team, member):
    response = client_for(member).post(page_url(team), {"state": "shared", "since": "morgen"})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not TeamResponsibility.objects.exists()


def test_unknown_responsibility_is_404(client_for, team, member):
    assert client_for(member).get(page_url(team, "bestaat-niet")).status_code == 404


def test_progress_counts_per_responsibility(db):
    member = EmployeeFactory()  # in no team: only the four teams below are active
    teams = [TeamFactory() for _ in range(4)]
    archived = TeamFactory(is_active=False)
    planning, budget = resp("planning"), resp("budget")
    for team, state in zip(teams, ["with_team", "with_team", "shared"], strict=False):
        services.change_responsibility_state(
            team=team,
            responsibility=planning,
            state="shared",
            since=TODAY - datetime.timedelta(days=5),
            changed_by=member,
        )
        if state != "shared":
            services.change_responsibility_state(
                team=team, responsibility=planning, state=state, since=TODAY, changed_by=member
            )
    TeamResponsibility.objects.create(
        team=archived, responsibility=planning, state="with_team", since=TODAY, changed_by=member
    )
    progress = {row.responsibility: row for row in selectors.responsibility_progress()}
    assert (progress[planning].with_team, progress[planning].shared) == (2, 1)
    assert progress[planning].with_manager == 1
    assert progress[planning].total == 4
    assert progress[budget].with_manager == 4
    only_two = {
        row.responsibility: row
        for row in selectors.responsibility_progress(team_ids=[teams[0].pk, teams[3].pk])
    }
    assert (only_two[planning].with_team, only_two[planning].with_manager) == (1, 1)


@pytest.mark.parametrize("teams", [2, 10])
def test_progress_constant_queries(member, django_assert_num_queries, teams):
    for _ in range(teams):
        services.change_responsibility_state(
            team=TeamFactory(),
            responsibility=resp("verlof"),
            state="with_team",
            since=TODAY,
            changed_by=member,
        )
    with django_assert_num_queries(3):
        rows = selectors.responsibility_progress()
    assert next(r for r in rows if r.responsibility.slug == "verlof").with_team == teams


def test_organisation_page_shows_the_counts(client_for, hr, team, member):
    services.change_responsibility_state(
        team=team,
        responsibility=resp("planning"),
        state="with_team",
        since=TODAY,
        changed_by=member,
    )
    content = client_for(hr).get(reverse("ontwikkeling:organisation")).content.decode()
    assert "Planning en roosters" in content
    assert "1 van 8" in content

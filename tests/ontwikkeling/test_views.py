"""The programme's pages per persona, and the privacy of the answers through every page."""

import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ontwikkeling.models import Answer, ScanResponse, ScanRound, TeamResponsibility
from tests.factories import EmployeeFactory
from tests.ontwikkeling.helpers import (
    closed_round,
    make_round,
    new_member,
    respond,
    scores_for,
)

TODAY = timezone.localdate()
PERSONAS = [
    "member",
    "other_member",
    "manager",
    "other_manager",
    "hr",
    "management",
    "outsider",
    "superuser",
]
EDITORS = {"member", "manager", "superuser"}  # superusers count as manager of every team


def url(name, team, **kwargs):
    return reverse(f"ontwikkeling:{name}", kwargs={"slug": team.slug, **kwargs})


def scan_data(score=3):
    return {f"s{statement_id}": value for statement_id, value in scores_for(score).items()}


@pytest.mark.parametrize("persona", PERSONAS)
def test_development_page_readable_by_everyone_editable_by_team(request, client_for, team, persona):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(url("team", team))
    assert response.status_code == 200
    content = response.content.decode()
    assert ("Maak een ontwikkeldoel" in content) == (persona in EDITORS)
    assert ("Start de scanronde" in content) == (persona in EDITORS)


def test_anonymous_is_sent_to_log_in(client, team):
    for target in [url("team", team), url("scan", team), reverse("ontwikkeling:organisation")]:
        response = client.get(target)
        assert response.status_code == 302
        assert "/account/login/" in response.url


def test_unknown_team_is_404(client_for, member):
    response = client_for(member).get(reverse("ontwikkeling:team", kwargs={"slug": "nope"}))
    assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_members_open_and_answer_the_scan(request, client_for, team, member, persona):
    make_round(team)
    user = request.getfixturevalue(persona)
    client = client_for(user)
    expected = 200 if persona == "member" else 403
    assert client.get(url("scan", team)).status_code == expected
    response = client.post(url("scan", team), scan_data())
    assert response.status_code == (302 if persona == "member" else 403)
    assert ScanResponse.objects.count() == (1 if persona == "member" else 0)


def test_scan_without_open_round_says_so(client_for, team, member):
    response = client_for(member).get(url("scan", team))
    assert response.status_code == 200
    assert "geen open scanronde" in response.content.decode()


def test_scan_form_posted_as_a_browser_with_csrf(team, member):
    make_round(team)
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    page = client.get(url("scan", team)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(url("scan", team), scan_data()).status_code == 403  # no token
    response = client.post(url("scan", team), {**scan_data(4), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert set(Answer.objects.values_list("score", flat=True)) == {4}


def test_incomplete_scan_shows_errors_and_stores_nothing(client_for, team, member):
    make_round(team)
    data = scan_data()
    data.popitem()
    data[next(iter(data))] = "9"
    response = client_for(member).post(url("scan", team), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "error-summary" in content
    assert "Kies een score van 1 tot 5." in content
    assert not ScanResponse.objects.exists()


def test_own_answers_are_shown_only_to_the_respondent(client_for, team, member):
    scan_round = make_round(team)
    respond(scan_round, member, 5)
    colleague = new_member(team)
    mine = client_for(member).get(url("scan", team)).content.decode()
    assert mine.count("checked") == len(scores_for(5))
    assert re.search(r'value="5"[^>]*checked', mine)
    theirs = client_for(colleague).get(url("scan", team)).content.decode()
    assert "checked" not in theirs


def _profile_shown(content: str) -> bool:
    return "scan-profile-table" in content


@pytest.mark.parametrize("persona", PERSONAS)
def test_four_answers_show_no_profile_anywhere(request, client_for, team, member, persona):
    scan_round = closed_round(team, [(member, 1), *[(new_member(team), 5) for _ in range(3)]])
    user = request.getfixturevalue(persona)
    client = client_for(user)
    for query in ["", f"?respondent={member.pk}", f"?round={scan_round.pk}", "?min=1"]:
        content = client.get(url("team", team) + query).content.decode()
        assert not _profile_shown(content)
        assert "1,0" not in content and "5,0" not in content and "4,0" not in content
    if persona in {"hr", "management", "superuser"}:
        content = client.get(reverse("ontwikkeling:organisation")).content.decode()
        assert "nog geen scan" in content


@pytest.mark.parametrize("persona", PERSONAS)
def test_five_answers_of_a_closed_round_show_the_aggregate_to_everyone(
    request, client_for, team, member, persona
):
    scores = [(member, 2), *[(new_member(team), score) for score in (3, 3, 3, 4)]]
    closed_round(team, scores)
    client = client_for(request.getfixturevalue(persona))
    content = client.get(url("team", team)).content.decode()
    assert _profile_shown(content)
    assert "3,0" in content
    assert "2,0" not in content and "4,0" not in content  # no single person's score
    if persona in {"hr", "management", "superuser"}:
        content = client.get(reverse("ontwikkeling:organisation")).content.decode()
        assert "3,0" in content


def test_query_parameters_cannot_pull_another_teams_round(client_for, team, other_team, member):
    mine = make_round(team)
    for person in [member, new_member(team)]:
        respond(mine, person, 2)
    theirs = closed_round(other_team, [(new_member(other_team), 5) for _ in range(5)])
    client = client_for(member)
    for query in [f"?round={theirs.pk}", f"?team={other_team.slug}", f"?respondent={member.pk}"]:
        content = client.get(url("team", team) + query).content.decode()
        assert not _profile_shown(content)
        assert "5,0" not in content
        scan = client.get(url("scan", team) + query).content.decode()
        assert "checked" in scan and 'value="5" checked' not in scan


def test_pages_do_not_name_who_answered(client_for, team, member, hr):
    people = [member, new_member(team, name="Anna Antwoord"), new_member(team, name="Bert Bol")]
    people += [new_member(team), new_member(team)]
    closed_round(team, [(person, 3) for person in people])
    scan_round = make_round(team)
    respond(scan_round, people[1], 4)
    for user in [member, hr]:
        content = client_for(user).get(url("team", team)).content.decode()
        assert "Anna Antwoord" not in content and "Bert Bol" not in content
        assert "5 antwoorden" in content  # the closed round
        assert "open tot en met" in content
        assert "leden hebben tot nu toe" not in content and "1 lid" not in content  # no count


@pytest.mark.parametrize("persona", PERSONAS)
def test_open_round_by_members_and_managers_only(request, client_for, team, persona):
    client = client_for(request.getfixturevalue(persona))
    closes_on = (TODAY + datetime.timedelta(days=10)).isoformat()
    response = client.post(url("open_round", team), {"closes_on": closes_on})
    assert response.status_code == (302 if persona in EDITORS else 403)
    assert ScanRound.objects.filter(team=team).exists() == (persona in EDITORS)


def test_open_round_bad_date_is_explained(client_for, team, member):
    response = client_for(member).post(url("open_round", team), {"closes_on": "gisteren"})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    response = client_for(member).post(
        url("open_round", team), {"closes_on": (TODAY - datetime.timedelta(1)).isoformat()}
    )
    assert response.status_code == 400
    assert not ScanRound.objects.exists()


def test_get_on_post_only_views_is_refused(client_for, team, member):
    assert client_for(member).get(url("open_round", team)).status_code == 405
    assert client_for(member).get(url("create_goal", team)).status_code == 405


@pytest.mark.parametrize("persona", PERSONAS)
def test_organisation_overview_for_hr_and_management(request, client_for, team, persona):
    response = client_for(request.getfixturevalue(persona)).get(
        reverse("ontwikkeling:organisation")
    )
    assert response.status_code == (200 if persona in {"hr", "management", "superuser"} else 403)


@pytest.mark.parametrize("teams", [2, 6])
def test_organisation_overview_constant_queries(client_for, hr, django_assert_num_queries, teams):
    from tests.factories import TeamFactory

    for _ in range(teams):
        team = TeamFactory()
        closed_round(team, [(new_member(team), 3) for _ in range(5)])
        TeamResponsibility.objects.create(
            team=team,
            responsibility_id=1,
            state="with_team",
            since=TODAY,
            changed_by=hr,
        )
    client = client_for(hr)
    client.get(reverse("ontwikkeling:organisation"))
    with django_assert_num_queries(17):  # 16 + the count of the teams for the pages
        response = client.get(reverse("ontwikkeling:organisation"))
    assert response.status_code == 200


def test_organisation_overview_shows_the_teams_a_page_at_a_time(client_for, hr):
    """1,000 teams at 15,000 people: the table and the averaging of scan answers are per
    page of 50, not for the whole organisation at once (issue 21)."""
    from ontwikkeling.views import TEAMS_PER_PAGE
    from tests.factories import TeamFactory

    names = sorted(TeamFactory(name=f"Team {number:03}").name for number in range(55))
    client = client_for(hr)
    url = reverse("ontwikkeling:organisation")
    shown = []
    for page in (1, 2):
        html = client.get(url, {"pagina": page}).content.decode()
        shown.append(re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html))
        assert f"Pagina {page} van 2" in html
    assert len(shown[0]) == TEAMS_PER_PAGE
    assert shown[0] + shown[1] == [n for n in names if n in shown[0] + shown[1]]
    assert set(shown[0] + shown[1]) >= set(names)


@pytest.mark.parametrize("rounds", [1, 4])
def test_development_page_constant_queries(
    client_for, team, member, django_assert_num_queries, rounds
):
    people = [member, *[new_member(team) for _ in range(4)]]
    for number in range(rounds):
        opens_on = TODAY - datetime.timedelta(days=20 * number + 20)
        closed_round(team, [(person, 3) for person in people], opens_on=opens_on)
    respond(make_round(team), member, 3)  # and an open round the member answered
    client = client_for(member)
    client.get(url("team", team))
    with django_assert_num_queries(16):
        assert client.get(url("team", team)).status_code == 200


def test_admin_never_shows_answers(client, team, member):
    assert Answer not in admin.site._registry
    staff = EmployeeFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="ontwikkeling"))
    respond(make_round(team), member, 3)
    client.force_login(staff)
    assert client.get("/admin/ontwikkeling/scanresponse/").status_code == 403
    rounds = client.get("/admin/ontwikkeling/scanround/")
    assert rounds.status_code == 200
    assert member.name not in rounds.content.decode()
    assert "ontwikkeling/scanresponse" not in client.get("/admin/").content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_menu_links_to_the_overview_for_hr_and_management(request, client_for, persona):
    content = client_for(request.getfixturevalue(persona)).get("/").content.decode()
    shown = persona in {"hr", "management", "superuser"}
    assert (reverse("ontwikkeling:organisation") in content) == shown

"""The three dashboard pages per persona, filters in the query string, bad input."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from teams.models import Municipality
from tests.dashboard.helpers import busy_team, staff
from tests.factories import GoalFactory, objective

pytestmark = pytest.mark.django_db

INDEX = reverse("dashboard:index")
ORGANISATION = reverse("dashboard:organisation")


def team_url(team):
    return reverse("dashboard:team", kwargs={"slug": team.slug})


def card_names(response):
    return [s.team.name for s in response.context["summaries"]]


@pytest.fixture
def teams(team, other_team):
    busy_team(team)
    busy_team(other_team)
    return team, other_team


# /dashboard/


def test_anonymous_is_sent_to_log_in(client, teams):
    for url in (INDEX, ORGANISATION, team_url(teams[0])):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]


def test_manager_sees_the_teams_they_manage(client_for, teams, manager):
    response = client_for(manager).get(INDEX)
    assert response.status_code == 200
    assert card_names(response) == ["Vergunningen"]
    assert response.context["scope"] == "managed"
    assert f'href="{team_url(teams[0])}' in response.content.decode()


def test_other_manager_sees_only_their_team(client_for, teams, other_manager):
    assert card_names(client_for(other_manager).get(INDEX)) == ["Burgerzaken"]


@pytest.mark.parametrize("persona", ["hr", "management", "superuser"])
def test_hr_and_management_see_all_teams(client_for, teams, persona, request):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(INDEX + "?sort=name")
    assert card_names(response) == ["Burgerzaken", "Vergunningen"]
    assert response.context["scope"] == "all"
    assert ORGANISATION in response.content.decode()


def test_member_sees_their_own_team(client_for, teams, member):
    response = client_for(member).get(INDEX)
    assert card_names(response) == ["Vergunningen"]
    assert response.context["scope"] == "own"
    assert ORGANISATION not in response.content.decode()


def test_outsider_gets_a_helpful_empty_state(client_for, teams, outsider):
    response = client_for(outsider).get(INDEX)
    assert response.status_code == 200
    assert card_names(response) == []
    assert "Nog geen teams om te laten zien" in response.content.decode()


def test_archived_teams_are_left_out(client_for, teams, hr):
    teams[1].is_active = False
    teams[1].save()
    assert card_names(client_for(hr).get(INDEX)) == ["Vergunningen"]


def test_reasons_are_shown_in_words_and_attention_comes_first(client_for, hr, team, other_team):
    busy_team(team)
    staff(other_team, roles=("vakman",))  # no goals, three roles without a holder
    response = client_for(hr).get(INDEX)
    assert card_names(response) == ["Burgerzaken", "Vergunningen"]
    html = response.content.decode()
    assert "Geen rolhouder voor verbindende samenwerkingspartner" in html
    assert "Vraagt aandacht" in html


def test_sort_key_is_in_the_url(client_for, hr, team, other_team):
    busy_team(team)
    staff(other_team, roles=("vakman",))
    assert card_names(client_for(hr).get(INDEX + "?sort=name")) == ["Burgerzaken", "Vergunningen"]
    assert card_names(client_for(hr).get(INDEX + "?sort=roles")) == [
        "Burgerzaken",
        "Vergunningen",
    ]


def test_municipality_filter_keeps_teams_that_serve_both(client_for, hr, teams):
    """Issue #17: a team that serves both municipalities serves each of them."""
    teams[0].municipality = Municipality.BOXTEL
    teams[0].save()
    both = teams[1]
    assert both.municipality == Municipality.BOTH
    boxtel = set(card_names(client_for(hr).get(INDEX + "?municipality=boxtel")))
    assert boxtel == {teams[0].name, both.name}
    other = card_names(client_for(hr).get(INDEX + "?municipality=sint-michielsgestel"))
    assert other == [both.name]
    assert card_names(client_for(hr).get(INDEX + "?municipality=both")) == [both.name]


def test_municipality_filter_for_a_manager_whose_teams_all_serve_both(client_for, manager, team):
    """The manager of issue #17 saw "0 teams" when choosing their municipality."""
    busy_team(team)
    assert team.municipality == Municipality.BOTH
    assert card_names(client_for(manager).get(INDEX + "?municipality=boxtel")) == [team.name]


def test_objective_filter_counts_only_goals_that_serve_it(client_for, hr, team):
    today = datetime.date.today()
    served = GoalFactory(team=team, start_date=today, due_date=today)
    served.objectives.add(objective("kosten"))
    GoalFactory(team=team, start_date=today, due_date=today)
    response = client_for(hr).get(INDEX + "?objective=kosten")
    [summary] = response.context["summaries"]
    # The manager dashboard counts goals in the database; the team dashboard lists them.
    assert summary.goal_count == 1
    team_url = reverse("dashboard:team", kwargs={"slug": team.slug})
    response = client_for(hr).get(team_url + "?objective=kosten")
    assert [g.goal for g in response.context["dashboard"].summary.goals] == [served]


def test_period_state_is_bookmarkable(client_for, hr, teams):
    response = client_for(hr).get(INDEX + "?period=year&start=2025-05-05&sort=name")
    state = response.context["state"]
    assert (state.period.start, state.period.end) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 31),
    )
    html = response.content.decode()
    assert "?period=year&amp;start=2024-01-01&amp;sort=name" in html  # previous period link
    assert list(get_messages(response.wsgi_request)) == []


def test_custom_period(client_for, hr, teams):
    response = client_for(hr).get(INDEX + "?period=custom&start=2026-01-10&end=2026-02-20")
    period = response.context["state"].period
    assert (period.kind, period.start, period.end) == (
        "custom",
        datetime.date(2026, 1, 10),
        datetime.date(2026, 2, 20),
    )


@pytest.mark.parametrize(
    "query",
    [
        "?period=custom&start=2026-13-01&end=2026-01-01",
        "?period=custom&start=2026-03-01&end=2026-01-01",
        "?period=custom&start=2026-03-01",
        "?period=custom&start=2020-01-01&end=2026-01-01",
        "?period=decade",
        "?period=year&start=9999-12-31",
        "?sort=zzz",
        "?objective=nope",
        "?municipality=amsterdam",
        "?page=abc",
        "?page=999",
        "?start=%00",
    ],
)
def test_bad_query_values_fall_back_to_defaults_with_a_message(client_for, hr, teams, query):
    response = client_for(hr).get(INDEX + query)
    assert response.status_code == 200
    state = response.context["state"]
    assert state.period.kind in {"quarter", "year"}
    assert state.sort == "attention"
    assert state.objective is None
    assert state.municipality == ""
    if "page" not in query:
        [message] = list(get_messages(response.wsgi_request))
        assert "standaardkeuze" in str(message)
    assert len(card_names(response)) == 2


# /dashboard/teams/<slug>/


@pytest.mark.parametrize("persona", ["member", "manager", "hr", "management", "superuser"])
def test_team_dashboard_allowed(client_for, teams, persona, request):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(team_url(teams[0]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rollenmatrix" in html
    assert "Updates per week" in html
    goal = response.context["dashboard"].summary.goals[0].goal
    assert goal.get_absolute_url() in html
    assert html.count("<svg") >= 2
    assert "<table" in html  # table alternatives


@pytest.mark.parametrize("persona", ["other_member", "other_manager", "outsider"])
def test_team_dashboard_forbidden(client_for, teams, persona, request):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(team_url(teams[0])).status_code == 403


def test_team_dashboard_unknown_team(client_for, hr):
    assert client_for(hr).get("/dashboard/teams/bestaat-niet/").status_code == 404


def test_team_dashboard_bad_query(client_for, teams, manager):
    response = client_for(manager).get(team_url(teams[0]) + "?period=custom&end=x&objective=y")
    assert response.status_code == 200
    assert response.context["state"].period.kind == "quarter"


# /dashboard/organisatie/


@pytest.mark.parametrize("persona", ["hr", "management", "superuser"])
def test_organisation_view_allowed(client_for, teams, persona, request):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(ORGANISATION)
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview.team_count == 2
    html = response.content.decode()
    assert "Per organisatiedoel" in html
    assert "Per gemeente" in html
    assert 'id="coverage-chart"' in html


@pytest.mark.parametrize("persona", ["member", "manager", "other_member", "outsider"])
def test_organisation_view_forbidden(client_for, teams, persona, request):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(ORGANISATION).status_code == 403


def test_organisation_groups(client_for, hr, team, other_team):
    today = datetime.date.today()
    team.municipality = Municipality.BOXTEL
    team.save()
    first = GoalFactory(team=team, start_date=today, due_date=today)
    first.objectives.add(objective("kosten"))
    second = GoalFactory(team=other_team, start_date=today, due_date=today)
    second.objectives.add(objective("kosten"))
    GoalFactory(team=other_team, start_date=today, due_date=today)
    staff(team, roles=("vakman",))
    response = client_for(hr).get(ORGANISATION)
    overview = response.context["overview"]
    by_objective = {g.key: g for g in overview.by_objective}
    assert (by_objective["kosten"].goal_count, by_objective["kosten"].team_count) == (2, 2)
    assert by_objective[""].goal_count == 1  # without an objective
    by_municipality = {g.key: g for g in overview.by_municipality}
    assert by_municipality["boxtel"].goal_count == 1
    assert by_municipality["both"].goal_count == 2
    assert overview.coverage[0][0] == other_team  # no holders at all: least covered first
    assert [s.team for s in overview.attention][0] == other_team
    # Boxtel: the Boxtel team and the team that serves both municipalities.
    assert (
        client_for(hr).get(ORGANISATION + "?municipality=boxtel").context["overview"].team_count
        == 2
    )
    assert (
        client_for(hr).get(ORGANISATION + "?municipality=both").context["overview"].team_count == 1
    )


def test_organisation_view_maps_the_least_covered_teams_and_counts_every_team(
    client_for, hr, management, team, other_team, settings, monkeypatch
):
    """Issue 21: the heat map draws the least covered teams (COVERAGE_ROWS), not all of
    them; the counts per role cover every team. HR gets a link to all teams' holders."""
    from dashboards import organisation

    monkeypatch.setattr(organisation, "COVERAGE_ROWS", 1)
    settings.ZS_MIN_ROLE_HOLDERS = 2
    staff(team, holders=2)  # every role covered
    staff(other_team, holders=1, roles=("vakman",))  # one role too few, the others none
    response = client_for(hr).get(ORGANISATION)
    overview = response.context["overview"]
    assert [t for t, _counts in overview.least_covered] == [other_team]
    counts = {c.role.slug: (c.none, c.too_few, c.enough) for c in overview.role_coverage}
    assert counts["vakman"] == (0, 1, 1)
    assert {counts[slug] for slug in counts if slug != "vakman"} == {(1, 0, 1)}
    html = response.content.decode()
    assert "De 1 minst bezette van 2 teams" in html
    assert "groen: twee; donkergroen: drie of meer" in html
    assert html.count('<tr><th scope="row">Burgerzaken</th>') == 1  # the table under the map
    assert '<th scope="row">Vergunningen</th><td>2' not in html
    assert 'href="/rollen/">Alle teams en hun rolhouders</a>' in html
    for_management = client_for(management).get(ORGANISATION).content.decode()
    assert "Alle teams en hun rolhouders" not in for_management


def test_the_heat_map_puts_the_least_covered_teams_first(client_for, hr, settings):
    """Most roles short first, then most roles without anyone, then by name: a team with an
    empty role before one whose role has a single holder, whatever their names."""
    from tests.factories import TeamFactory

    settings.ZS_MIN_ROLE_HOLDERS = 2
    others = ("facilitator", "ondernemer", "samenwerkingspartner")
    single = TeamFactory(name="A, one holder")
    staff(single, holders=2, roles=others)
    staff(single, holders=1, roles=("vakman",))
    empty = TeamFactory(name="B, nobody")
    staff(empty, holders=2, roles=others)
    two_short = TeamFactory(name="C, two short")
    staff(two_short, holders=2, roles=others[:2])
    staff(two_short, holders=1, roles=(others[2], "vakman"))
    covered = TeamFactory(name="D, covered")
    staff(covered, holders=2)
    overview = client_for(hr).get(ORGANISATION).context["overview"]
    assert [t.name for t, _counts in overview.coverage] == [
        "C, two short",
        "B, nobody",
        "A, one holder",
        "D, covered",
    ]


def test_team_dashboard_shows_no_expectation_for_finished_or_milestone_goals(
    client_for, manager, team
):
    """Issue #17 / ADR 0015 on the team dashboard too: a finished goal shows its final result
    and a milestone done / not done, neither an "expected" figure nor a dashed straight line;
    a running goal keeps both."""
    from doelen.measure import MeasureType
    from doelen.models import GoalStatus

    running, finished = busy_team(team, goals=2)
    finished.status = GoalStatus.ACHIEVED
    finished.save()
    today = datetime.date.today()
    milestone = GoalFactory(
        team=team,
        measure_type=MeasureType.MILESTONE,
        unit="",
        start_value=0,
        target_value=1,
        start_date=today - datetime.timedelta(days=30),
        due_date=today + datetime.timedelta(days=30),
    )
    html = client_for(manager).get(team_url(team)).content.decode()

    def article(goal):
        return html.split(f'aria-labelledby="goal-{goal.pk}-title"', 1)[1].split("</article>", 1)[0]

    assert "verwacht" in article(running) and "stroke-dasharray" in article(running)
    assert "Eindresultaat (behaald)" in article(finished)
    assert "verwacht" not in article(finished).lower()
    assert "stroke-dasharray" not in article(finished)
    assert "mijlpaal nog niet bereikt" in article(milestone)
    assert "verwacht" not in article(milestone).lower()


def test_the_card_label_follows_the_severity(client_for, hr, team, other_team):
    """#17: "Ernstig" (serious) and "Vraagt aandacht" (attention) in words, serious first."""
    staff(team, roles=("vakman",))  # three roles without a holder: serious
    busy_team(other_team)
    other_team.update_rhythm = 30
    other_team.save()
    response = client_for(hr).get(INDEX)
    html = response.content.decode()
    summaries = response.context["summaries"]
    assert summaries[0].team == team and summaries[0].is_serious
    card = html.split(f'id="team-{team.pk}-name"', 1)[0].rsplit("<article", 1)[1]
    assert "dash-card-serious" in card
    assert html.count('class="badge badge-serious">Ernstig<') == 1
    assert "(ernstig)" in html

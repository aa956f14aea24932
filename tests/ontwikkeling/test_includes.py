"""The includes other pages (team page, dashboards) use to show the programme."""

from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory

from ontwikkeling import selectors
from tests.ontwikkeling.helpers import closed_round, make_round, new_member, respond


def five(team, first, per_theme):
    return [(p, per_theme) for p in [first, *[new_member(team) for _ in range(4)]]]


def test_team_profile_include(team, member, outsider):
    closed_round(team, five(team, member, {"samenwerken": 2}))
    scan_round = make_round(team)
    respond(scan_round, member, 3)
    request = RequestFactory().get("/")
    request.user = member
    html = render_to_string(
        "ontwikkeling/_team_profile.html",
        {"profile": selectors.team_profile(team=team, viewer=member)},
        request=request,
    )
    assert "scan-profile-table" in html
    assert "zwakste" in html
    assert "/ontwikkeling/teams/vergunningen/" in html
    assert "Pas je antwoorden aan" in html  # the member answered
    html = render_to_string(
        "ontwikkeling/_team_profile.html",
        {"profile": selectors.team_profile(team=team, viewer=outsider)},
    )
    assert "scan-profile-table" in html and "teamscan in" not in html


def test_weakest_theme_tag_and_include(team, other_team, member):
    closed_round(team, five(team, member, {"resultaatgericht-werken": 1}))
    weakest = selectors.weakest_themes(team_ids=[team.pk, other_team.pk])
    template = Template("{% load ontwikkeling %}{% weakest_theme weakest team_id %}")
    html = template.render(Context({"weakest": weakest, "team_id": team.pk}))
    assert "Resultaatgericht werken" in html and "1,0" in html
    html = template.render(Context({"weakest": weakest, "team_id": other_team.pk}))
    assert "nog geen scan" in html


def test_responsibility_progress_include(team):
    html = render_to_string(
        "ontwikkeling/_responsibility_progress.html",
        {"progress": selectors.responsibility_progress(team_ids=[team.pk])},
    )
    assert "Planning en roosters" in html
    assert "<caption>" in html


def test_dashboard_card_section(team, member):
    closed_round(team, five(team, member, {"zelfstandigheid": 2}))

    class Summary:
        pass

    summary = Summary()
    summary.team = team
    html = render_to_string(
        "ontwikkeling/_card_development.html",
        {"summary": summary, "weakest_by_team": selectors.weakest_themes(team_ids=[team.pk])},
    )
    assert "Zwakste thema" in html and "Zelfstandigheid" in html and "2,0" in html


def test_team_profile_include_hides_four_answers(team, member):
    closed_round(team, [(member, 1), *[(new_member(team), 5) for _ in range(3)]])
    html = render_to_string(
        "ontwikkeling/_team_profile.html",
        {"profile": selectors.team_profile(team=team, viewer=member)},
    )
    assert "scan-profile-table" not in html
    assert "nog geen profiel" in html
    assert "1,0" not in html and "5,0" not in html and "4,0" not in html

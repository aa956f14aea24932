"""Browser journey: a manager opens the dashboard and follows the first team that needs
attention to its goals; HR opens the organisation view."""

import re

from tests.e2e.conftest import PHONE, assert_accessible, log_in, screenshot


def test_manager_follows_the_first_team_needing_attention(page, live_server, demo_org):
    log_in(page, live_server, "leidinggevende")
    page.get_by_role("link", name="Dashboard", exact=True).click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert page.get_by_role("heading", name="Dashboard", level=1).is_visible()
    assert_accessible(page)
    screenshot(page, "dashboard-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "dashboard-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    first = page.locator("article.dash-card-attention").first
    reasons = first.locator(".dash-signals li")
    assert reasons.count() >= 1
    assert reasons.first.inner_text().strip()
    team_name = first.get_by_role("heading", level=3).inner_text().strip()
    first.get_by_role("link", name=team_name).click()
    page.wait_for_url(re.compile(r"/dashboard/teams/[\w-]+/"))
    assert page.get_by_role("heading", name=f"Dashboard {team_name}", level=1).is_visible()
    assert page.get_by_role("heading", name="Voortgang per doel").is_visible()
    assert page.get_by_role("heading", name="Rollenmatrix").is_visible()
    assert page.locator("svg.dash-chart").count() >= 2
    page.get_by_text("Toon als tabel").first.click()
    assert_accessible(page)
    screenshot(page, "dashboard-team-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "dashboard-team-phone")

    goal_link = page.locator(".dash-goal h3 a").first
    goal_title = goal_link.inner_text().strip()
    goal_link.click()
    page.wait_for_url(re.compile(r"/doelen/\d+/$"))
    assert goal_title in page.content()


def test_hr_sees_the_organisation_view(page, live_server, demo_org):
    log_in(page, live_server, "hr")
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role("link", name="Organisatieoverzicht").click()
    page.wait_for_url(re.compile(r"/dashboard/organisatie/"))
    assert page.get_by_role("heading", name="Dekking van de rollen").is_visible()
    assert page.locator("#coverage-chart").is_visible()
    assert_accessible(page)
    screenshot(page, "dashboard-organisation-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "dashboard-organisation-phone")


def test_filters_keep_their_state_in_the_url(page, live_server, demo_org):
    log_in(page, live_server, "hr")
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_label("Periode", exact=True).select_option("year")
    page.get_by_label("Sorteer op").select_option("name")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url(re.compile(r"period=year.*sort=name"))
    assert page.get_by_label("Sorteer op").input_value() == "name"
    page.goto(f"{live_server.url}/dashboard/?period=custom&start=nonsense")
    assert page.get_by_text("standaardkeuze").is_visible()

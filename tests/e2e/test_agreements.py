"""Browser journey (issue #20): a team records an agreement and later revises it (the history
shows both versions), and a member adds a contribution to a goal."""

import re

from afspraken.models import Agreement
from doelen.models import Goal, GoalContribution
from tests.e2e.conftest import PHONE, assert_accessible, log_in, screenshot


def test_team_records_and_revises_an_agreement_and_adds_a_contribution(
    browser, page, live_server, demo_org
):
    log_in(page, live_server, "medewerker")
    page.goto(f"{live_server.url}/teams/burgerzaken/")
    page.get_by_role("heading", name="Onze werkafspraken").wait_for()
    assert_accessible(page)
    screenshot(page, "agreements-team-page")
    page.get_by_role("link", name="Werkafspraak toevoegen").first.click()
    page.wait_for_url("**/werkafspraken/nieuw/")
    page.get_by_role("button", name="Afspraak vastleggen").click()  # empty: errors
    page.get_by_role("alert").wait_for()
    assert_accessible(page)
    page.get_by_label("Titel").fill("Zo verdelen we de balie")
    page.get_by_label("Wat we afspreken").fill("Wie 's ochtends begint, opent de balie.")
    page.get_by_label("Eigenaar").select_option(label="Mila de Vries")
    page.get_by_role("button", name="Afspraak vastleggen").click()
    page.wait_for_url(re.compile(r"/werkafspraken/\d+/$"))
    agreement = Agreement.objects.get(current__title="Zo verdelen we de balie")

    page.get_by_role("link", name="Afspraak wijzigen").click()
    page.get_by_label("Wat we afspreken").fill("We wisselen per dagdeel aan de balie.")
    page.get_by_label("Wat is gewijzigd").fill("Na twee weken proberen")
    page.get_by_role("button", name="Bewaren als nieuwe versie").click()
    page.wait_for_url(f"**/werkafspraken/{agreement.pk}/")
    history = page.get_by_role("region", name="Geschiedenis")
    assert history.get_by_text("Versie 2").is_visible()
    assert history.get_by_text("Versie 1").is_visible()
    assert history.get_by_text("Wie 's ochtends begint, opent de balie.").is_visible()
    assert agreement.versions.count() == 2
    assert_accessible(page)
    screenshot(page, "agreement-history")
    page.set_viewport_size(PHONE)
    screenshot(page, "agreement-history-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    goal = Goal.objects.filter(team__slug="burgerzaken", status="active").order_by("pk").first()
    page.goto(f"{live_server.url}{goal.get_absolute_url()}")
    page.get_by_text("Een bijdrage toevoegen").click()
    page.get_by_label("Teamlid").select_option(index=1)
    page.get_by_label("Wat diegene bijdraagt").fill("houdt de wachttijden bij")
    page.get_by_role("button", name="Bijdrage toevoegen").click()
    page.get_by_text("houdt de wachttijden bij").first.wait_for()
    assert GoalContribution.objects.filter(goal=goal, description="houdt de wachttijden bij")
    assert_accessible(page)
    screenshot(page, "goal-contributions")

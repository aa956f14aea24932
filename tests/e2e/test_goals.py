"""Browser journey: an employee adds a goal and records progress, inline (htmx) and with
JavaScript switched off."""

import datetime
import re

from django.utils import timezone

from doelen.models import CheckIn, Goal
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible, log_in, screenshot


def watch_csp(page, violations: list[str]) -> list[str]:
    """Collect the Content-Security-Policy violations the browser reports on this page."""
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append(message.text)
        ),
    )
    return violations


def test_employee_adds_a_goal_and_records_progress(browser, page, live_server, demo_org):
    csp_violations = watch_csp(page, [])
    log_in(page, live_server, "medewerker")
    assert page.get_by_role("heading", name="Wacht op een update van jou").is_visible()
    assert_accessible(page)
    screenshot(page, "home-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "home-phone")
    page.set_viewport_size(DESKTOP)

    # Add a goal from the start page.
    team_section = page.get_by_role("region", name="Burgerzaken")
    team_section.get_by_role("link", name="Doel toevoegen").click()
    page.wait_for_url("**/doelen/nieuw/")
    page.get_by_role("heading", name="Nieuw doel voor Burgerzaken").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Doel toevoegen").click()  # empty: errors, nothing saved
    page.get_by_role("alert").wait_for()
    assert_accessible(page)
    screenshot(page, "goal-form-errors-desktop")
    page.get_by_label("Titel").fill("Meer aanvragen digitaal")
    page.get_by_label("een getal").check()
    assert page.get_by_label("Eenheid").is_visible()
    page.get_by_label("een mijlpaal").check()
    assert not page.get_by_label("Eenheid").is_visible()  # goals.js hides what does not fit
    page.get_by_label("een getal").check()
    page.get_by_label("Eenheid").fill("aanvragen")
    page.get_by_label("Startwaarde").fill("0")
    page.get_by_label("Streefwaarde").fill("40")
    due = timezone.localdate() + datetime.timedelta(days=90)
    page.get_by_label("Einddatum").fill(due.isoformat())
    page.get_by_role("button", name="Doel toevoegen").click()
    page.wait_for_url(re.compile(r"/doelen/\d+/$"))
    goal = Goal.objects.get(title="Meer aanvragen digitaal")
    assert page.get_by_role("heading", name="Meer aanvragen digitaal", level=1).is_visible()
    progress = page.get_by_role("progressbar", name="Voortgang van Meer aanvragen digitaal")
    assert progress.get_attribute("aria-valuenow") == "0"

    # First check-in inline with htmx: the page does not reload.
    page.evaluate("window.__stayed = true")
    page.get_by_label("Nieuwe waarde (aanvragen)").fill("10")
    page.get_by_role("button", name="Voortgang opslaan").click()
    page.get_by_text("Je voortgang is opgeslagen.").wait_for()
    assert page.evaluate("window.__stayed === true")
    assert progress.get_attribute("aria-valuenow") == "25"
    assert page.locator(".timeline-item").count() == 1
    assert page.locator("#goal-notice").evaluate("el => el === document.activeElement")
    assert_accessible(page)
    screenshot(page, "goal-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "goal-phone")

    # Second check-in with JavaScript off: a plain form post and a redirect.
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL", java_script_enabled=False)
    context.set_default_timeout(15_000)
    plain = context.new_page()
    watch_csp(plain, csp_violations)
    try:
        log_in(plain, live_server, "medewerker")
        plain.goto(live_server.url + goal.get_absolute_url())
        plain.get_by_label("Nieuwe waarde (aanvragen)").fill("20")
        plain.get_by_label("aandacht nodig").check()
        plain.get_by_role("button", name="Voortgang opslaan").click()
        plain.get_by_text("Leg in een toelichting uit").first.wait_for()  # a comment is needed
        plain.get_by_label("Toelichting").fill("Twee collega's ziek; we lopen iets achter.")
        plain.get_by_role("button", name="Voortgang opslaan").click()
        plain.get_by_text("Je voortgang is opgeslagen.").wait_for()
        bar = plain.get_by_role("progressbar", name="Voortgang van Meer aanvragen digitaal")
        assert bar.get_attribute("aria-valuenow") == "50"
        assert plain.locator(".timeline-item").count() == 2
        assert plain.get_by_text("Twee collega's ziek").first.is_visible()
    finally:
        context.close()
    assert list(CheckIn.objects.filter(goal=goal).values_list("value", flat=True)) == [20, 10]

    # The team page lists the goal.
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + goal.team.get_absolute_url())
    assert page.get_by_role("link", name="Meer aanvragen digitaal").is_visible()
    assert_accessible(page)
    assert csp_violations == []


def test_goal_pages_are_read_only_for_another_team(page, live_server, demo_org):
    goal = Goal.objects.exclude(team__memberships__employee__username="medewerker").first()
    log_in(page, live_server, "medewerker")
    page.goto(live_server.url + goal.get_absolute_url())
    assert page.get_by_role("heading", name=goal.title, level=1).is_visible()
    assert page.get_by_role("button", name="Voortgang opslaan").count() == 0
    assert page.get_by_role("link", name="Doel wijzigen").count() == 0
    assert_accessible(page)


def test_edit_form_is_accessible(page, live_server, demo_org):
    goal = Goal.objects.filter(
        team__memberships__employee__username="medewerker", status="active"
    ).first()
    log_in(page, live_server, "medewerker")
    page.goto(live_server.url + goal.get_absolute_url())
    page.get_by_role("link", name="Doel wijzigen").click()
    page.wait_for_url("**/bewerken/")
    page.get_by_role("heading", name="Doel wijzigen").wait_for()
    assert_accessible(page)

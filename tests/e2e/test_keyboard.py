"""Keyboard journeys (issue #16): the user menu, the phone menu with and without JavaScript,
the idle-timeout warning and input kept over a log-in, a goal form with an error fixed, a
check-in and the error pages, all with the keyboard only."""

import re

import pytest

from doelen.models import Goal
from ontwikkeling.models import ScanRound
from ontwikkeling.reference import ensure_reference
from teams.models import Team
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible, log_in, screenshot
from tests.ontwikkeling.helpers import make_round


def focused(page) -> str:
    return page.evaluate(
        "() => { const el = document.activeElement;"
        " return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' '"
        " + (el.textContent || el.value || '').trim().slice(0, 40); }"
    )


def tab_to(page, predicate_js: str, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate_js}; }}"):
            return
    raise AssertionError(f"Tab never reached {predicate_js}")


def test_log_in_with_the_keyboard_and_use_the_user_menu(page, live_server, demo_org):
    page.goto(f"{live_server.url}/account/login/")
    tab_to(page, "el.name === 'username'")
    page.keyboard.type("medewerker")
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")

    menu = page.locator("details.user-menu")
    tab_to(page, "el.tagName === 'SUMMARY'")
    page.keyboard.press("Enter")
    assert menu.evaluate("el => el.open")
    page.keyboard.press("Tab")
    assert "Mijn gegevens" in focused(page)
    screenshot(page, "focus-user-menu-open")
    # Escape closes the menu and puts focus back on its summary.
    page.keyboard.press("Escape")
    assert not menu.evaluate("el => el.open")
    assert focused(page).startswith("summary")
    # Focus leaving the menu closes it: it never covers the control that has focus.
    page.keyboard.press("Enter")
    assert menu.evaluate("el => el.open")
    items = page.locator(".user-menu-list a, .user-menu-list button").count()
    for _ in range(items + 1):  # every item, then out of the menu
        page.keyboard.press("Tab")
    assert not menu.evaluate("el => el.open")
    assert not page.evaluate("document.activeElement.closest('details.user-menu')")
    # Log out from the menu: the log-in page says so.
    page.keyboard.press("Shift+Tab")
    tab_to(page, "el.tagName === 'SUMMARY'")
    page.keyboard.press("Enter")
    tab_to(page, "el.type === 'submit' && !!el.closest('details.user-menu')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/account/login/"))
    assert page.locator(".messages").get_by_text("Je bent uitgelogd.").is_visible()
    # The confirmation is put into the live region after load, so it is announced.
    live = page.locator("#messages-live")
    for _ in range(20):
        if live.inner_text().strip() == "Je bent uitgelogd.":
            break
        page.wait_for_timeout(100)
    assert live.inner_text().strip() == "Je bent uitgelogd."


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_phone_menu_reaches_dashboard_settings_and_log_out(
    browser, live_server, demo_org, javascript
):
    context = browser.new_context(viewport=PHONE, locale="nl-NL", java_script_enabled=javascript)
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, live_server, "leidinggevende")
    dashboard = page.get_by_role("link", name="Dashboard", exact=True)
    assert not dashboard.is_visible()
    toggler = page.locator(".navbar-toggler")
    toggler.focus()
    page.keyboard.press("Enter")
    dashboard.wait_for(state="visible")
    if javascript:  # Bootstrap's collapse slides the menu open; links move until it ends.
        page.locator("#main-nav.show:not(.collapsing)").wait_for()
    page.locator("details.user-menu > summary").click()
    assert page.get_by_role("link", name="Mijn instellingen").is_visible()
    assert page.get_by_role("button", name="Uitloggen").is_visible()
    screenshot(page, f"phone-menu-{'js' if javascript else 'nojs'}")
    dashboard.click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    context.close()


def open_phone_menu(page):
    page.locator(".navbar-toggler").click()
    # Bootstrap's collapse slides the menu open; links move until it ends.
    page.locator("#main-nav.show:not(.collapsing)").wait_for()


def test_a_press_below_the_open_user_menu_is_not_lost(browser, live_server, demo_org):
    """Pressing a link moves focus before the click lands; if the user menu closed then, the
    page would shift up under the finger and the click would land elsewhere."""
    context = browser.new_context(viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    log_in(page, live_server, "medewerker")
    open_phone_menu(page)
    page.locator("details.user-menu > summary").click()
    menu = page.locator("details.user-menu")
    link = page.locator("main a[href^='/teams/']").first
    href = link.get_attribute("href")
    link.scroll_into_view_if_needed()
    box = link.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    assert menu.evaluate("el => el.open"), "the menu closed while the finger was still down"
    assert link.bounding_box() == box
    page.mouse.up()
    page.wait_for_url(f"{live_server.url}{href}")
    context.close()


def test_idle_timeout_warns_and_keeps_what_was_typed(page, live_server, demo_org, settings):
    settings.SESSION_COOKIE_AGE = 21  # the warning comes 7 seconds before the end
    log_in(page, live_server, "medewerker")
    page.goto(f"{live_server.url}/teams/burgerzaken/doelen/nieuw/")
    title = page.get_by_label("Titel")
    title.focus()
    page.keyboard.type("Sneller antwoord op vragen")
    warning = page.get_by_role("alertdialog")
    warning.wait_for(state="visible", timeout=25_000)
    assert "uitgelogd" in warning.inner_text()
    assert "Ingelogd blijven" in focused(page)
    assert_accessible(page)
    screenshot(page, "session-warning")
    # Staying logged in with the keyboard: the warning goes, focus returns to the title.
    page.keyboard.press("Enter")
    warning.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.name") == "title"
    # Now let it end: the input is kept and comes back after logging in again.
    warning.wait_for(state="visible", timeout=25_000)
    page.get_by_role("link", name="Opnieuw inloggen").wait_for(timeout=25_000)
    assert page.get_by_role("alertdialog", name="Je bent uitgelogd").is_visible()
    screenshot(page, "session-ended")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/account/login/\?next="))
    page.get_by_label("Gebruikersnaam").fill("medewerker")
    page.get_by_label("Wachtwoord").fill("demo")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r"/doelen/nieuw/$"))
    assert page.get_by_label("Titel").input_value() == "Sneller antwoord op vragen"
    page.get_by_role("status").filter(
        has_text="We hebben teruggezet wat je eerder had ingevuld."
    ).wait_for()
    # Logging out removes drafts from the browser: the next person in this tab gets nothing.
    drafts = "Object.keys(sessionStorage).filter(k => k.startsWith('zs-draft:'))"
    assert page.evaluate(drafts) != []
    page.locator("details.user-menu > summary").click()
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(re.compile(r"/account/login/"))
    assert page.evaluate(drafts) == []


def test_goal_with_an_error_fixed_and_a_check_in_by_keyboard(page, live_server, demo_org):
    log_in(page, live_server, "medewerker")
    page.goto(f"{live_server.url}/teams/burgerzaken/doelen/nieuw/")
    page.get_by_label("Titel").focus()
    page.keyboard.type("Minder wachttijd")
    tab_to(page, "el.type === 'submit'")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    # Focus lands on the error summary; every link leads to a field that exists.
    assert page.evaluate("document.activeElement.id") == "error-summary"
    hrefs = page.locator("#error-summary a").evaluate_all("els => els.map(a => a.hash)")
    assert hrefs
    for href in hrefs:
        assert page.locator(href).count() == 1, f"error link {href} leads nowhere"
    assert_accessible(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    first_target = hrefs[0]
    assert page.evaluate("'#' + document.activeElement.id") == first_target
    page.get_by_label("een getal").check()
    page.get_by_label("Eenheid").fill("minuten")
    page.get_by_label("Startwaarde").fill("30")
    page.get_by_label("Streefwaarde").fill("10")
    page.get_by_label("Einddatum").fill("2030-01-31")
    page.get_by_label("Einddatum").focus()
    tab_to(page, "el.type === 'submit'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/doelen/\d+/(#.*)?$"))
    goal = Goal.objects.get(title="Minder wachttijd")
    # A check-in, keyboard only (the inline htmx form).
    page.get_by_label("Nieuwe waarde (minuten)").focus()
    page.keyboard.type("20")
    tab_to(page, "el.type === 'submit' && el.closest('form').querySelector('[name=value]')")
    page.keyboard.press("Enter")
    page.get_by_text("Je voortgang is opgeslagen.").wait_for()
    assert goal.check_ins.count() == 1
    # Sent successfully: no draft is left behind in the browser.
    drafts = "Object.entries(sessionStorage).filter(([k]) => k.startsWith('zs-draft:'))"
    assert page.evaluate(drafts) == []


@pytest.mark.parametrize(
    "path,heading",
    [
        ("/bestaat-niet/", "We kunnen deze pagina niet vinden"),
        ("/rollen/", "Je mag deze pagina niet openen"),
    ],
)
def test_error_pages_in_the_portal_layout(page, live_server, demo_org, path, heading):
    log_in(page, live_server, "medewerker")
    response = page.goto(live_server.url + path)
    assert response.status in (403, 404)
    assert page.get_by_role("heading", name=heading, level=1).is_visible()
    assert page.get_by_role("link", name="Naar de startpagina").is_visible()
    assert page.get_by_role("link", name="Toegankelijkheid").is_visible()
    assert_accessible(page)
    screenshot(page, f"error-{response.status}")
    page.set_viewport_size({"width": 320, "height": 720})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size(DESKTOP)


def test_csrf_failure_page(page, live_server, demo_org):
    page.goto(live_server.url + "/toegankelijkheid/")
    page.context.clear_cookies()
    with page.expect_navigation():
        page.evaluate(
            """() => { const f = document.querySelector('footer form');
                       f.querySelector('[name=csrfmiddlewaretoken]').remove(); f.submit(); }"""
        )
    assert page.get_by_role("heading", name="We konden het formulier niet versturen").is_visible()
    assert_accessible(page)
    screenshot(page, "error-csrf")


def test_statement_without_log_in_and_in_english(page, live_server, demo_org):
    page.goto(live_server.url + "/account/login/")
    page.get_by_role("link", name="Toegankelijkheid").click()
    page.wait_for_url(re.compile(r"/toegankelijkheid/$"))
    assert page.get_by_role("heading", name="Toegankelijkheidsverklaring", level=1).is_visible()
    assert page.get_by_text("voldoet gedeeltelijk").is_visible()
    assert_accessible(page)
    screenshot(page, "statement-nl")
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wissel").click()
    page.get_by_role("heading", name="Accessibility statement", level=1).wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    screenshot(page, "statement-en")


def test_answer_the_scan_with_the_keyboard(page, live_server, demo_org):
    ensure_reference()
    team = Team.objects.get(name="Burgerzaken")
    ScanRound.objects.filter(team=team).delete()
    make_round(team)
    log_in(page, live_server, "medewerker")
    page.goto(f"{live_server.url}/ontwikkeling/teams/{team.slug}/scan/")
    groups = 0
    for _ in range(200):
        page.keyboard.press("Tab")
        kind = page.evaluate("document.activeElement.type")
        if kind == "radio":
            page.keyboard.press("Space")  # the first option, then three to the right: 4
            for _ in range(3):
                page.keyboard.press("ArrowRight")
            groups += 1
        elif kind == "submit" and page.evaluate("!document.activeElement.closest('header')"):
            break
    assert groups == page.locator("fieldset.scan-statement").count() > 0
    page.keyboard.press("Enter")
    page.get_by_text("Dank je wel. Je antwoorden zijn opgeslagen.").wait_for()

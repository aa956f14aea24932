"""Browser journeys of issue #17, steering day to day: a manager sees their teams in the
dashboards' order and asks for an update on a stale goal; the owner follows the e-mail's
link to "Mijn updates" and updates two goals; the manager reacts to a check-in; the team
prints its dashboard (a PDF rendered by Chromium)."""

import datetime
import re
from pathlib import Path

from django.core import mail
from django.utils import timezone

from doelen.models import CheckIn, Goal, Reaction
from teams.models import Employee, Membership
from tests.e2e.conftest import PHONE, SCREENSHOTS, assert_accessible, log_in, screenshot

WIDE = {"width": 1366, "height": 900}


def _stale_goals(team, owner, titles):
    today = timezone.localdate()
    goals = []
    for title in titles:
        goal = Goal.objects.create(
            team=team,
            title=title,
            measure_type="number",
            unit="klanten",
            start_value=0,
            target_value=100,
            start_date=today - datetime.timedelta(days=90),
            due_date=today + datetime.timedelta(days=60),
            owner=owner,
        )
        # Created long ago, never updated: stale by every rhythm.
        Goal.objects.filter(pk=goal.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=90)
        )
        goals.append(goal)
    return goals


def test_ask_for_an_update_update_from_my_updates_and_react(
    browser, live_server, demo_org, settings
):
    settings.SITE_URL = live_server.url  # the e-mail's links lead to this server
    owner = Employee.objects.get(username="medewerker")
    team = Membership.objects.current().filter(employee=owner).order_by("team__name")[0].team
    assert team.managers.filter(username="leidinggevende").exists()
    first, second = _stale_goals(team, owner, ["Eerste doel van Mila", "Tweede doel van Mila"])

    # The manager: their teams on the start page, then "Vraag om een update".
    manager_context = browser.new_context(viewport=WIDE, locale="nl-NL")
    manager_page = manager_context.new_page()
    log_in(manager_page, live_server, "leidinggevende")
    managed = manager_page.locator(".managed-teams li")
    assert managed.count() >= 1
    # Teams by severity: "Ernstig" before "Vraagt aandacht" before none.
    rank = {"Ernstig": 2, "Vraagt aandacht": 1}
    labels = [
        rank.get(item.locator(".badge").first.inner_text().strip(), 0)
        if item.locator(".badge").count()
        else 0
        for item in managed.all()
    ]
    assert labels == sorted(labels, reverse=True) and labels[0] >= 1, labels
    waiting = manager_page.locator(".manager-waiting li").filter(has_text=first.title)
    waiting.get_by_role("button", name=re.compile("Vraag om een update")).click()
    manager_page.get_by_text(re.compile("gevraagd|verstuurd|gestuurd", re.I)).first.wait_for()
    assert_accessible(manager_page)
    screenshot(manager_page, "steering-manager-asked")
    nudges = [m for m in mail.outbox if owner.email in m.to]
    assert len(nudges) == 1, [m.subject for m in mail.outbox]
    link = re.search(re.escape(live_server.url) + r"/mijn-updates/", nudges[0].body)
    assert link, nudges[0].body
    # Asking again the same day sends nothing more.
    waiting = manager_page.locator(".manager-waiting li").filter(has_text=first.title)
    if waiting.get_by_role("button", name=re.compile("Vraag om een update")).count():
        waiting.get_by_role("button", name=re.compile("Vraag om een update")).click()
        manager_page.wait_for_load_state("networkidle")
    assert len([m for m in mail.outbox if owner.email in m.to]) == 1

    # The owner follows the link, logs in, and updates both goals on "Mijn updates".
    owner_context = browser.new_context(viewport=PHONE, locale="nl-NL")
    owner_page = owner_context.new_page()
    owner_page.goto(link.group(0))
    owner_page.get_by_label("Gebruikersnaam").fill("medewerker")
    owner_page.get_by_label("Wachtwoord").fill("demo")
    owner_page.get_by_role("button", name="Inloggen").click()
    owner_page.wait_for_url(re.compile(r"/mijn-updates/$"))
    assert owner_page.get_by_role("heading", name="Mijn updates", level=1).is_visible()
    assert owner_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(owner_page)
    screenshot(owner_page, "steering-my-updates-phone")
    for goal, value in ((first, "40"), (second, "55")):
        block = owner_page.locator(f"#my-update-{goal.pk}")
        block.get_by_label(re.compile("Nieuwe waarde")).fill(value)
        block.get_by_role("button", name=re.compile("Voortgang opslaan")).click()
        owner_page.locator(f"#my-update-{goal.pk} [role=status]").wait_for()
    assert CheckIn.objects.filter(goal__in=[first, second]).count() == 2

    # The manager reacts to the owner's check-in on the goal page.
    manager_page.goto(live_server.url + first.get_absolute_url())
    manager_page.locator("details.reaction-add > summary").first.click()
    manager_page.get_by_label("Je reactie").fill("Mooi, dank je! Lukt de rest ook?")
    manager_page.get_by_role("button", name="Plaats reactie").click()
    manager_page.get_by_text("Mooi, dank je! Lukt de rest ook?").wait_for()
    assert Reaction.objects.filter(check_in__goal=first).count() == 1
    assert_accessible(manager_page)
    screenshot(manager_page, "steering-reaction")
    reactions_mail = [m for m in mail.outbox if owner.email in m.to and m is not nudges[0]]
    assert len(reactions_mail) == 1, [m.subject for m in mail.outbox]
    owner_context.close()
    manager_context.close()


def test_the_team_prints_its_dashboard(browser, live_server, demo_org):
    """Print media: no navigation, filters or buttons; nothing wider than an A4 page; a PDF
    rendered by Chromium (tests/e2e/screenshots/team-dashboard.pdf, looked at)."""
    owner = Employee.objects.get(username="medewerker")
    team = Membership.objects.current().filter(employee=owner).order_by("team__name")[0].team
    context = browser.new_context(viewport=WIDE, locale="nl-NL")
    page = context.new_page()
    log_in(page, live_server, "leidinggevende")
    for path in (f"/dashboard/teams/{team.slug}/", team.get_absolute_url()):
        page.goto(live_server.url + path)
        page.emulate_media(media="print")
        hidden = page.evaluate(
            """() => ['header', 'footer', '.dash-filters', '.skip-link', 'main form']
                 .flatMap(s => [...document.querySelectorAll(s)])
                 .filter(el => el.getBoundingClientRect().height > 0)
                 .map(el => el.tagName + '.' + el.className)"""
        )
        assert hidden == [], f"{path}: shown in print: {hidden}"
        # A4 portrait at 96 dpi minus 15 mm margins is about 680 px wide.
        page.set_viewport_size({"width": 680, "height": 900})
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 680, f"{path}: {width}px wide in print"
        SCREENSHOTS.mkdir(exist_ok=True)
        name = "team-dashboard" if "dashboard" in path else "team-page"
        pdf = Path(SCREENSHOTS) / f"{name}.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        assert pdf.stat().st_size > 10_000
        assert pdf.read_bytes().count(b"/Type /Page") >= 1
        page.emulate_media(media="screen")
        page.set_viewport_size(WIDE)
    context.close()


def test_dashboard_filters_are_folded_on_a_phone(browser, live_server, demo_org):
    """On a phone the filters sit behind "Filters", so the first team is on the first screen;
    on a wide screen they are shown without the control."""
    context = browser.new_context(viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    log_in(page, live_server, "leidinggevende")
    page.goto(f"{live_server.url}/dashboard/")
    toggle = page.locator(".dash-filters summary", has_text="Filters")
    assert toggle.is_visible()
    period = page.get_by_label("Periode", exact=True)
    assert not period.is_visible()
    first_card = page.locator("article.dash-card").first
    assert first_card.bounding_box()["y"] < PHONE["height"], "the first team is below the fold"
    screenshot(page, "dashboard-filters-folded-phone")
    toggle.focus()
    page.keyboard.press("Enter")
    assert period.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(WIDE)
    period.wait_for(state="visible")
    assert not toggle.is_visible()
    context.close()

"""Browser journey (issue #20): an employee writes a development intention for one of their
roles, adds a progress note and shares it with their manager, who sees it only then."""

import datetime
import re

from django.utils import timezone

from ontwikkeling.personal.models import DevelopmentIntention
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible, log_in, screenshot

AIM = "Inwoners en de bibliotheek samen laten werken aan taalles"


def test_employee_writes_and_shares_an_intention(browser, page, live_server, demo_org):
    log_in(page, live_server, "medewerker")
    page.locator("details.user-menu > summary").click()
    page.get_by_role("link", name="Mijn ontwikkeling").click()
    page.get_by_role("heading", name="Mijn ontwikkeling", level=1).wait_for()
    assert_accessible(page)
    screenshot(page, "development-mine-desktop")

    page.get_by_role("link", name=re.compile(r"Nieuw voornemen.*samenwerkingspartner")).click()
    page.get_by_role("heading", name="Nieuw ontwikkelvoornemen").wait_for()
    page.get_by_role("button", name="Opslaan").click()  # empty: errors, nothing saved
    page.get_by_role("alert").wait_for()
    assert_accessible(page)
    screenshot(page, "development-form-errors")
    page.get_by_label("Waarin wil je groeien?").fill(AIM)
    page.get_by_label("Hoe pak je het aan?").fill("Eerst een gesprek met de bibliothecaris.")
    due = timezone.localdate() + datetime.timedelta(days=60)
    page.get_by_label("Wanneer wil je het bereikt hebben?").fill(due.isoformat())
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(re.compile(r"/ontwikkeling/mijn/#voornemen-\d+$"))
    made = DevelopmentIntention.objects.get(aim=AIM)
    assert made.sharing == "private"
    card = page.locator(f"#voornemen-{made.pk}")
    card.get_by_label("Schrijf een notitie over je voortgang").fill("Afspraak staat.")
    card.get_by_role("button", name="Notitie toevoegen").click()
    page.wait_for_url(re.compile(r"#voornemen-\d+$"))
    card = page.locator(f"#voornemen-{made.pk}")
    assert card.get_by_text("Afspraak staat.").is_visible()

    # The manager does not see it yet.
    manager_context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    manager = manager_context.new_page()
    log_in(manager, live_server, "leidinggevende")
    manager.goto(f"{live_server.url}/dashboard/")
    counts = manager.get_by_role("region", name="Persoonlijke ontwikkeling")
    assert "lopend ontwikkelvoornemen" in counts.inner_text()
    assert AIM not in manager.content()
    counts.get_by_role("link", name="Gedeeld met jou").click()
    manager.get_by_role("heading", name="Ontwikkeling gedeeld met jou").wait_for()
    assert AIM not in manager.content()

    # Shared with the manager: now it is there, with the note.
    card.get_by_label("Wie mag het lezen?").select_option("managers")
    card.get_by_role("button", name="Delen opslaan").click()
    page.wait_for_url(re.compile(r"#voornemen-\d+$"))
    made.refresh_from_db()
    assert made.sharing == "managers"
    assert_accessible(page)
    screenshot(page, "development-mine-shared")
    page.set_viewport_size(PHONE)
    screenshot(page, "development-mine-phone")

    manager.reload()
    shared = manager.get_by_role("article", name=AIM)
    shared.wait_for()
    assert shared.get_by_text("Afspraak staat.").is_visible()
    assert_accessible(manager)
    screenshot(manager, "development-shared-with-manager")
    manager_context.close()

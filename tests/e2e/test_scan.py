"""Browser journey: a member starts a scan round and fills in the scan; while the round is
open nothing about scores shows, however many answered; once the round is closed (with at
least ZS_SCAN_MIN_ANSWERS answers) the team's development profile appears. HR sees the
organisation overview."""

import datetime
import json

import pytest
from django.utils import timezone

from ontwikkeling.models import Responsibility, ScanRound, TeamResponsibility
from ontwikkeling.reference import ensure_reference
from ontwikkeling.services import change_responsibility_state
from teams.models import Employee, Membership, Team
from tests.e2e.conftest import AXE, PHONE, log_in, screenshot
from tests.ontwikkeling.helpers import close, make_round, respond


@pytest.fixture
def csp_violations(page):
    """Content-Security-Policy violations the browser reports while the test runs."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def assert_accessible(page):
    """axe-core WCAG 2.1 A/AA, loaded through the DevTools protocol: the portal's CSP
    (no inline script) refuses the <script> tag that tests.e2e.conftest.axe_violations adds."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    result = page.evaluate("(options) => axe.run(document, options)", options)
    violations = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert violations == [], json.dumps(violations, indent=2)


def test_member_fills_in_the_scan_and_the_profile_appears(
    page, live_server, demo_org, csp_violations
):
    ensure_reference()  # the live-server flush removed the data migration's rows
    team = Team.objects.get(name="Burgerzaken")
    ScanRound.objects.filter(team=team).delete()  # in case seed_demo adds demo rounds
    log_in(page, live_server, "medewerker")

    page.goto(f"{live_server.url}/ontwikkeling/teams/{team.slug}/")
    assert page.get_by_role("heading", name="Ontwikkelprogramma Burgerzaken", level=1).is_visible()
    assert page.get_by_text("Er is nog geen profiel.").is_visible()
    page.get_by_role("button", name="Start de scanronde").click()
    assert page.get_by_text("De scanronde is geopend.").is_visible()
    scan_round = ScanRound.objects.get(team=team)

    page.get_by_role("link", name="Vul de teamscan in").click()
    assert page.get_by_role("heading", name="Teamscan Burgerzaken", level=1).is_visible()
    assert_accessible(page)
    screenshot(page, "scan-form-desktop")
    # Sending an incomplete form explains what is missing.
    page.get_by_role("button", name="Verstuur mijn antwoorden").click()
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)
    statements = page.locator("fieldset.scan-statement")
    for index in range(statements.count()):
        statements.nth(index).get_by_label("4 – eens", exact=True).check()
    page.set_viewport_size(PHONE)
    screenshot(page, "scan-form-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Verstuur mijn antwoorden").click()
    assert page.get_by_text("Dank je wel. Je antwoorden zijn opgeslagen.").is_visible()
    # Open: that it is open and that I answered; no count, no profile.
    assert page.get_by_text("Jij hebt de scan ingevuld.").is_visible()
    assert page.get_by_text("tot nu toe").count() == 0
    assert page.locator("table.scan-profile-table").count() == 0

    me = Employee.objects.get(username="medewerker")
    colleagues = [
        m.employee
        for m in Membership.objects.current(timezone.localdate())
        .filter(team=team)
        .exclude(employee=me)
        .select_related("employee")[:4]
    ]
    assert len(colleagues) == 4
    respond(scan_round, colleagues[0], {"samenwerken": 2, "zelfstandigheid": 5})
    before = page.reload() and page.locator("#scan-profile-heading").locator("..").inner_text()
    for colleague, score in zip(colleagues[1:], [1, 2, 3], strict=True):
        respond(scan_round, colleague, {"samenwerken": score, "zelfstandigheid": 3})
    page.reload()
    assert page.locator("#scan-profile-heading").locator("..").inner_text() == before
    assert page.locator("table.scan-profile-table").count() == 0
    assert_accessible(page)
    screenshot(page, "development-open-round")

    # The team closes the round: the profile appears.
    page.get_by_role("button", name="Sluit de scanronde").click()
    assert page.get_by_text("De scanronde is gesloten.").is_visible()
    profile = page.get_by_role("table", name="Gemiddelde score per thema")
    assert profile.is_visible()
    assert profile.get_by_role("row", name="Samenwerken").get_by_text("zwakste").is_visible()
    assert page.get_by_text("gesloten, 5 antwoorden").is_visible()
    assert_accessible(page)
    screenshot(page, "development-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "development-phone")

    # From scan to action: the weakest theme is chosen already.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Maak een ontwikkeldoel").click()
    assert page.get_by_text("Groeien op Samenwerken").first.is_visible()

    # Closed: nobody can answer any more, and the scan says so.
    page.goto(f"{live_server.url}/ontwikkeling/teams/{team.slug}/scan/")
    assert page.get_by_text("Er is nu geen open scanronde voor dit team.").is_visible()
    assert csp_violations == []


def test_hr_sees_the_organisation_overview(page, live_server, demo_org, csp_violations):
    ensure_reference()
    TeamResponsibility.objects.all().delete()  # in case seed_demo adds demo states
    ScanRound.objects.all().delete()
    teams = list(Team.objects.order_by("name"))
    manager = Employee.objects.get(username="leidinggevende")
    today = timezone.localdate()
    for team, state in zip(teams, ["with_team", "shared", "with_team"], strict=False):
        change_responsibility_state(
            team=team,
            responsibility=Responsibility.objects.get(slug="planning"),
            state=state,
            since=today,
            changed_by=manager,
        )
    scan_round = make_round(teams[0], opens_on=today - datetime.timedelta(days=20))
    for membership in Membership.objects.current(today).filter(team=teams[0])[:5]:
        respond(scan_round, membership.employee, {"resultaatgericht-werken": 2})
    close(scan_round)
    log_in(page, live_server, "hr")
    page.goto(f"{live_server.url}/ontwikkeling/organisatie/")
    assert page.get_by_role("heading", name="Ontwikkelprogramma: de organisatie").is_visible()
    planning = page.get_by_role("row", name="Planning en roosters")
    assert [planning.get_by_role("cell").nth(i).inner_text() for i in range(3)] == ["2", "1", "1"]
    assert (
        page.get_by_role("row", name=teams[0].name)
        .get_by_text("Resultaatgericht werken")
        .is_visible()
    )
    assert_accessible(page)
    screenshot(page, "organisation-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "organisation-phone")
    assert csp_violations == []

"""Browser journeys: Playwright (Python) driving Debian's Chromium against a live server."""

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, need_service  # noqa: F401

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
# test itself (fixtures, assertions) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).parent / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_org(transactional_db):
    """A small demo organisation with the four demo log-ins. (seed_demo also restores the
    roles, objectives and groups that the flush after an earlier live-server test removed.)"""
    call_command("seed_demo", teams=4, employees=40, seed=1, stdout=io.StringIO())


def log_in(page, live_server, username, password="demo"):  # noqa: S107 - the documented demo password
    page.goto(f"{live_server.url}/account/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")


def axe_violations(page, *, exclude=()):
    """WCAG 2.1 A/AA violations found by axe-core on the current page."""
    # Evaluated through the DevTools protocol, not added as a <script> tag: the portal's
    # Content-Security-Policy (no inline script) would block the tag, as it should.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    result = page.evaluate(
        "([options, exclude]) => axe.run({exclude: exclude}, options)", [options, list(exclude)]
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

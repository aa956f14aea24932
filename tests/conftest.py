"""Personas and shared fixtures.

Every page is tested as: a member of the team, a member of another team, the team's
manager, a manager of another team, HR, an outsider (logged in, in no team) and anonymous.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import transaction

from dashboards import freshness
from teams.models import HR_GROUP, MANAGEMENT_GROUP
from tests.factories import EmployeeFactory, MembershipFactory, TeamFactory

REQUIRE_SERVICES = os.environ.get("ZS_REQUIRE_SERVICES") == "1"
CHROMIUM = Path(os.environ.get("ZS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def empty_caches():
    """Every test starts with empty caches: the database is rolled back between tests, so a
    new team can get the id and data version of an earlier test's team."""
    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def dashboards_fresh_after_commit(monkeypatch):
    """Raise the dashboards' data versions where production would, although a test runs in
    one transaction that never commits: at once for a write outside the code's own atomic
    blocks (autocommit in production), and when the code's outermost atomic block ends
    (its commit in production). Only the dashboards' own after-commit work
    (`freshness._Pending`); other on_commit callbacks stay as they are.
    Tests with `transaction=True` commit for real and need none of this."""

    def in_transaction(connection):
        return any(not block._from_testcase for block in connection.atomic_blocks)

    monkeypatch.setattr(freshness, "_in_transaction", in_transaction)
    original_exit = transaction.Atomic.__exit__

    def exit_atomic(self, exc_type, exc_value, traceback):
        result = original_exit(self, exc_type, exc_value, traceback)
        connection = transaction.get_connection(self.using)
        if (
            exc_type is None
            and not self._from_testcase
            and connection.in_atomic_block
            and not in_transaction(connection)
        ):
            due = [
                entry
                for entry in connection.run_on_commit
                if isinstance(entry[1], freshness._Pending)
            ]
            connection.run_on_commit = [
                entry for entry in connection.run_on_commit if entry not in due
            ]
            for _savepoints, func, _robust in due:
                func()
        return result

    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_atomic)
    yield


def need_service(available: bool, reason: str) -> None:
    """Skip a test whose service is absent, or fail it when CI requires the services."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (ZS_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture
def team(db):
    return TeamFactory(name="Vergunningen", slug="vergunningen")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Burgerzaken", slug="burgerzaken")


@pytest.fixture
def member(team):
    employee = EmployeeFactory(username="member", name="Mila Lid")
    MembershipFactory(employee=employee, team=team)
    return employee


@pytest.fixture
def other_member(other_team):
    employee = EmployeeFactory(username="other", name="Olaf Ander")
    MembershipFactory(employee=employee, team=other_team)
    return employee


@pytest.fixture
def manager(team):
    employee = EmployeeFactory(username="manager", name="Lars Leiding")
    team.managers.add(employee)
    return employee


@pytest.fixture
def other_manager(other_team):
    employee = EmployeeFactory(username="othermanager", name="Olga Leiding")
    other_team.managers.add(employee)
    return employee


@pytest.fixture
def hr(db):
    employee = EmployeeFactory(username="hr", name="Hanna HR")
    employee.groups.add(Group.objects.get(name=HR_GROUP))
    return employee


@pytest.fixture
def management(db):
    employee = EmployeeFactory(username="directie", name="Dirk Directie")
    employee.groups.add(Group.objects.get(name=MANAGEMENT_GROUP))
    return employee


@pytest.fixture
def outsider(db):
    return EmployeeFactory(username="outsider", name="Otto Buiten")


@pytest.fixture
def superuser(db):
    return EmployeeFactory(username="beheer", name="Bram Beheer", is_staff=True, is_superuser=True)


@pytest.fixture
def client_for(client):
    """client_for(user) logs the test client in as `user` (None: anonymous)."""

    def login(user):
        if user is not None:
            client.force_login(user)
        return client

    return login


# One Playwright for the whole run: its sync API cannot start a second one while the first
# runs (browser journeys in tests/e2e, the double click in tests/integration/test_faults.py).
@pytest.fixture(scope="session")
def browser():
    need_service(CHROMIUM.exists(), f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # after it started are still plain synchronous code. Set here, not only in
    # tests/e2e/conftest.py, so that a test outside tests/e2e using this fixture
    # (tests/integration/test_faults.py) also passes when its file runs on its own.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()
    playwright.stop()

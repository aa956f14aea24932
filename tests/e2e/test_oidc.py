"""Sign-in with the organisation's account against a real OpenID provider on loopback
(npm `oidc-provider`, tests/oidc/provider/): its log-in and consent pages, into the portal
as the matched employee, HR through the group claim, and log-out from both."""

import time

import pytest
from django.contrib.auth.models import Group

from teams.models import HR_GROUP, Employee
from tests.e2e.conftest import assert_accessible, screenshot
from tests.oidc.fixtures import CLIENT_SECRET, configure, start_provider


@pytest.fixture
def provider(live_server, settings, monkeypatch):
    process, issuer = start_provider(live_server.url)
    configure(
        settings,
        monkeypatch,
        OIDC_CLIENT_ID="zelfsturing",
        OIDC_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_ISSUER=issuer,
        OIDC_SCOPES="openid email profile groups",
        OIDC_MATCH_CLAIM="sub",
        OIDC_HR_GROUPS="zs-hr",
    )
    yield issuer
    process.terminate()
    process.wait(timeout=10)


def test_sign_in_with_the_organisation_account_and_out_again(page, live_server, demo_org, provider):
    started = time.monotonic()
    mila = Employee.objects.get(username="medewerker")
    assert not mila.is_hr
    mila.email = "mila.lid@example.org"
    mila.save(update_fields=["email"])

    page.goto(f"{live_server.url}/account/login/")
    assert_accessible(page)
    page.get_by_role("link", name="Inloggen met je organisatie-account").click()
    # The provider's own pages: log-in (any password), then consent.
    page.wait_for_url(f"{provider}/**")
    page.fill("input[name=login]", "mila")
    page.fill("input[name=password]", "anything")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("summary.nav-link").inner_text() == mila.name
    mila.refresh_from_db()
    assert mila.oidc_subject == "mila"  # matched on e-mail once, on the id from now on
    assert mila.groups.filter(name=HR_GROUP).exists()
    assert not mila.is_superuser and not mila.is_staff
    screenshot(page, "oidc-start-page")
    page.goto(f"{live_server.url}/rollen/")
    assert page.get_by_role("heading", level=1).count() == 1
    assert page.url == f"{live_server.url}/rollen/"

    # Log out: the portal, then the provider's session (its confirmation page).
    page.locator("summary.nav-link").click()
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{provider}/**")
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{live_server.url}/account/login/")
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/account/login/?next=/")
    # The provider asks for the log-in again: its session ended too.
    page.get_by_role("link", name="Inloggen met je organisatie-account").click()
    page.wait_for_selector("input[name=login]")
    assert Group.objects.get(name=HR_GROUP).user_set.filter(pk=mila.pk).exists()
    print(f"OIDC journey: {time.monotonic() - started:.1f} s")

"""Sign-in with the organisation's account, the provider's HTTP answers faked: matching,
groups, refusals (audited, throttled), passwords off, log-out at the provider, break-glass."""

import io
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation
from django.core.management import CommandError, call_command
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from audit.models import AuditEvent
from portal import oidc
from teams.models import HR_GROUP, MANAGEMENT_GROUP, Employee
from tests.factories import EmployeeFactory
from tests.oidc.fixtures import configure

IDP = "https://idp.example.org"
CALLBACK = "/account/organisatie/terug/"


@pytest.fixture
def sso(settings, monkeypatch, db):
    def apply(**variables):
        return configure(
            settings,
            monkeypatch,
            OIDC_CLIENT_ID="zelfsturing",
            OIDC_CLIENT_SECRET="s3cret",
            OIDC_ISSUER=IDP,
            OIDC_AUTHORIZATION_ENDPOINT=f"{IDP}/auth",
            OIDC_TOKEN_ENDPOINT=f"{IDP}/token",
            OIDC_USERINFO_ENDPOINT=f"{IDP}/me",
            OIDC_JWKS_ENDPOINT=f"{IDP}/jwks",
            OIDC_END_SESSION_ENDPOINT=f"{IDP}/logout",
            OIDC_HR_GROUPS="zs-hr",
            OIDC_MANAGEMENT_GROUPS="zs-directie",
            **variables,
        )

    apply()
    return apply


def sign_in(client, claims: dict):
    """Run the callback as after the provider's log-in; the provider's answers are `claims`."""
    client.get("/account/organisatie/")  # state, nonce and PKCE verifier into the session
    state = next(iter(client.session["oidc_states"]))
    payload = {"iss": IDP, "aud": "zelfsturing", "sub": claims.get("sub", "x")}
    with (
        mock.patch.object(OIDCAuthenticationBackend, "get_token", return_value={"id_token": "ID"}),
        mock.patch.object(OIDCAuthenticationBackend, "verify_token", return_value=payload),
        mock.patch.object(OIDCAuthenticationBackend, "get_userinfo", return_value=claims),
    ):
        return client.get(CALLBACK, {"code": "c", "state": state})


def refusal(client) -> str:
    return client.session.get(oidc.REFUSED_KEY, "")


def test_matched_on_email_with_the_groups_from_the_claim_and_never_superuser(client, sso):
    mila = EmployeeFactory(email="Mila@Example.org")
    mila.groups.add(Group.objects.get(name=MANAGEMENT_GROUP))
    claims = {"sub": "a1", "email": "mila@example.org", "groups": ["zs-hr", "admin"]}
    response = sign_in(client, {**claims, "is_superuser": True, "is_staff": True})
    assert response.status_code == 302 and response.url == "/"
    assert int(client.session["_auth_user_id"]) == mila.pk
    assert client.session[oidc.ID_TOKEN_KEY] == "ID"  # the hint for log-out; no access token
    assert not any("access_token" in key for key in dict(client.session.items()))
    mila.refresh_from_db()
    assert sorted(mila.group_names) == [HR_GROUP]  # management removed: not in the claim
    assert not mila.is_superuser and not mila.is_staff
    assert AuditEvent.objects.filter(action="employee.sign_in", object_id=str(mila.pk)).exists()
    assert client.get("/rollen/").status_code == 200


def test_a_stable_id_is_stored_at_the_first_sign_in_and_then_wins(client, sso):
    sso(OIDC_MATCH_CLAIM="oid")
    mila = EmployeeFactory(email="mila@example.org")
    sign_in(client, {"oid": "0a-11", "email": "mila@example.org"})
    mila.refresh_from_db()
    assert mila.oidc_subject == "0a-11"
    client.logout()
    # A new e-mail address at the provider: still the same person.
    sign_in(client, {"oid": "0a-11", "email": "mila.lid@example.org"})
    assert int(client.session["_auth_user_id"]) == mila.pk
    client.logout()
    # Someone else with Mila's old address does not get her account.
    sign_in(client, {"oid": "ff-99", "email": "mila@example.org"})
    assert "_auth_user_id" not in client.session and refusal(client) == "unknown"


def test_unknown_people_are_refused_audited_and_throttled(client, sso, settings):
    settings.AXES_FAILURE_LIMIT = 2
    response = sign_in(client, {"email": "onbekend@example.org"})
    assert response.url == "/account/organisatie/geweigerd/"
    page = client.get(response.url)
    assert "Je organisatie-account is niet bekend in het portaal" in page.content.decode()
    assert AuditEvent.objects.filter(
        action="employee.sign_in_refused", object_repr="email:onbekend@example.org"
    ).exists()
    assert AccessAttempt.objects.get(username="email:onbekend@example.org").failures_since_start
    sign_in(client, {"email": "onbekend@example.org"})
    sign_in(client, {"email": "onbekend@example.org"})
    assert refusal(client) == "locked"
    # Somebody else from the same address is not locked out.
    EmployeeFactory(email="mila@example.org")
    sign_in(client, {"email": "mila@example.org"})
    assert "_auth_user_id" in client.session


def test_unknown_people_created_inactive_for_hr_and_inactive_ones_refused(client, sso):
    sso(OIDC_UNKNOWN_USERS="create_inactive")
    sign_in(client, {"email": "nieuw@example.org", "name": "Nina Nieuw"})
    assert refusal(client) == "created"
    nina = Employee.objects.get(email="nieuw@example.org")
    assert (nina.name, nina.is_active, nina.has_usable_password()) == ("Nina Nieuw", False, False)
    sign_in(client, {"email": "nieuw@example.org"})
    assert refusal(client) == "inactive"
    assert Employee.objects.filter(email="nieuw@example.org").count() == 1


def test_an_id_token_from_another_issuer_or_client_is_refused(sso):
    backend = oidc.OrganisationAccountBackend()
    foreign = [{"iss": "https://evil.example", "aud": "zelfsturing"}, {"iss": IDP, "aud": "x"}]
    for payload in foreign:
        with (
            mock.patch.object(OIDCAuthenticationBackend, "verify_token", return_value=payload),
            pytest.raises(SuspiciousOperation),
        ):
            backend.verify_token("t", nonce="n")


def test_the_provider_unreachable_gives_a_clear_page(client, settings, monkeypatch, db):
    configure(settings, monkeypatch, OIDC_CLIENT_ID="z", OIDC_CLIENT_SECRET="s", OIDC_ISSUER=IDP)
    with mock.patch("requests.get", side_effect=oidc.requests.ConnectionError("down")):
        response = client.get("/account/organisatie/")
    assert response.url == "/account/organisatie/geweigerd/"
    assert "lukt nu niet" in client.get(response.url).content.decode()


def test_log_out_ends_the_session_at_the_provider(client, sso):
    EmployeeFactory(email="mila@example.org")
    sign_in(client, {"email": "mila@example.org"})
    response = client.post("/account/logout/")
    assert response.url.startswith(f"{IDP}/logout?id_token_hint=ID&client_id=zelfsturing&")
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2Faccount%2Flogin%2F" in response.url
    assert "_auth_user_id" not in client.session


def test_without_local_passwords_only_the_organisation_account(client, sso, member):
    sso(LOCAL_PASSWORDS="0")
    page = client.get("/account/login/").content.decode()
    assert "Inloggen met je organisatie-account" in page and 'name="password"' not in page
    password_login = client.post("/account/login/", {"username": "member", "password": "x"})
    assert password_login.status_code == 404
    assert client.get("/account/password_reset/").status_code == 404
    assert client.get("/admin/login/").url.startswith("/account/login/")
    client.force_login(member)
    assert client.get("/account/password_change/").status_code == 404
    assert "Wachtwoord wijzigen" not in client.get("/").content.decode()


def test_break_glass_link_logs_a_superuser_in_once(client, superuser, member):
    out = io.StringIO()
    call_command("break_glass_link", superuser.username, stdout=out)
    path = out.getvalue().split()[0].removeprefix("http://127.0.0.1:8000")
    assert "Inloggen als beheerder" in client.get(path).content.decode()  # GET does not log in
    assert "_auth_user_id" not in client.session
    assert client.post(path).url == "/"
    assert int(client.session["_auth_user_id"]) == superuser.pk
    assert AuditEvent.objects.filter(action="employee.break_glass").count() == 1
    client.logout()
    assert "niet" in client.post(path).content.decode()  # used: void
    assert "_auth_user_id" not in client.session
    with pytest.raises(CommandError, match="no active superuser"):
        call_command("break_glass_link", member.username, stdout=io.StringIO())

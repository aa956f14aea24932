"""OIDC configuration from the environment: every error fails at start, naming the variable."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.test_settings import PRODUCTION, run_manage
from zelfsturing import oidc_settings

BASE = {"OIDC_CLIENT_ID": "zelfsturing", "OIDC_CLIENT_SECRET": "s3cret"}
ISSUER = {**BASE, "OIDC_ISSUER": "https://login.example.org/tenant/v2.0"}
ENDPOINTS = {
    "OIDC_AUTHORIZATION_ENDPOINT": "https://idp.example.org/auth",
    "OIDC_TOKEN_ENDPOINT": "https://idp.example.org/token",
    "OIDC_USERINFO_ENDPOINT": "https://idp.example.org/me",
    "OIDC_JWKS_ENDPOINT": "https://idp.example.org/jwks",
}


@pytest.fixture
def environ(monkeypatch):
    for name in [*oidc_settings.ENDPOINTS, "OIDC_ISSUER", "OIDC_CLIENT_ID", "LOCAL_PASSWORDS"]:
        monkeypatch.delenv(name, raising=False)

    def apply(values: dict):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return apply


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (BASE, "OIDC_AUTHORIZATION_ENDPOINT: required when OIDC_ISSUER is not set"),
        ({**BASE, **ENDPOINTS, "OIDC_JWKS_ENDPOINT": ""}, "OIDC_JWKS_ENDPOINT: required"),
        ({**BASE, "OIDC_ISSUER": "http://login.example.org"}, "OIDC_ISSUER: expected an https://"),
        ({**ISSUER, "OIDC_TOKEN_ENDPOINT": "idp/token"}, "OIDC_TOKEN_ENDPOINT: expected"),
        ({**ISSUER, "OIDC_CLIENT_SECRET": ""}, "OIDC_CLIENT_SECRET: required"),
        (
            {**ISSUER, "OIDC_CLIENT_SECRET": "", "OIDC_CLIENT_SECRET_FILE": "/nonexistent/s"},
            "OIDC_CLIENT_SECRET_FILE: cannot read",
        ),
        ({**ISSUER, "OIDC_SCOPES": "email profile"}, "OIDC_SCOPES: must include 'openid'"),
        ({**ISSUER, "OIDC_UNKNOWN_USERS": "admit"}, "OIDC_UNKNOWN_USERS: expected one of"),
        ({**ISSUER, "OIDC_SIGN_ALGO": "HS256"}, "OIDC_SIGN_ALGO: expected one of"),
        ({**ISSUER, "OIDC_MATCH_CLAIM": "e mail"}, "OIDC_MATCH_CLAIM: expected a claim name"),
        ({"LOCAL_PASSWORDS": "0"}, "LOCAL_PASSWORDS: can only be switched off"),
    ],
)
def test_a_configuration_error_names_the_variable(environ, values, message):
    environ(values)
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(")):
        oidc_settings.read()


def test_issuer_or_explicit_endpoints_and_the_secret_from_a_file(environ, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    environ({**ISSUER, "OIDC_CLIENT_SECRET": "", "OIDC_CLIENT_SECRET_FILE": str(secret)})
    values = oidc_settings.read()
    assert values["OIDC_RP_CLIENT_SECRET"] == "from-a-file"
    assert values["ZS_OIDC_ISSUER"] == "https://login.example.org/tenant/v2.0"
    assert values["OIDC_OP_TOKEN_ENDPOINT"] == ""  # discovered at the first sign-in
    assert values["OIDC_STORE_ACCESS_TOKEN"] is False
    assert values["ZS_OIDC_ORIGINS"] == ["https://login.example.org"]
    environ({**BASE, **ENDPOINTS, "LOCAL_PASSWORDS": "0", "OIDC_HR_GROUPS": "P&O, hr-team"})
    values = oidc_settings.read()
    assert values["OIDC_OP_USER_ENDPOINT"] == "https://idp.example.org/me"
    assert values["ZS_LOCAL_PASSWORDS"] is False
    assert values["ZS_OIDC_HR_GROUPS"] == ["P&O", "hr-team"]
    assert set(values) == set(oidc_settings.OFF)  # settings.py declares every key


def test_settings_fail_at_start_on_a_plain_http_issuer():
    """Only the tests' loopback provider may use http; settings.py never allows it."""
    result = run_manage(
        "check",
        env_overrides={**PRODUCTION, **BASE, "OIDC_ISSUER": "http://127.0.0.1:9000"},
    )
    assert result.returncode != 0
    assert "OIDC_ISSUER: expected an https://" in result.stderr

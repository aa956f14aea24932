"""Sign-in with the organisation's account over OpenID Connect, read from the environment.

`read()` turns the OIDC_* variables into the settings mozilla-django-oidc and the portal's
sign-in (portal/oidc.py) use. OIDC is on when OIDC_CLIENT_ID is set; every configuration
error then fails at start with the variable named (docs/decisions/0018-sign-in-with-oidc.md).
The provider's endpoints come from its discovery document (OIDC_ISSUER), fetched at the first
sign-in, or each from its own variable, which wins over the discovered one.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from zelfsturing.env import env_bool, env_choice, env_int, env_list, env_secret, env_str

# Variable -> setting name of mozilla-django-oidc (the "OIDC_OP_…" endpoints).
ENDPOINTS = {
    "OIDC_AUTHORIZATION_ENDPOINT": "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_TOKEN_ENDPOINT": "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_USERINFO_ENDPOINT": "OIDC_OP_USER_ENDPOINT",
    "OIDC_JWKS_ENDPOINT": "OIDC_OP_JWKS_ENDPOINT",
    "OIDC_END_SESSION_ENDPOINT": "OIDC_OP_END_SESSION_ENDPOINT",
}
# Without an issuer to discover them from, these must be given (end session is optional).
REQUIRED_WITHOUT_ISSUER = (
    "OIDC_AUTHORIZATION_ENDPOINT",
    "OIDC_TOKEN_ENDPOINT",
    "OIDC_USERINFO_ENDPOINT",
    "OIDC_JWKS_ENDPOINT",
)
# The settings when OIDC is off (every key read() returns, so settings.py declares each).
OFF: dict = {
    "ZS_OIDC_ENABLED": False,
    "ZS_LOCAL_PASSWORDS": True,
    "ZS_OIDC_ORIGINS": [],
    "ZS_OIDC_ISSUER": "",
    "ZS_OIDC_MATCH_CLAIM": "email",
    "ZS_OIDC_UNKNOWN_USERS": "refuse",
    "ZS_OIDC_GROUPS_CLAIM": "groups",
    "ZS_OIDC_HR_GROUPS": [],
    "ZS_OIDC_MANAGEMENT_GROUPS": [],
    **dict.fromkeys(ENDPOINTS.values(), ""),
    "OIDC_RP_CLIENT_ID": "",
    "OIDC_RP_CLIENT_SECRET": "",
    "OIDC_RP_SCOPES": "openid email profile",
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_USE_PKCE": True,
    "OIDC_USE_NONCE": True,
    "OIDC_TIMEOUT": 10,
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,
    "OIDC_CREATE_USER": False,
    "OIDC_AUTHENTICATION_CALLBACK_URL": "oidc_authentication_callback",
}
UNKNOWN_CHOICES = {"refuse", "create_inactive"}
SIGN_ALGORITHMS = {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256"}


def _url(name: str, value: str, *, allow_http: bool) -> str:
    parts = urlsplit(value)
    schemes = {"https", "http"} if allow_http else {"https"}
    if parts.scheme not in schemes or not parts.netloc:
        raise ImproperlyConfigured(
            f"{name}: expected an https:// address of the identity provider, got {value!r}."
        )
    return value


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def read(*, allow_http: bool = False) -> dict:
    """The OIDC settings, or {"ZS_OIDC_ENABLED": False, …} when OIDC_CLIENT_ID is empty.

    `allow_http` is for the tests' provider on loopback only; settings.py never passes it.
    """
    client_id = env_str("OIDC_CLIENT_ID")
    local_passwords = env_bool("LOCAL_PASSWORDS", True)
    if not client_id:
        if not local_passwords:
            raise ImproperlyConfigured(
                "LOCAL_PASSWORDS: can only be switched off when sign-in with the organisation's "
                "account is configured (set OIDC_CLIENT_ID and OIDC_ISSUER)."
            )
        return dict(OFF)
    issuer = env_str("OIDC_ISSUER").rstrip("/")
    if issuer:
        _url("OIDC_ISSUER", issuer, allow_http=allow_http)
    endpoints = {}
    for variable, setting in ENDPOINTS.items():
        value = env_str(variable)
        if not value and not issuer and variable in REQUIRED_WITHOUT_ISSUER:
            raise ImproperlyConfigured(
                f"{variable}: required when OIDC_ISSUER is not set (set OIDC_ISSUER to the "
                "provider's issuer to discover the endpoints, or give each endpoint)."
            )
        endpoints[setting] = _url(variable, value, allow_http=allow_http) if value else ""
    secret = env_secret("OIDC_CLIENT_SECRET")
    if not secret:
        raise ImproperlyConfigured(
            "OIDC_CLIENT_SECRET: required with OIDC_CLIENT_ID (or OIDC_CLIENT_SECRET_FILE)."
        )
    scopes = env_str("OIDC_SCOPES", "openid email profile")
    if "openid" not in scopes.split():
        raise ImproperlyConfigured(f"OIDC_SCOPES: must include 'openid', got {scopes!r}.")
    algorithm = env_choice("OIDC_SIGN_ALGO", "RS256", SIGN_ALGORITHMS)
    match_claim = env_str("OIDC_MATCH_CLAIM", "email")
    if not match_claim.replace("_", "").isalnum():
        raise ImproperlyConfigured(f"OIDC_MATCH_CLAIM: expected a claim name, got {match_claim!r}.")
    return {
        "ZS_OIDC_ENABLED": True,
        # Log-out is a form whose answer redirects to the provider: CSP form-action allows it.
        "ZS_OIDC_ORIGINS": sorted(
            {_origin(url) for url in [issuer, endpoints["OIDC_OP_END_SESSION_ENDPOINT"]] if url}
        ),
        "ZS_LOCAL_PASSWORDS": local_passwords,
        "ZS_OIDC_ISSUER": issuer,
        "ZS_OIDC_MATCH_CLAIM": match_claim,
        "ZS_OIDC_UNKNOWN_USERS": env_choice("OIDC_UNKNOWN_USERS", "refuse", UNKNOWN_CHOICES),
        "ZS_OIDC_GROUPS_CLAIM": env_str("OIDC_GROUPS_CLAIM", "groups"),
        "ZS_OIDC_HR_GROUPS": env_list("OIDC_HR_GROUPS", []),
        "ZS_OIDC_MANAGEMENT_GROUPS": env_list("OIDC_MANAGEMENT_GROUPS", []),
        **endpoints,
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": secret,
        "OIDC_RP_SCOPES": scopes,
        "OIDC_RP_SIGN_ALGO": algorithm,
        "OIDC_USE_PKCE": True,
        "OIDC_USE_NONCE": True,
        "OIDC_TIMEOUT": env_int("OIDC_TIMEOUT_SECONDS", 10, minimum=1),
        # Tokens: the access token is never kept; the ID token only as the hint that ends the
        # session at the provider on log-out (portal/oidc.py keeps it only then).
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_STORE_ID_TOKEN": False,
        "OIDC_CREATE_USER": False,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "oidc_authentication_callback",
    }

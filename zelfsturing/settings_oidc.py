"""The sign-in settings (OpenID Connect) of zelfsturing/settings.py, which takes every name
here with a star import: typed names, so that mypy's Django plugin knows them. Values come
from zelfsturing/oidc_settings.py, which reads and checks the OIDC_* variables."""

from zelfsturing import oidc_settings

_oidc = oidc_settings.read()
ZS_OIDC_ENABLED: bool = _oidc["ZS_OIDC_ENABLED"]
ZS_LOCAL_PASSWORDS: bool = _oidc["ZS_LOCAL_PASSWORDS"]
ZS_OIDC_ORIGINS: list[str] = _oidc["ZS_OIDC_ORIGINS"]
ZS_OIDC_ISSUER: str = _oidc["ZS_OIDC_ISSUER"]
ZS_OIDC_MATCH_CLAIM: str = _oidc["ZS_OIDC_MATCH_CLAIM"]
ZS_OIDC_UNKNOWN_USERS: str = _oidc["ZS_OIDC_UNKNOWN_USERS"]
ZS_OIDC_GROUPS_CLAIM: str = _oidc["ZS_OIDC_GROUPS_CLAIM"]
ZS_OIDC_HR_GROUPS: list[str] = _oidc["ZS_OIDC_HR_GROUPS"]
ZS_OIDC_MANAGEMENT_GROUPS: list[str] = _oidc["ZS_OIDC_MANAGEMENT_GROUPS"]
OIDC_OP_AUTHORIZATION_ENDPOINT: str = _oidc["OIDC_OP_AUTHORIZATION_ENDPOINT"]
OIDC_OP_TOKEN_ENDPOINT: str = _oidc["OIDC_OP_TOKEN_ENDPOINT"]
OIDC_OP_USER_ENDPOINT: str = _oidc["OIDC_OP_USER_ENDPOINT"]
OIDC_OP_JWKS_ENDPOINT: str = _oidc["OIDC_OP_JWKS_ENDPOINT"]
OIDC_OP_END_SESSION_ENDPOINT: str = _oidc["OIDC_OP_END_SESSION_ENDPOINT"]
OIDC_RP_CLIENT_ID: str = _oidc["OIDC_RP_CLIENT_ID"]
OIDC_RP_CLIENT_SECRET: str = _oidc["OIDC_RP_CLIENT_SECRET"]
OIDC_RP_SCOPES: str = _oidc["OIDC_RP_SCOPES"]
OIDC_RP_SIGN_ALGO: str = _oidc["OIDC_RP_SIGN_ALGO"]
OIDC_USE_PKCE: bool = _oidc["OIDC_USE_PKCE"]
OIDC_USE_NONCE: bool = _oidc["OIDC_USE_NONCE"]
OIDC_TIMEOUT: int = _oidc["OIDC_TIMEOUT"]
# No tokens in the session beyond the ID token that ends the provider's session.
OIDC_STORE_ACCESS_TOKEN: bool = _oidc["OIDC_STORE_ACCESS_TOKEN"]
OIDC_STORE_ID_TOKEN: bool = _oidc["OIDC_STORE_ID_TOKEN"]
OIDC_CREATE_USER: bool = _oidc["OIDC_CREATE_USER"]
OIDC_AUTHENTICATION_CALLBACK_URL: str = _oidc["OIDC_AUTHENTICATION_CALLBACK_URL"]

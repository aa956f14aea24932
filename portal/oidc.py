"""Sign-in with the organisation's account (OpenID Connect), on top of mozilla-django-oidc.

The library runs the authorisation code flow (state, nonce, PKCE, the ID token's signature);
this module adds what the portal needs (docs/decisions/0018-sign-in-with-oidc.md):
- the provider's endpoints from its discovery document, fetched at the first sign-in;
- the ID token's issuer and audience checked (the library checks neither);
- people matched to existing employees on ZS_OIDC_MATCH_CLAIM, a stable id stored at the
  first sign-in (matched on e-mail then), unknown people refused or created inactive;
- the HR and management groups from the group claim; superuser and staff never;
- the lock-out (django-axes) and the audit log for sign-ins and refusals;
- no access token kept; the ID token only as the hint for ending the provider's session.
Writes go through teams.services.
"""

import logging
import time
from typing import Any, NoReturn
from urllib.parse import urlencode

import requests
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation, ValidationError
from django.db import IntegrityError
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from teams import services
from teams.models import HR_GROUP, MANAGEMENT_GROUP, Employee

log = logging.getLogger(__name__)

# Session keys: why the last sign-in was refused (read once by the refusal page), and the
# ID token kept as the hint for ending the provider's session (only when it can be ended).
REFUSED_KEY = "zs_oidc_refused"
ID_TOKEN_KEY = "zs_oidc_id_token"  # noqa: S105 - a session key
DISCOVERY_SECONDS = 3600
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_END_SESSION_ENDPOINT": "end_session_endpoint",
}
_discovery: dict[str, tuple[float, dict]] = {}


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read."""


def discovery_document(issuer: str) -> dict:
    """The provider's /.well-known/openid-configuration, kept an hour per process."""
    cached = _discovery.get(issuer)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"{url}: {exc}") from exc
    if str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ProviderUnavailable(f"{url}: issuer {document.get('issuer')!r} is not {issuer!r}")
    _discovery[issuer] = (time.monotonic() + DISCOVERY_SECONDS, document)
    return document


def oidc_setting(name: str, *default: Any) -> Any:
    """A setting for mozilla-django-oidc; an empty endpoint comes from discovery."""
    value = getattr(settings, name, default[0] if default else None)
    if name in DISCOVERED and not value and settings.ZS_OIDC_ISSUER:
        value = discovery_document(settings.ZS_OIDC_ISSUER).get(DISCOVERED[name], "")
    if value is None and not default:
        raise ImproperlyConfigured(f"Setting {name} not found")
    return value


class Refused(Exception):
    """A sign-in the provider accepted and the portal does not."""

    def __init__(self, reason: str, identity: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.identity = identity


class OrganisationAccountBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with discovery, claim matching, groups and the audit."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # The library reads the endpoints here; this backend is also built for every request
        # of a signed-in person (get_user), so they are read when a sign-in needs them.
        self.UserModel = Employee

    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)
    OIDC_RP_IDP_SIGN_KEY = None
    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_JWKS_ENDPOINT"))

    def get_user(self, user_id):
        # The library's get_user skips the active check; Django's does it.
        return ModelBackend.get_user(self, user_id)

    def authenticate(self, request, **kwargs):
        if request is None or "code" not in request.GET or "state" not in request.GET:
            return None
        self._refused: Refused | None = None
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, ProviderUnavailable) as exc:
            log.warning("OIDC sign-in failed at the provider: %s", exc)
            self._refuse(request, Refused("provider"))
        except SuspiciousOperation as exc:
            log.warning("OIDC sign-in refused: %s", exc)
            self._refuse(request, Refused("invalid"))
        return None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        issuer = settings.ZS_OIDC_ISSUER
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if issuer and str(payload.get("iss", "")).rstrip("/") != issuer:
            raise SuspiciousOperation("ID token from another issuer")
        if "nonce" in kwargs and settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        return payload

    def store_tokens(self, access_token, id_token):
        """No access token; the ID token only when the provider's session can be ended."""
        if oidc_setting("OIDC_OP_END_SESSION_ENDPOINT", ""):
            self._id_token = id_token

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        try:
            employee = self._match(claims)
        except Refused as refused:
            self._refuse(self.request, refused)
            return None
        if employee is None:
            return None
        self.request.session.pop(REFUSED_KEY, None)
        if getattr(self, "_id_token", None):
            self.request.session[ID_TOKEN_KEY] = self._id_token
        return employee

    def _identity(self, claims: dict) -> tuple[str, str]:
        claim = settings.ZS_OIDC_MATCH_CLAIM
        value = str(claims.get(claim) or "").strip()
        if claim == "email":
            value = value.lower()
        if not value:
            raise Refused("claims")
        return claim, value

    def _match(self, claims: dict) -> Employee | None:
        claim, value = self._identity(claims)
        identity = f"{claim}:{value}"[:150]
        # django-axes counts refusals per identity and address (portal.middleware.axes_username).
        self.request.zs_sso_identity = identity
        if not AxesProxyHandler.is_allowed(self.request, {"username": identity}):
            raise Refused("locked", identity)
        email = str(claims.get("email") or "").strip()
        if claims.get("email_verified") is False:
            email = ""
        if claim == "email":
            employee = Employee.objects.filter(email__iexact=value).first()
            subject = ""
        else:
            employee = Employee.objects.filter(oidc_subject=value).first()
            subject = value
            if employee is None and email:
                # First sign-in: the e-mail address finds the employee, the id is stored.
                employee = Employee.objects.filter(email__iexact=email, oidc_subject="").first()
        if employee is None:
            self._unknown(claims, identity, email=email, subject=subject)
        if not employee.is_active:
            raise Refused("inactive", identity)
        try:
            return services.employee_signed_in_with_account(
                employee=employee, subject=subject, groups=self._groups(claims)
            )
        except ValidationError as exc:
            raise Refused("linked", identity) from exc

    def _groups(self, claims: dict) -> dict[str, bool] | None:
        mapping = {
            HR_GROUP: settings.ZS_OIDC_HR_GROUPS,
            MANAGEMENT_GROUP: settings.ZS_OIDC_MANAGEMENT_GROUPS,
        }
        if not any(mapping.values()):
            return None  # groups are kept in the portal
        raw = claims.get(settings.ZS_OIDC_GROUPS_CLAIM) or []
        values = {raw} if isinstance(raw, str) else {str(item) for item in raw}
        return {group: bool(values & set(names)) for group, names in mapping.items() if names}

    def _unknown(self, claims: dict, identity: str, *, email: str, subject: str) -> NoReturn:
        if settings.ZS_OIDC_UNKNOWN_USERS != "create_inactive":
            raise Refused("unknown", identity)
        name = str(claims.get("name") or email or identity)[:150]
        try:
            services.employee_create(
                username=(email or identity)[:150],
                name=name,
                email=email,
                is_active=False,
                oidc_subject=subject,
            )
        except (ValidationError, IntegrityError) as exc:
            raise Refused("unknown", identity) from exc
        raise Refused("created", identity)

    def _refuse(self, request, refused: Refused) -> None:
        request.session[REFUSED_KEY] = refused.reason
        services.sign_in_refused_record(
            identity=refused.identity or request.META.get("REMOTE_ADDR", ""),
            reason=refused.reason,
        )


def provider_logout_url(request) -> str:
    """Where log-out sends the browser: the provider's end-session endpoint when it has one
    and the person signed in there, else the portal's log-in page."""
    after = request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL))
    id_token = request.session.get(ID_TOKEN_KEY)
    if not settings.ZS_OIDC_ENABLED or not id_token:
        return after
    try:
        endpoint = oidc_setting("OIDC_OP_END_SESSION_ENDPOINT", "")
    except ProviderUnavailable:
        return after
    if not endpoint:
        return after
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": after,
        }
    )
    return f"{endpoint}?{query}"

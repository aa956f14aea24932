"""Token authentication, scope permission and per-token throttling for the reporting API.

Only service-account tokens open the API: a personal session is not an authentication
class here, so a logged-in employee gets 401 like anyone without a token."""

import logging
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions, throttling

from api.models import ApiToken
from api.services import count_request, token_for_key

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceAccount:
    """request.user for a request with a token: not a person, never staff."""

    token: ApiToken
    is_authenticated: bool = True
    is_active: bool = True
    is_staff: bool = False
    is_superuser: bool = False
    is_hr: bool = False
    is_management: bool = False
    pk: None = None

    def __str__(self):
        return f"service account {self.token.name}"


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`. Unknown, expired and revoked keys are refused alike;
    every accepted request adds one to the token's counter for the day."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header:
            return None
        if header[0].decode("latin-1").lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the key after 'Bearer', no spaces."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This key is not valid.")) from None
        token = token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("This key is not valid, has expired or was revoked.")
            )
        count_request(token=token)
        return ServiceAccount(token=token), token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class HasScope(permissions.BasePermission):
    """The view's `required_scope` must be among the token's scopes."""

    message = _("This key does not have the scope this address needs.")

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        return token.has_scope(view.required_scope)


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """ZS_API_RATE requests per token. The counters live in the default cache; when the
    cache is down the request is let through (fail open): the limit protects the server
    from a runaway script, it is not a security boundary (docs/decisions/0014-api.md)."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache is down: fail open
            logger.warning("API throttle skipped: cache unavailable", exc_info=True)
            return True

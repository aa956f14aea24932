"""Content-Security-Policy (django-csp), kept apart so settings.py stays one readable page:
only the portal's own files, no inline script or style (no 'unsafe-inline'), no framing.
htmx is told not to inject its indicator style (meta htmx-config in base.html)."""

from csp.constants import NONE, SELF


def content_security_policy(*, form_origins: list[str]) -> dict:
    """`form_origins`: the sign-in provider's origins (ZS_OIDC_ORIGINS); log-out's answer
    redirects there, so forms may post to them."""
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF],
            "style-src": [SELF],
            "img-src": [SELF, "data:"],
            "font-src": [SELF],
            "connect-src": [SELF],
            "object-src": [NONE],
            "frame-ancestors": [NONE],
            "form-action": [SELF, *form_origins],
            "base-uri": [SELF],
        },
    }

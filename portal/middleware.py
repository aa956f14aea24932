from django.conf import settings
from django.utils import translation


class PreferredLanguageMiddleware:
    """Use the employee's preferred language until they pick one with the language switch.

    The switch sets Django's language cookie, which then wins, as LocaleMiddleware decides.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.preferred_language
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


def axes_username(request, credentials=None) -> str | None:
    """The username django-axes records, cut to what a username can be (150 characters).

    Without this a very long name typed at any log-in form (portal or admin) would not fit
    axes' 255-character column and fail on PostgreSQL instead of counting as a failed try.
    """
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "POST", {}).get("username")
    # A sign-in with the organisation's account counts under its identity (portal/oidc.py).
    username = username or getattr(request, "zs_sso_identity", None)
    return username[:150] if isinstance(username, str) else username


class PrivatePagesMiddleware:
    """`Cache-Control: private, no-store` on every response to a logged-in person: pages,
    exports, downloads. They hold personal data, which no browser cache, proxy or shared
    computer should keep (docs/decisions/0005-faults.md). Static files never get here
    (whitenoise answers them before this middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response

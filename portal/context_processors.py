import math

from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from teams.access import sees_all_teams

DUTCH = mark_safe(' lang="nl"')  # noqa: S308 - a constant


def portal(request):
    """What the base layout needs on every page."""
    user = getattr(request, "user", None)
    timeout = settings.SESSION_COOKIE_AGE
    # Warn two minutes before the idle timeout ends the session (a third of it when shorter).
    warning = min(120, timeout // 3)
    return {
        # Free text (goal titles, comments, team purposes) is written in Dutch: say so when
        # the interface is in another language, so screen readers pronounce it right.
        "content_lang": "" if (get_language() or "nl").startswith("nl") else DUTCH,
        "session_timeout_seconds": timeout,
        "session_warning_seconds": warning,
        "session_warning_minutes": max(1, math.ceil(warning / 60)),
        "nav_is_hr": bool(user and user.is_authenticated and user.is_hr),
        "nav_sees_all_teams": bool(user and sees_all_teams(user)),
        # The password pages exist only with local passwords (LOCAL_PASSWORDS).
        "local_passwords": settings.ZS_LOCAL_PASSWORDS,
    }

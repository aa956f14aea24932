import math

from django.conf import settings


def portal(request):
    """What the base layout needs on every page."""
    user = getattr(request, "user", None)
    timeout = settings.SESSION_COOKIE_AGE
    # Warn two minutes before the idle timeout ends the session (a third of it when shorter).
    warning = min(120, timeout // 3)
    return {
        "session_timeout_seconds": timeout,
        "session_warning_seconds": warning,
        "session_warning_minutes": max(1, math.ceil(warning / 60)),
        "nav_is_hr": bool(user and user.is_authenticated and user.is_hr),
        "nav_is_management": bool(user and user.is_authenticated and user.is_management),
    }

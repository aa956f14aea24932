def portal(request):
    """What the base layout needs on every page."""
    user = getattr(request, "user", None)
    return {
        "nav_is_hr": bool(user and user.is_authenticated and user.is_hr),
        "nav_is_management": bool(user and user.is_authenticated and user.is_management),
    }

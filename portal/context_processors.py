from teams.access import sees_all_teams


def portal(request):
    """What the base layout needs on every page."""
    user = getattr(request, "user", None)
    return {
        "nav_is_hr": bool(user and user.is_authenticated and user.is_hr),
        "nav_sees_all_teams": bool(user and sees_all_teams(user)),
    }

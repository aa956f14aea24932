"""Pages that compose the apps: the start page and the team page."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from rollen.selectors import team_members_with_roles
from teams.access import get_team_for_user
from teams.selectors import teams_of_employee


def home(request):
    teams = teams_of_employee(employee=request.user)
    return render(request, "home.html", {"teams": teams})


def team_detail(request, slug):
    team, access = get_team_for_user(request.user, slug)
    members = team_members_with_roles(team=team)
    return render(
        request, "teams/team_detail.html", {"team": team, "access": access, "members": members}
    )


@require_POST
def switch_language(request):
    """Django's set_language, which also remembers the choice for a logged-in employee."""
    language = request.POST.get("language", "")
    response = set_language(request)
    known = {code for code, _name in settings.LANGUAGES}
    if language in known and request.user.is_authenticated:
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
        translation.activate(language)
    return response

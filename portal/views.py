"""Pages that compose the apps: the start page, the team page, the accessibility statement,
the 500 page and the keep-alive of the idle-timeout warning."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone, translation
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from afspraken.selectors import agreements_for_team, retired_count
from common import start_sections
from doelen.contributions import member_shares
from doelen.selectors import (
    active_goals_for_teams,
    closed_goal_count,
    goals_for_team,
    goals_needing_update,
)
from ontwikkeling.selectors import team_profile
from rollen.selectors import team_members_with_roles, team_roles
from teams.access import get_team_for_user
from teams.selectors import teams_of_employee


@require_GET
def home(request):
    """My teams with their active goals, and the goals that wait for an update from me;
    for a manager also their teams' signals and stale goals (common.start_sections)."""
    today = timezone.localdate()
    teams = list(teams_of_employee(employee=request.user, on=today))
    team_ids = [team.pk for team in teams]
    goals = active_goals_for_teams(team_ids=team_ids, on=today)
    needs_update = goals_needing_update(employee=request.user, team_ids=team_ids, on=today)
    return render(
        request,
        "home.html",
        {
            "teams": [(team, goals[team.pk]) for team in teams],
            "needs_update": needs_update,
            # Sections of apps above (the managers' section of the dashboards).
            "sections": start_sections.render_all(request, today),
        },
    )


@require_GET
def team_detail(request, slug):
    """Purpose, members and roles, active goals; ?toon=afgerond shows the closed goals."""
    team, access = get_team_for_user(request.user, slug)
    show_closed = request.GET.get("toon") == "afgerond"
    today = timezone.localdate()
    return render(
        request,
        "teams/team_detail.html",
        {
            "team": team,
            "access": access,
            "members": team_members_with_roles(team=team),
            "roles": team_roles(team=team, on=today),  # descriptions, too few holders (#17)
            "goals": goals_for_team(team=team, closed=show_closed),
            "show_closed": show_closed,
            "closed_count": closed_goal_count(team=team),
            "development_profile": team_profile(team=team, viewer=request.user, access=access),
            # Issue #20: the team's agreements and who contributes to which goal.
            "agreements": agreements_for_team(team=team),
            "retired_agreement_count": retired_count(team=team),
            "shares": member_shares(team=team, on=today),
            "today": today,
        },
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


@login_not_required
@require_GET
def accessibility_statement(request):
    """The accessibility statement (toegankelijkheidsverklaring), in the model format of the
    Dutch government; readable without logging in, linked from the footer of every page."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    template = (
        "accessibility/statement_en.html"
        if language.startswith("en")
        else ("accessibility/statement_nl.html")
    )
    return render(request, template)


@require_POST
def keep_alive(request):
    """'Stay logged in' in the idle-timeout warning: any request extends the session
    (SESSION_SAVE_EVERY_REQUEST), this one does nothing else."""
    request.session.modified = True
    return HttpResponse(status=204)


def server_error(request):
    """The 500 page without the database: a template with a plain context, no user, no context
    processors (the database may be the thing that failed)."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_path": request.path}))

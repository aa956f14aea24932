"""The managers' section of the start page: each team they oversee with its most pressing
signal (the dashboards' own signals, `dashboards.signals`), and the stale goals of those
teams that wait for them to steer on (docs/decisions/0017-nudges-and-reactions.md).

Registered with `common.start_sections` in DashboardsConfig.ready(), so the portal's start
page shows it without importing the dashboards. A fixed number of queries, whatever the
number of teams: the figures come through the dashboards' cache."""

import datetime

from django.http import HttpRequest
from django.template.loader import render_to_string

from dashboards import cache as dashboard_cache
from dashboards.figures import all_roles, summarise
from dashboards.freshness import with_data_version
from dashboards.periods import Period
from dashboards.sorting import sort_summaries
from doelen.update_selectors import waiting_for_manager
from teams.models import Employee, Team


def render_manager_start(request: HttpRequest, on: datetime.date) -> str:
    """The section's HTML; "" for someone who manages no active team."""
    user = request.user
    if not isinstance(user, Employee):  # anonymous: the start page needs a log-in anyway
        return ""
    teams = list(with_data_version(Team.objects.active().filter(managers=user.pk)).order_by("name"))
    if not teams:
        return ""
    period = Period.quarter(on)
    figures = dashboard_cache.team_figures(teams, period=period, on=on)
    summaries = sort_summaries(summarise(teams, figures, all_roles()).summaries, "attention")
    return render_to_string(
        "dashboard/_manager_start.html",
        {
            "summaries": summaries,
            "waiting": waiting_for_manager(manager=user, on=on),
            "next": request.get_full_path(),
        },
        request=request,
    )

"""Every team's figures computed before anyone asks (issue 21).

The organisation-wide dashboards (HR's dashboard of all teams, the organisation view) need
the figures of every team; at 1,000 teams computing them takes most of a second. They are
cached per team and day (`dashboards.cache`), so only the first view of a day, or the first
after a release, pays for all of them. Beat runs `warm_figures` early every morning, and the
deployment runs `manage.py warm_dashboards` after an upgrade: then that first view reads
them too. A team that changes later costs only its own figures at the next view."""

import datetime

from dashboards import cache as dashboard_cache
from dashboards.figures import all_roles
from dashboards.freshness import with_data_version
from dashboards.periods import Period
from teams.models import Team


def warm_figures(*, on: datetime.date) -> int:
    """Put every active team's figures and rank for the current quarter (the dashboards'
    default view) in the cache, with their goals per objective (the organisation view).
    Returns the
    number of teams. A fixed number of queries, whatever the number of teams."""
    teams = list(with_data_version(Team.objects.active()))
    period = Period.quarter(on)
    # The ranks (dashboards.ranking) read the figures through the cache, so both are kept.
    dashboard_cache.team_ranks(teams, roles=all_roles(), period=period, on=on)
    dashboard_cache.objective_totals(teams, period=period, on=on)
    return len(teams)

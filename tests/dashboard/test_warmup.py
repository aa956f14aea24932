"""The nightly warm-up (dashboards.warmup, issue 21): after it, the first view of the day of
HR's dashboard and the organisation view reads every team's figures from the cache instead
of computing them; a team that changed afterwards is computed alone."""

import io

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from dashboards import cache as dashboard_cache
from dashboards import figures
from dashboards.freshness import mark_teams_changed
from dashboards.tasks import warm_dashboards_task
from tests.dashboard.helpers import busy_team

pytestmark = pytest.mark.django_db

INDEX = reverse("dashboard:index")
ORGANISATION = reverse("dashboard:organisation")


@pytest.fixture
def teams(team, other_team):
    busy_team(team)
    busy_team(other_team)
    caches[dashboard_cache.CACHE_ALIAS].clear()
    return team, other_team


@pytest.fixture
def computed(monkeypatch):
    """The team ids whose figures and objective totals were computed, per call."""
    calls: dict[str, list] = {"figures": [], "objectives": []}
    team_figures, objective_totals = figures.team_figures, figures.objective_totals

    def spy_figures(**kwargs):
        calls["figures"].append(sorted(kwargs["team_ids"]))
        return team_figures(**kwargs)

    def spy_objectives(**kwargs):
        calls["objectives"].append(sorted(kwargs["team_ids"]))
        return objective_totals(**kwargs)

    monkeypatch.setattr(figures, "team_figures", spy_figures)
    monkeypatch.setattr(figures, "objective_totals", spy_objectives)
    return calls


def test_after_the_warm_up_the_first_views_compute_no_team(client_for, hr, teams, computed):
    assert warm_dashboards_task() == 2
    ids = sorted(team.pk for team in teams)
    assert computed == {"figures": [ids], "objectives": [ids]}
    client = client_for(hr)
    for url in (INDEX, ORGANISATION):
        response = client.get(url)
        assert response.status_code == 200
        assert "Vergunningen" in response.content.decode()
    assert computed == {"figures": [ids], "objectives": [ids]}  # nothing computed again


def test_a_team_that_changed_after_the_warm_up_is_computed_alone(client_for, hr, teams, computed):
    warm_dashboards_task()
    mark_teams_changed([teams[0].pk])
    assert client_for(hr).get(ORGANISATION).status_code == 200
    assert computed["figures"][1:] == [[teams[0].pk]]
    assert computed["objectives"][1:] == [[teams[0].pk]]


def test_with_the_cache_off_a_warm_up_keeps_nothing(client_for, hr, teams, computed):
    off = {
        **settings.CACHES,
        "dashboards": {**settings.CACHES["dashboards"], "LOCATION": "off", "TIMEOUT": 0},
    }
    with override_settings(CACHES=off):  # what DASHBOARD_CACHE_SECONDS=0 sets
        warm_dashboards_task()
        assert client_for(hr).get(INDEX).status_code == 200
    # the view computed them again: every team's rank, then the figures of its page
    assert len(computed["figures"]) == 3


def test_figures_are_kept_a_day_and_fragments_an_hour(monkeypatch, client_for, hr, teams):
    timeouts = []
    cache = caches[dashboard_cache.CACHE_ALIAS]
    set_many = cache.set_many

    def spy(data, timeout=None, **kwargs):
        timeouts.append(timeout)
        return set_many(data, **({"timeout": timeout} if timeout is not None else {}))

    monkeypatch.setattr(cache, "set_many", spy)
    warm_dashboards_task()
    assert timeouts == [26 * 3600] * 3  # figures, ranks and objective totals
    timeouts.clear()
    client_for(hr).get(ORGANISATION)
    assert set(timeouts) == {None}  # the rendered page: the cache's own, an hour
    assert cache.default_timeout == settings.DASHBOARD_CACHE_SECONDS == 3600


def test_the_command_and_the_beat_schedule(teams):
    out = io.StringIO()
    call_command("warm_dashboards", stdout=out)
    assert out.getvalue() == "Computed the dashboard figures of 2 teams for today.\n"
    entry = settings.CELERY_BEAT_SCHEDULE["dashboards-warm-figures"]
    assert entry["task"] == "dashboards.tasks.warm_dashboards_task"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({5}, {30})

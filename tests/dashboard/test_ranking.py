"""The organisation-wide dashboards sort every team by its cached rank (dashboards.ranking,
issue 21) and word the signals of the teams they show only. The order must be the one the
full summaries give, for every sort, and the counts the same."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboards import cache as dashboard_cache
from dashboards import views as dashboard_views
from dashboards.figures import all_roles, team_summaries
from dashboards.freshness import with_data_version
from dashboards.periods import Period
from dashboards.sorting import SORTS, sort_summaries
from teams.models import Team
from tests.dashboard.helpers import busy_team, staff
from tests.factories import GoalFactory, TeamFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def organisation(team, other_team):
    """Teams that differ in every sort key: busy, without roles, stale, behind, empty."""
    busy_team(team)
    busy_team(other_team, goals=1)
    staff(TeamFactory(name="Alleen vakmensen"), roles=("vakman",))
    behind = TeamFactory(name="Achter")
    staff(behind)
    GoalFactory(
        team=behind,
        start_date=TODAY - datetime.timedelta(days=300),
        due_date=TODAY + datetime.timedelta(days=10),
    )
    TeamFactory(name="Leeg")
    return list(with_data_version(Team.objects.active()).order_by("name"))


@pytest.mark.parametrize("sort", list(SORTS))
def test_ranks_sort_as_the_summaries_do(organisation, sort):
    period = Period.quarter(TODAY)
    ranked = dashboard_cache.ranked_teams(organisation, roles=all_roles(), period=period, on=TODAY)
    summaries = team_summaries(teams=organisation, period=period, on=TODAY).summaries
    by_rank = [r.team.name for r in sort_summaries(ranked, sort)]
    assert by_rank == [s.team.name for s in sort_summaries(summaries, sort)]
    assert [r.needs_attention for r in ranked] == [s.needs_attention for s in summaries]
    assert [r.signal_count for r in ranked] == [len(s.signals) for s in summaries]


def test_the_hr_dashboard_words_the_signals_of_its_page_only(
    client_for, hr, organisation, monkeypatch
):
    monkeypatch.setattr(dashboard_views, "PAGE_SIZE", 2)
    summarised = []
    summarise = dashboard_views.summarise

    def spy(teams, figures, roles):
        summarised.append([team.name for team in teams])
        return summarise(teams, figures, roles)

    monkeypatch.setattr(dashboard_views, "summarise", spy)
    response = client_for(hr).get(reverse("dashboard:index") + "?page=2")
    shown = [s.team.name for s in response.context["summaries"]]
    assert summarised == [shown] and len(shown) == 2
    html = response.content.decode()
    assert "5 teams" in html

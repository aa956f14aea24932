"""A past period shows that period's data only (issue #17: "A past period on the dashboard
mixes in today's last update, role gaps and scan theme"): check-ins after its last day,
role holders who came later and staleness counted up to today leave its figures alone.
Frozen time."""

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from dashboards.figures import objective_totals, team_figures, team_summaries
from dashboards.periods import Period, as_of
from dashboards.team_dashboard import team_dashboard
from doelen.models import Confidence
from teams.models import Team, UpdateRhythm
from tests.dashboard.helpers import ROLE_SLUGS, at, check_in, staff
from tests.factories import (
    EmployeeFactory,
    GoalFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    TeamFactory,
    role,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 15)
Q4 = Period.quarter(datetime.date(2025, 11, 1))  # 1 October – 31 December 2025


@pytest.fixture
def frozen():
    with time_machine.travel(at(TODAY, 12), tick=False):
        yield


@pytest.fixture
def team(frozen):
    team = TeamFactory(name="Burgerzaken", update_rhythm=UpdateRhythm.MONTHLY)
    staff(team, since=datetime.date(2025, 1, 1))
    return team


@pytest.fixture
def goal(team):
    with time_machine.travel(at(datetime.date(2025, 9, 1)), tick=False):
        goal = GoalFactory(
            team=team,
            title="Wachttijd balie",
            owner=EmployeeFactory(name="Bram"),
            start_date=datetime.date(2025, 9, 1),
            due_date=datetime.date(2026, 6, 30),
        )
    check_in(goal, when=at(datetime.date(2025, 12, 10)), value=20, confidence=Confidence.OFF_TRACK)
    return goal


def figures_of(team):
    return team_figures(team_ids=[team.pk], period=Q4, on=TODAY)[team.pk]


def test_as_of_is_the_last_day_of_a_past_period_and_today_otherwise():
    assert as_of(Q4, TODAY).day == datetime.date(2025, 12, 31)
    assert as_of(Q4, TODAY).is_past
    assert as_of(Period.quarter(TODAY), TODAY).day == TODAY
    assert not as_of(Period.quarter(TODAY), TODAY).is_past


def test_a_check_in_after_the_period_does_not_change_its_figures(team, goal):
    before = figures_of(team)
    totals_before = objective_totals(team_ids=[team.pk], period=Q4, on=TODAY)
    dashboard_before = team_dashboard(team=team, period=Q4, on=TODAY).summary
    check_in(goal, when=at(datetime.date(2026, 2, 1)), value=90)  # after the period

    after = figures_of(team)
    assert after == before
    assert after.last_activity == at(datetime.date(2025, 12, 10))
    assert after.progress_sum == pytest.approx(0.2)
    assert objective_totals(team_ids=[team.pk], period=Q4, on=TODAY) == totals_before
    dashboard_after = team_dashboard(team=team, period=Q4, on=TODAY).summary
    assert dashboard_after.progress_sum == dashboard_before.progress_sum == pytest.approx(0.2)
    assert dashboard_after.last_activity == at(datetime.date(2025, 12, 10))
    # The current quarter does see it.
    now = team_figures(team_ids=[team.pk], period=Period.quarter(TODAY), on=TODAY)[team.pk]
    assert now.progress_sum == pytest.approx(0.9)


def test_the_signals_of_a_past_period_are_those_of_its_last_day(team, goal):
    """On 31 December the goal had its update of 10 December (within a month: not stale), was
    behind (20% where about 37% was expected) and its latest update was off track."""
    check_in(goal, when=at(datetime.date(2026, 2, 1)), value=90)
    for summary in (
        team_summaries(teams=Team.objects.filter(pk=team.pk), period=Q4, on=TODAY).summaries[0],
        team_dashboard(team=team, period=Q4, on=TODAY).summary,
    ):
        assert summary.stale_count == 0
        kinds = [s.kind for s in summary.signals]
        assert "stale" not in kinds
        assert "overdue" not in kinds
        (behind,) = [s for s in summary.signals if s.kind == "behind"]
        assert [(g.title, g.owner) for g in behind.goals] == [("Wachttijd balie", "Bram")]
        assert {f.ref.title for f in summary.flagged if f.doubtful} == {"Wachttijd balie"}


def test_a_past_period_counts_staleness_up_to_its_last_day_not_today(team, goal):
    # No update since 10 December: stale today (over three months), but on 31 December it
    # was within the team's monthly rhythm.
    assert (
        team_figures(team_ids=[team.pk], period=Period.quarter(TODAY), on=TODAY)[
            team.pk
        ].stale_count
        == 1
    )
    assert figures_of(team).stale_count == 0


@override_settings(ZS_MIN_ROLE_HOLDERS=2)
def test_role_holders_are_those_on_the_last_day_of_the_period(team):
    vakman = role("vakman")
    # One of the two "vakman" holders left on 5 January: a gap today, not in Q4.
    assignment = team.role_assignments.filter(role=vakman).first()
    assignment.until = datetime.date(2026, 1, 5)
    assignment.save()
    # A third "ondernemer" came on 10 January: not in Q4.
    newcomer = MembershipFactory(team=team, since=datetime.date(2026, 1, 10)).employee
    RoleAssignmentFactory(
        employee=newcomer, team=team, role=role("ondernemer"), since=datetime.date(2026, 1, 10)
    )
    past = figures_of(team).holders
    now = team_figures(team_ids=[team.pk], period=Period.quarter(TODAY), on=TODAY)[team.pk]
    assert past[vakman.pk] == 2 and now.holders[vakman.pk] == 1
    assert past[role("ondernemer").pk] == 2 and now.holders[role("ondernemer").pk] == 3
    assert figures_of(team).members == len(ROLE_SLUGS) * 2
    summary = team_summaries(teams=Team.objects.filter(pk=team.pk), period=Q4, on=TODAY)
    assert [s.kind for s in summary.summaries[0].signals if s.kind == "role"] == []


def test_the_pages_say_a_past_period_is_as_of_its_last_day(team, goal, client_for, manager):
    team.managers.add(manager)
    client = client_for(manager)
    query = "?period=quarter&start=2025-10-01"
    notice = (
        "Deze periode is voorbij: voortgang, signalen en rolhouders zijn zoals ze waren op "
        "31 december 2025."
    )
    for url in (reverse("dashboard:index"), reverse("dashboard:team", kwargs={"slug": team.slug})):
        past = client.get(url + query)
        assert past.status_code == 200
        assert notice in past.content.decode()
        assert "Deze periode is voorbij" not in client.get(url).content.decode()


def test_a_past_period_shows_the_scan_theme_published_by_its_last_day(team, client_for, manager):
    """The card's weakest theme: from the scan published by 31 December, not January's."""
    from tests.ontwikkeling.helpers import closed_round, new_member

    team.managers.add(manager)
    group = [new_member(team) for _ in range(5)]
    rest = {"zelfstandigheid": 4, "professionalisering": 4, "resultaatgericht-werken": 4}
    with time_machine.travel(at(datetime.date(2025, 11, 20)), tick=False):
        closed_round(team, [(p, rest | {"samenwerken": 1}) for p in group])
    with time_machine.travel(at(datetime.date(2026, 2, 20)), tick=False):
        closed_round(team, [(p, rest | {"samenwerken": 5, "zelfstandigheid": 1}) for p in group])
    client = client_for(manager)
    past = client.get(reverse("dashboard:index") + "?period=quarter&start=2025-10-01")
    now = client.get(reverse("dashboard:index"))
    assert "Samenwerken" in past.context["cards"][0]
    assert "Zelfstandigheid" not in past.context["cards"][0]
    assert "Zelfstandigheid" in now.context["cards"][0]

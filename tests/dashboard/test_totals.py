"""The goal figures of a team are summed by the database on the manager dashboard and the
organisation view (`team_summaries`), and in Python from the goals the team dashboard loads
anyway (`team_dashboard`). Both must give the same figures and signals."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from dashboards.figures import team_summaries
from dashboards.periods import Period
from dashboards.team_dashboard import team_dashboard
from doelen.models import Goal, GoalStatus, MeasureType
from teams.models import UpdateRhythm
from tests.dashboard.helpers import at, busy_team, check_in
from tests.factories import GoalFactory, TeamFactory, objective

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 15)


def figures(summary):
    """What the pages show of a team; progress rounded to what floats can tell apart."""
    return (
        summary.status_counts,
        summary.active_count,
        None if summary.progress is None else round(summary.progress, 9),
        None if summary.expected is None else round(summary.expected, 9),
        summary.stale_count,
        summary.stale_weeks,
        summary.last_activity,
        [(s.kind, s.text) for s in summary.signals],
    )


@pytest.fixture
def team():
    with time_machine.travel(at(TODAY - datetime.timedelta(days=250)), tick=False):
        team = TeamFactory(update_rhythm=UpdateRhythm.MONTHLY)
    with time_machine.travel(at(TODAY, 12), tick=False):
        busy_team(team, goals=3, today=TODAY)
        quiet = GoalFactory(
            team=team,
            measure_type=MeasureType.NUMBER,
            unit="",
            start_value=Decimal(100),
            target_value=Decimal(40),
            start_date=TODAY - datetime.timedelta(days=90),
            due_date=TODAY + datetime.timedelta(days=30),
        )
        check_in(quiet, when=at(TODAY - datetime.timedelta(days=40)), value="90")
        quiet.objectives.add(objective("kosten"))
        done = GoalFactory(team=team, start_date=TODAY - datetime.timedelta(days=30))
        check_in(done, when=at(TODAY - datetime.timedelta(days=2)), value="80")
        Goal.objects.filter(pk=done.pk).update(status=GoalStatus.ACHIEVED)
        # Ended before this quarter: not in view, but its check-in is the latest activity.
        old = GoalFactory(
            team=team,
            start_date=TODAY - datetime.timedelta(days=200),
            due_date=TODAY - datetime.timedelta(days=120),
        )
    check_in(old, when=at(TODAY - datetime.timedelta(hours=20)), value="50")
    return team


@pytest.mark.parametrize("kind", ["quarter", "year"])
@pytest.mark.parametrize("served", [None, "kosten"])
def test_database_totals_match_the_team_dashboard(team, kind, served):
    period = getattr(Period, kind)(TODAY)
    chosen = objective(served) if served else None
    with time_machine.travel(at(TODAY, 12), tick=False):
        [summed_by_database] = team_summaries(
            teams=[team], period=period, on=TODAY, objective=chosen
        ).summaries
        dashboard = team_dashboard(team=team, period=period, on=TODAY, objective=chosen)
    assert figures(summed_by_database) == figures(dashboard.summary)
    assert summed_by_database.goal_count == len(dashboard.summary.goals)


def test_the_example_has_every_kind_of_figure(team):
    with time_machine.travel(at(TODAY, 12), tick=False):
        [summary] = team_summaries(teams=[team], period=Period.quarter(TODAY), on=TODAY).summaries
    assert (summary.stale_count, summary.stale_weeks) == (1, 5)
    assert {s: n for s, _label, n in summary.status_counts} == {
        "active": 4,
        "achieved": 1,
    }
    assert summary.last_activity == at(TODAY - datetime.timedelta(hours=20))
    assert 0 < summary.progress < 1


def test_people_who_left_are_not_counted_as_members(team, member):
    """A deactivated person whose membership was left open is no member on the dashboards
    (issue #14: leaving ends everything), as they hold no role there either."""
    from dashboards.figures import team_figures
    from tests.factories import EmployeeFactory, MembershipFactory

    left = EmployeeFactory(name="Vera Vertrokken")
    MembershipFactory(employee=left, team=team)
    today = datetime.date.today()
    before = team_figures(team_ids=[team.pk], period=Period.year(today), on=today)
    left.is_active = False
    left.save(update_fields=["is_active"])
    after = team_figures(team_ids=[team.pk], period=Period.year(today), on=today)
    assert after[team.pk].members == before[team.pk].members - 1

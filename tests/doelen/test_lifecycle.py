"""A goal's life cycle (doelen.lifecycle) with frozen time: planned, running, overdue,
finished; planned goals are not stale, get no reminders and take no check-ins."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from doelen.lifecycle import is_update_due
from doelen.models import CheckIn, Goal, GoalPhase, GoalStatus
from doelen.reminders import daily_reminders, weekly_digests
from doelen.selectors import goals_for_team, goals_needing_update
from doelen.services import goal_check_in
from teams.models import UpdateRhythm
from tests.doelen.reminder_helpers import NOW, TODAY, quiet_goal
from tests.factories import EmployeeFactory, GoalFactory, TeamFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _goal(start, due, status=GoalStatus.ACTIVE, **kwargs):
    return GoalFactory(start_date=start, due_date=due, status=status, **kwargs)


STATES = [
    # start, due, status, phase on TODAY
    (TODAY + DAY, TODAY + 90 * DAY, GoalStatus.ACTIVE, GoalPhase.PLANNED),
    (TODAY, TODAY + 90 * DAY, GoalStatus.ACTIVE, GoalPhase.RUNNING),  # first day
    (TODAY - 90 * DAY, TODAY, GoalStatus.ACTIVE, GoalPhase.RUNNING),  # the due day itself
    (TODAY - 90 * DAY, TODAY - DAY, GoalStatus.ACTIVE, GoalPhase.OVERDUE),
    (TODAY - 90 * DAY, TODAY - DAY, GoalStatus.ACHIEVED, GoalPhase.FINISHED),
    (TODAY - 90 * DAY, TODAY + DAY, GoalStatus.STOPPED, GoalPhase.FINISHED),
    (TODAY + DAY, TODAY + 9 * DAY, GoalStatus.ARCHIVED, GoalPhase.FINISHED),
]


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize(("start", "due", "status", "phase"), STATES)
def test_each_phase_and_its_queryset(start, due, status, phase):
    goal = _goal(start, due, status)
    assert goal.phase() == phase
    assert goal.phase(TODAY) == phase
    querysets = {
        GoalPhase.PLANNED: Goal.objects.planned(TODAY),
        GoalPhase.RUNNING: Goal.objects.running(TODAY),
        GoalPhase.OVERDUE: Goal.objects.overdue(TODAY),
    }
    for name, queryset in querysets.items():
        assert (goal in queryset) is (name == phase), name


def test_the_phase_follows_the_calendar():
    goal = _goal(TODAY + DAY, TODAY + 2 * DAY)
    assert [goal.phase(TODAY + n * DAY) for n in range(4)] == [
        GoalPhase.PLANNED,
        GoalPhase.RUNNING,
        GoalPhase.RUNNING,
        GoalPhase.OVERDUE,
    ]


@pytest.mark.usefixtures("frozen")
def test_a_planned_goal_is_not_stale_and_gets_no_reminder_or_digest():
    owner = EmployeeFactory(username="owner")
    team = TeamFactory(update_rhythm=UpdateRhythm.WEEKLY)
    team.managers.add(EmployeeFactory(username="boss"))
    # Carried over 40 days ago into a period that starts tomorrow; a running one beside it.
    planned = quiet_goal(team=team, owner=owner, days_quiet=40, title="Volgend jaar")
    Goal.objects.filter(pk=planned.pk).update(start_date=TODAY + DAY)
    quiet_goal(team=team, owner=owner, days_quiet=40, title="Nu")
    assert [g.title for g in Goal.objects.stale(on=TODAY)] == ["Nu"]
    reminded = {r.recipient.username: [g.title for g in r.goals] for r in daily_reminders(on=TODAY)}
    assert reminded == {"owner": ["Nu"]}
    [digest] = weekly_digests(on=TODAY)
    assert [g.title for g in digest.teams[0].stale_goals] == ["Nu"]
    assert [i.goal.title for i in goals_needing_update(employee=owner, team_ids=[team.pk])] == [
        "Nu"
    ]


@pytest.mark.usefixtures("frozen")
def test_a_goal_that_just_started_waits_a_rhythm_before_it_is_stale():
    team = TeamFactory(update_rhythm=UpdateRhythm.WEEKLY)
    goal = quiet_goal(team=team, days_quiet=40)
    for started_days_ago, stale in [(0, False), (6, False), (7, True), (30, True)]:
        Goal.objects.filter(pk=goal.pk).update(start_date=TODAY - started_days_ago * DAY)
        assert (goal in Goal.objects.stale(on=TODAY)) is stale, started_days_ago


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize("rhythm", UpdateRhythm.values)
@pytest.mark.parametrize("days_quiet", [0, 6, 8, 13, 15, 29, 31])
@pytest.mark.parametrize("started_days_ago", [-3, 5, 20, 100])
def test_the_freshness_mark_is_the_staleness_rule(rhythm, days_quiet, started_days_ago):
    goal = quiet_goal(team=TeamFactory(update_rhythm=rhythm), days_quiet=days_quiet)
    Goal.objects.filter(pk=goal.pk).update(start_date=TODAY - started_days_ago * DAY)
    goal.refresh_from_db()
    due = is_update_due(
        status=goal.status,
        start_date=goal.start_date,
        last_activity_at=goal.created_at,
        rhythm_days=rhythm,
        on=TODAY,
    )
    assert due is (goal in Goal.objects.stale(on=TODAY))
    [item] = goals_for_team(team=goal.team, on=TODAY)
    assert item.update_due is due


@pytest.mark.usefixtures("frozen")
def test_cards_know_the_days_since_the_last_update():
    team = TeamFactory(update_rhythm=UpdateRhythm.WEEKLY)
    quiet_goal(team=team, days_quiet=12, with_check_in=True, title="Oud")
    quiet_goal(team=team, days_quiet=3, title="Zonder update")
    items = {i.goal.title: i for i in goals_for_team(team=team, on=TODAY)}
    assert (items["Oud"].days_since_update, items["Oud"].update_due) == (12, True)
    assert (items["Zonder update"].days_since_update, items["Zonder update"].update_due) == (
        None,
        False,
    )


@pytest.mark.usefixtures("frozen")
def test_finished_planned_and_milestone_goals_show_no_expected_line():
    from doelen.models import MeasureType

    team = TeamFactory()
    _goal(TODAY - 90 * DAY, TODAY - DAY, GoalStatus.ACHIEVED, team=team, title="Klaar")
    _goal(TODAY - 90 * DAY, TODAY + 90 * DAY, team=team, title="Loopt")
    _goal(
        TODAY - 90 * DAY,
        TODAY + 90 * DAY,
        team=team,
        title="Mijlpaal",
        measure_type=MeasureType.MILESTONE,
        start_value=0,
        target_value=1,
        unit="",
    )
    _goal(TODAY + DAY, TODAY + 90 * DAY, team=team, title="Later")
    items = goals_for_team(team=team, on=TODAY) + goals_for_team(team=team, closed=True, on=TODAY)
    shows = {i.goal.title: i.shows_expected for i in items}
    assert shows == {"Klaar": False, "Loopt": True, "Mijlpaal": False, "Later": False}
    assert not any(i.behind for i in items if not i.shows_expected)


# Check-ins before the start


@pytest.mark.usefixtures("frozen")
def test_the_service_refuses_a_check_in_before_the_start(member):
    goal = _goal(TODAY + DAY, TODAY + 90 * DAY)
    with pytest.raises(ValidationError, match="begint op 1 december 2026"):
        goal_check_in(goal=goal, author=member, value=Decimal(10))
    assert not CheckIn.objects.exists()
    with time_machine.travel(NOW + DAY, tick=False):
        goal_check_in(goal=goal, author=member, value=Decimal(10))
    assert CheckIn.objects.count() == 1


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize("htmx", [False, True])
def test_the_goal_page_refuses_a_check_in_before_the_start(client_for, member, team, htmx):
    goal = _goal(TODAY + DAY, TODAY + 90 * DAY, team=team)
    client = client_for(member)
    page = client.get(goal.get_absolute_url()).content.decode()
    assert "goal-not-started" in page
    assert 'name="confidence"' not in page
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(
        goal.get_absolute_url(), {"value": "10", "confidence": "on_track"}, **headers
    )
    assert response.status_code == (200 if htmx else 302)
    assert not CheckIn.objects.exists()
    after = client.get(reverse("doelen:detail", kwargs={"pk": goal.pk})).content.decode()
    assert "Vanaf die dag kun je de voortgang invullen." in after

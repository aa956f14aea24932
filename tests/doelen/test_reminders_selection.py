"""Who gets a reminder or a digest, and for which goals (frozen time)."""

import datetime

import pytest
import time_machine

from doelen.models import GoalStatus
from doelen.reminders import daily_reminders, weekly_digests
from teams.models import UpdateRhythm
from tests.doelen.reminder_helpers import NOW, TODAY, quiet_goal
from tests.factories import (
    EmployeeFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    TeamFactory,
    role,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def recipients(on=TODAY):
    return {r.recipient.username: [g.title for g in r.goals] for r in daily_reminders(on=on)}


@pytest.mark.parametrize(
    ("rhythm", "days_quiet", "reminded"),
    [
        (UpdateRhythm.WEEKLY, 6, False),
        (UpdateRhythm.WEEKLY, 8, True),
        (UpdateRhythm.BIWEEKLY, 13, False),
        (UpdateRhythm.BIWEEKLY, 15, True),
        (UpdateRhythm.MONTHLY, 29, False),
        (UpdateRhythm.MONTHLY, 31, True),
    ],
)
@pytest.mark.parametrize("with_check_in", [False, True])
def test_the_owner_is_reminded_after_the_team_rhythm(rhythm, days_quiet, reminded, with_check_in):
    owner = EmployeeFactory(username="owner")
    quiet_goal(
        team=TeamFactory(update_rhythm=rhythm),
        owner=owner,
        days_quiet=days_quiet,
        with_check_in=with_check_in,
        title="Wachttijd",
    )
    assert recipients() == ({"owner": ["Wachttijd"]} if reminded else {})


def test_one_reminder_per_person_lists_all_their_stale_goals():
    owner = EmployeeFactory(username="owner")
    team_a, team_b = TeamFactory(name="A"), TeamFactory(name="B")
    quiet_goal(team=team_a, owner=owner, days_quiet=20, title="Eerste")
    quiet_goal(team=team_b, owner=owner, days_quiet=40, title="Tweede")
    quiet_goal(team=team_b, owner=owner, days_quiet=2, title="Vers")
    assert recipients() == {"owner": ["Eerste", "Tweede"]}


def test_a_goal_without_owner_goes_to_all_current_active_members():
    team = TeamFactory()
    for username in ("ann", "bob"):
        MembershipFactory(team=team, employee=EmployeeFactory(username=username))
    MembershipFactory(
        team=team,
        employee=EmployeeFactory(username="left"),
        since=TODAY - datetime.timedelta(days=300),
        until=TODAY - datetime.timedelta(days=1),
    )
    MembershipFactory(team=team, employee=EmployeeFactory(username="gone", is_active=False))
    MembershipFactory(team=team, employee=EmployeeFactory(username="nomail", email=""))
    quiet_goal(team=team, owner=None, days_quiet=20, title="Van iedereen")
    assert recipients() == {"ann": ["Van iedereen"], "bob": ["Van iedereen"]}


def test_a_goal_whose_owner_left_goes_to_the_members():
    team = TeamFactory()
    MembershipFactory(team=team, employee=EmployeeFactory(username="ann"))
    quiet_goal(
        team=team,
        owner=EmployeeFactory(username="gone", is_active=False),
        days_quiet=20,
        title="Wees",
    )
    assert recipients() == {"ann": ["Wees"]}


@pytest.mark.parametrize(
    ("paused_until", "reminded"),
    [
        (None, True),
        (TODAY - datetime.timedelta(days=1), True),  # the pause has passed
        (TODAY, False),  # up to and including today
        (TODAY + datetime.timedelta(days=10), False),
    ],
)
def test_a_paused_employee_gets_no_reminder_until_the_date_passes(paused_until, reminded):
    owner = EmployeeFactory(username="owner", reminders_paused_until=paused_until)
    quiet_goal(team=TeamFactory(), owner=owner, days_quiet=20, title="Doel")
    assert bool(recipients()) is reminded


def test_inactive_employees_closed_goals_and_archived_teams_get_nothing():
    quiet_goal(team=TeamFactory(), owner=EmployeeFactory(is_active=False), days_quiet=20)
    owner = EmployeeFactory(username="owner")
    for status in (GoalStatus.ARCHIVED, GoalStatus.ACHIEVED, GoalStatus.STOPPED):
        quiet_goal(team=TeamFactory(), owner=owner, days_quiet=20, status=status)
    quiet_goal(team=TeamFactory(is_active=False), owner=owner, days_quiet=20)
    assert recipients() == {}


def test_selection_for_some_recipients_matches_the_full_selection():
    team = TeamFactory()
    ann = EmployeeFactory(username="ann")
    MembershipFactory(team=team, employee=ann)
    MembershipFactory(team=team, employee=EmployeeFactory(username="bob"))
    quiet_goal(team=team, owner=None, days_quiet=20, title="Samen")
    quiet_goal(team=TeamFactory(), owner=ann, days_quiet=20, title="Eigen")
    full = {r.recipient.pk: [g.pk for g in r.goals] for r in daily_reminders(on=TODAY)}
    only_ann = daily_reminders(on=TODAY, recipient_ids=[ann.pk])
    assert [(r.recipient.pk, [g.pk for g in r.goals]) for r in only_ann] == [(ann.pk, full[ann.pk])]


def test_selection_takes_a_fixed_number_of_queries(django_assert_num_queries):
    def grow(count):
        for _ in range(count):
            team = TeamFactory()
            MembershipFactory(team=team)
            MembershipFactory(team=team)
            quiet_goal(team=team, owner=None, days_quiet=20)
            quiet_goal(team=team, owner=EmployeeFactory(), days_quiet=20)

    grow(2)
    with django_assert_num_queries(2):
        small = daily_reminders(on=TODAY)
    grow(8)
    with django_assert_num_queries(2):
        large = daily_reminders(on=TODAY)
    assert len(small) == 6 and len(large) == 30


# The weekly digest


@pytest.fixture
def managed(settings):
    """A manager of one team whose four roles all have two holders: nothing vulnerable."""
    settings.ZS_MIN_ROLE_HOLDERS = 2
    manager = EmployeeFactory(username="boss")
    team = TeamFactory(name="Vergunningen", managers=[manager])
    for slug in ("ondernemer", "samenwerkingspartner", "vakman", "facilitator"):
        for _ in range(2):
            member = EmployeeFactory()
            MembershipFactory(team=team, employee=member)
            RoleAssignmentFactory(team=team, employee=member, role=role(slug))
    return manager, team


def digest_of(manager, on=TODAY):
    digests = {d.recipient.pk: d for d in weekly_digests(on=on)}
    return digests.get(manager.pk)


def test_the_digest_lists_stale_goals_and_vulnerable_roles_per_team(managed):
    manager, team = managed
    quiet_goal(team=team, owner=EmployeeFactory(), days_quiet=20, title="Stil")
    quiet_goal(team=team, owner=EmployeeFactory(), days_quiet=2, title="Bijgewerkt")
    second = TeamFactory(name="Burgerzaken", managers=[manager])  # no role holders at all
    digest = digest_of(manager)
    assert [t.team for t in digest.teams] == [second, team]
    assert [(r.slug, n) for r, n in digest.teams[0].vulnerable_roles] == [
        ("ondernemer", 0),
        ("samenwerkingspartner", 0),
        ("vakman", 0),
        ("facilitator", 0),
    ]
    assert [g.title for g in digest.teams[1].stale_goals] == ["Stil"]
    assert digest.teams[1].vulnerable_roles == []
    assert digest.item_count == 1


def test_no_digest_when_there_is_nothing_to_report(managed):
    manager, team = managed
    quiet_goal(team=team, owner=EmployeeFactory(), days_quiet=2)
    assert digest_of(manager) is None


@pytest.mark.parametrize(
    "change",
    [
        {"digest_enabled": False},
        {"is_active": False},
        {"reminders_paused_until": TODAY},
        {"email": ""},
    ],
)
def test_managers_who_opted_out_or_left_get_no_digest(managed, change):
    manager, team = managed
    quiet_goal(team=team, owner=EmployeeFactory(), days_quiet=20)
    for field, value in change.items():
        setattr(manager, field, value)
    manager.save()
    assert digest_of(manager) is None


def test_archived_teams_are_not_in_the_digest(managed):
    manager, team = managed
    quiet_goal(team=team, owner=EmployeeFactory(), days_quiet=20)
    team.is_active = False
    team.save()
    assert digest_of(manager) is None


@pytest.mark.parametrize(
    ("days_quiet", "in_digest", "escalated"),
    [(20, False, False), (41, False, False), (43, True, True)],
)
def test_a_paused_owners_goal_reaches_the_digest_after_three_rhythms(
    managed, days_quiet, in_digest, escalated
):
    manager, team = managed  # every two weeks: escalation after 42 days
    owner = EmployeeFactory(username="away", reminders_paused_until=TODAY + datetime.timedelta(30))
    quiet_goal(team=team, owner=owner, days_quiet=days_quiet, title="Vakantie")
    assert recipients() == {}  # the owner is not reminded while paused
    digest = digest_of(manager)
    goals = [g for t in digest.teams for g in t.stale_goals] if digest else []
    assert [g.title for g in goals] == (["Vakantie"] if in_digest else [])
    assert all(g.escalated is escalated for g in goals)


def test_escalated_goals_of_owners_who_are_not_paused_are_marked(managed):
    manager, team = managed
    quiet_goal(team=team, owner=EmployeeFactory(), days_quiet=50, title="Lang stil")
    quiet_goal(team=team, owner=EmployeeFactory(), days_quiet=20, title="Even stil")
    goals = digest_of(manager).teams[0].stale_goals
    assert {g.title: g.escalated for g in goals} == {"Lang stil": True, "Even stil": False}


def test_digest_selection_takes_a_fixed_number_of_queries(django_assert_num_queries, settings):
    settings.ZS_MIN_ROLE_HOLDERS = 1

    def grow(count):
        for _ in range(count):
            manager = EmployeeFactory()
            team = TeamFactory(managers=[manager])
            quiet_goal(team=team, owner=EmployeeFactory(), days_quiet=20)

    grow(2)
    with django_assert_num_queries(5):
        assert len(weekly_digests(on=TODAY)) == 2
    grow(6)
    with django_assert_num_queries(5):
        assert len(weekly_digests(on=TODAY)) == 8

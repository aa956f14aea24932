import datetime

import pytest
import time_machine
from django.utils import timezone

from doelen.models import Goal, GoalStatus
from teams.models import UpdateRhythm
from tests.factories import CheckInFactory, GoalFactory, TeamFactory

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()


def at(*args):
    return datetime.datetime(*args, tzinfo=TZ)


@pytest.mark.parametrize(
    ("rhythm", "days_quiet", "stale"),
    [
        (UpdateRhythm.WEEKLY, 6, False),
        (UpdateRhythm.WEEKLY, 8, True),
        (UpdateRhythm.BIWEEKLY, 13, False),
        (UpdateRhythm.BIWEEKLY, 15, True),
        (UpdateRhythm.MONTHLY, 29, False),
        (UpdateRhythm.MONTHLY, 31, True),
    ],
)
def test_a_goal_is_stale_after_its_team_rhythm(rhythm, days_quiet, stale):
    with time_machine.travel(at(2025, 1, 1, 9), tick=False):
        goal = GoalFactory(team=TeamFactory(update_rhythm=rhythm))
    today = datetime.date(2025, 3, 1)
    with time_machine.travel(at(2025, 3, 1, 9) - datetime.timedelta(days=days_quiet), tick=False):
        CheckInFactory(goal=goal)
    assert (goal in Goal.objects.stale(on=today)) is stale


def test_a_new_goal_without_check_ins_counts_from_its_creation():
    with time_machine.travel(at(2025, 3, 1, 9), tick=False):
        goal = GoalFactory(team=TeamFactory(update_rhythm=UpdateRhythm.WEEKLY))
    assert goal not in Goal.objects.stale(on=datetime.date(2025, 3, 5))
    assert goal in Goal.objects.stale(on=datetime.date(2025, 3, 9))


def test_only_active_goals_go_stale_and_rhythms_multiply():
    with time_machine.travel(at(2025, 1, 1, 9), tick=False):
        active = GoalFactory(team=TeamFactory(update_rhythm=UpdateRhythm.WEEKLY))
        GoalFactory(team=active.team, status=GoalStatus.ARCHIVED)
    on = datetime.date(2025, 1, 20)  # 19 days quiet: two rhythms, not three
    assert list(Goal.objects.stale(on=on)) == [active]
    assert list(Goal.objects.stale(on=on, rhythms=2)) == [active]
    assert list(Goal.objects.stale(on=on, rhythms=3)) == []

"""`Goal.last_check_in` points at the goal's latest check-in by (created_at, id). The
check-in service keeps it under the goal's row lock; bulk loaders (and the factories here,
which write check-ins with any `created_at`) call `goals_recompute_last_check_in`. The
services that save a goal lock and re-read it first, so they never write back an older one.
`GoalQuerySet.with_progress` is `progress_for` / `expected_progress` in SQL."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from doelen.models import CheckIn, Confidence, Goal, GoalStatus, MeasureType
from doelen.services import (
    GoalData,
    goal_check_in,
    goal_set_status,
    goal_update,
    goals_recompute_last_check_in,
)
from tests.factories import CheckInFactory, EmployeeFactory, GoalFactory

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()


def at(day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, tzinfo=TZ)


def latest_of(goal: Goal) -> int | None:
    return Goal.objects.values_list("last_check_in_id", flat=True).get(pk=goal.pk)


def test_a_new_goal_has_no_latest_check_in():
    goal = GoalFactory()
    assert latest_of(goal) is None
    annotated = Goal.objects.with_latest_check_in().get(pk=goal.pk)
    assert (annotated.latest_value, annotated.latest_confidence, annotated.latest_at) == (
        None,
        None,
        None,
    )


def test_a_newer_check_in_becomes_the_latest():
    goal = GoalFactory()
    first = CheckInFactory(goal=goal, created_at=at(1), value=Decimal(10))
    assert latest_of(goal) == first.pk
    second = CheckInFactory(goal=goal, created_at=at(2), value=Decimal(20))
    assert latest_of(goal) == second.pk
    annotated = Goal.objects.with_latest_check_in().with_last_activity().get(pk=goal.pk)
    assert annotated.latest_value == Decimal(20)
    assert annotated.latest_at == at(2)
    assert annotated.last_activity_at == at(2)


def test_a_backdated_check_in_does_not_replace_a_newer_one():
    goal = GoalFactory()
    newer = CheckInFactory(goal=goal, created_at=at(5), value=Decimal(50))
    CheckInFactory(goal=goal, created_at=at(1), value=Decimal(10))
    assert latest_of(goal) == newer.pk


def test_at_the_same_moment_the_higher_id_wins_like_get_latest_by():
    goal = GoalFactory()
    CheckInFactory(goal=goal, created_at=at(3), value=Decimal(10))
    later = CheckInFactory(goal=goal, created_at=at(3), value=Decimal(20))
    assert latest_of(goal) == later.pk == goal.check_ins.latest().pk


def test_the_check_in_service_keeps_it(member, team):
    goal = GoalFactory(team=team, start_date=datetime.date(2026, 1, 1))
    first = goal_check_in(goal=goal, author=member, value=Decimal(10))
    assert latest_of(goal) == first.pk
    second = goal_check_in(goal=goal, author=member, value=Decimal(20))
    assert latest_of(goal) == second.pk
    assert Goal.objects.with_latest_check_in().get(pk=goal.pk).latest_value == Decimal(20)


def test_bulk_create_then_the_helper_keeps_it_right():
    goals = [GoalFactory(), GoalFactory()]
    author = EmployeeFactory()
    rows = [
        CheckIn(goal=goal, author=author, value=Decimal(day), created_at=at(day))
        for goal in goals
        for day in (4, 9, 2)  # the newest in the middle
    ]
    CheckIn.objects.bulk_create(rows)
    assert goals_recompute_last_check_in([goal.pk for goal in goals]) == 2
    for goal in goals:
        assert latest_of(goal) == goal.check_ins.latest().pk
        assert goal.check_ins.get(pk=latest_of(goal)).created_at == at(9)


def test_the_helper_without_ids_does_every_goal():
    goals = [GoalFactory(), GoalFactory()]
    CheckIn.objects.bulk_create(
        CheckIn(goal=goal, author=EmployeeFactory(), value=Decimal(5), created_at=at(1))
        for goal in goals
    )
    goals_recompute_last_check_in()
    assert all(latest_of(goal) == goal.check_ins.get().pk for goal in goals)


def test_after_deleting_the_latest_check_in_the_helper_falls_back_to_the_one_before():
    goal = GoalFactory()
    older = CheckInFactory(goal=goal, created_at=at(1))
    newer = CheckInFactory(goal=goal, created_at=at(2))
    newer.delete()
    goals_recompute_last_check_in([goal.pk])
    assert latest_of(goal) == older.pk
    older.delete()
    assert latest_of(goal) is None  # SET_NULL, without the helper


def test_saving_a_goal_loaded_with_only_some_fields_keeps_the_latest():
    goal = GoalFactory()
    partial = Goal.objects.only("title").get(pk=goal.pk)
    check_in = CheckInFactory(goal=goal, created_at=at(2))
    partial.title = "Ander doel"
    partial.save()
    assert latest_of(goal) == check_in.pk


def test_services_that_save_a_goal_keep_the_latest(member, team):
    goal = GoalFactory(team=team, start_date=datetime.date(2026, 1, 1))
    opened = Goal.objects.get(pk=goal.pk)  # as an edit form would have it
    check_in = goal_check_in(goal=goal, author=member, value=Decimal(30))
    data = GoalData(
        title="Bijgewerkt",
        start_date=opened.start_date,
        due_date=opened.due_date,
        measure_type=MeasureType.PERCENTAGE,
    )
    goal_update(goal=opened, actor=member, version=opened.version, data=data)
    assert latest_of(goal) == check_in.pk
    goal_set_status(goal=opened, actor=member, status=GoalStatus.ACHIEVED, reason="Klaar.")
    assert latest_of(goal) == check_in.pk


def test_the_recompute_helper_points_every_goal_at_its_latest_check_in():
    """For bulk loaders that write check-ins without the check-in service."""
    from doelen.services import goals_recompute_last_check_in

    goals = [GoalFactory() for _ in range(3)]
    for goal, days in zip(goals, [(3, 1, 2), (1,), ()], strict=True):
        for day in days:
            CheckInFactory(goal=goal, created_at=at(day))
    Goal.objects.update(last_check_in=None)  # as a bulk loader leaves them
    goals_recompute_last_check_in()
    assert latest_of(goals[0]) == goals[0].check_ins.get(created_at=at(3)).pk
    assert latest_of(goals[1]) == goals[1].check_ins.get().pk
    assert latest_of(goals[2]) is None


ON = datetime.date(2026, 3, 15)


@pytest.mark.parametrize(
    ("measure", "start", "target", "values", "start_date", "due_date"),
    [
        (MeasureType.PERCENTAGE, 0, 100, [], datetime.date(2026, 1, 1), datetime.date(2026, 6, 1)),
        (
            MeasureType.PERCENTAGE,
            20,
            80,
            ["35"],
            datetime.date(2026, 3, 1),
            datetime.date(2026, 4, 1),
        ),
        (
            MeasureType.NUMBER,
            100,
            40,
            ["70.5"],
            datetime.date(2025, 1, 1),
            datetime.date(2026, 1, 1),
        ),
        (MeasureType.NUMBER, 10, 20, ["25"], datetime.date(2026, 4, 1), datetime.date(2026, 9, 1)),
        (MeasureType.NUMBER, 10, 20, ["3"], datetime.date(2026, 3, 15), datetime.date(2026, 3, 15)),
        (
            MeasureType.NUMBER,
            10,
            20,
            ["13"],
            datetime.date(2026, 3, 16),
            datetime.date(2026, 3, 16),
        ),
        (
            MeasureType.MILESTONE,
            0,
            1,
            ["0", "1"],
            datetime.date(2026, 2, 1),
            datetime.date(2026, 3, 31),
        ),
    ],
)
def test_with_progress_computes_what_the_python_rules_compute(
    measure, start, target, values, start_date, due_date
):
    goal = GoalFactory(
        measure_type=measure,
        unit="",
        start_value=Decimal(start),
        target_value=Decimal(target),
        start_date=start_date,
        due_date=due_date,
    )
    for day, value in enumerate(values, start=1):
        CheckInFactory(goal=goal, created_at=at(day), value=Decimal(value))
    annotated = Goal.objects.with_latest_check_in().with_progress(on=ON).get(pk=goal.pk)
    assert annotated.progress == pytest.approx(goal.progress_for(annotated.latest_value))
    assert annotated.expected == pytest.approx(goal.expected_progress(ON))


def test_confidence_is_read_from_the_latest_check_in():
    goal = GoalFactory()
    CheckInFactory(goal=goal, created_at=at(1))
    CheckInFactory(
        goal=goal, created_at=at(2), confidence=Confidence.OFF_TRACK, comment="Loopt uit."
    )
    assert Goal.objects.with_latest_check_in().get(pk=goal.pk).latest_confidence == (
        Confidence.OFF_TRACK
    )

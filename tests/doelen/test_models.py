import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from doelen.models import CheckIn, Confidence, Goal, GoalStatus, MeasureType, OrganisationObjective
from doelen.services import goal_check_in
from tests.factories import CheckInFactory, EmployeeFactory, GoalFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_the_data_migration_creates_the_five_objectives():
    assert list(OrganisationObjective.objects.values_list("slug", flat=True)) == [
        "kwaliteit",
        "dichtbij",
        "kosten",
        "kwetsbaarheid",
        "lokale-kleur",
    ]
    assert OrganisationObjective.objects.get(slug="kwetsbaarheid").name_nl == "Minder kwetsbaarheid"


@pytest.mark.parametrize(
    "fields",
    [
        {"start_date": D(2025, 6, 1), "due_date": D(2025, 5, 1)},  # dates out of order
        {"start_value": Decimal(5), "target_value": Decimal(5)},  # target equals start
        {"measure_type": MeasureType.PERCENTAGE, "target_value": Decimal(120)},
        {"measure_type": MeasureType.PERCENTAGE, "start_value": Decimal(-1)},
        {
            "measure_type": MeasureType.MILESTONE,
            "start_value": Decimal(0),
            "target_value": Decimal(5),
        },
        {"measure_type": "guess"},
        {"status": "deleted"},
        {"title": ""},
    ],
)
def test_goal_rules_are_refused_by_the_database(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        GoalFactory(**fields)


def test_goal_clean_explains_the_problem_per_field():
    goal = GoalFactory.build(
        start_date=D(2025, 6, 1),
        due_date=D(2025, 5, 1),
        start_value=Decimal(50),
        target_value=Decimal(50),
    )
    with pytest.raises(ValidationError) as error:
        goal.full_clean(exclude=["team"])
    assert set(error.value.message_dict) == {"due_date", "target_value"}


def test_milestone_clean_sets_its_values():
    goal = GoalFactory.build(
        measure_type=MeasureType.MILESTONE,
        start_value=Decimal(3),
        target_value=Decimal(9),
        unit="x",
    )
    goal.clean()
    assert (goal.start_value, goal.target_value, goal.unit) == (0, 1, "")


def test_progress_and_expected_progress():
    goal = GoalFactory.build(
        measure_type=MeasureType.NUMBER,
        start_value=Decimal(25),
        target_value=Decimal(10),
        start_date=D(2025, 1, 1),
        due_date=D(2025, 1, 11),
    )
    assert goal.progress_for(Decimal(25)) == 0
    assert goal.progress_for(Decimal("17.5")) == 0.5  # falling numbers are progress too
    assert goal.progress_for(Decimal(5)) == 1  # beyond the target counts as done
    assert goal.progress_for(None) == 0
    assert goal.expected_progress(D(2024, 12, 1)) == 0
    assert goal.expected_progress(D(2025, 1, 6)) == 0.5
    assert goal.expected_progress(D(2025, 3, 1)) == 1


def test_check_in_value_out_of_range_is_refused_by_the_database():
    percentage = GoalFactory(measure_type=MeasureType.PERCENTAGE)
    milestone = GoalFactory(measure_type=MeasureType.MILESTONE, start_value=0, target_value=1)
    number = GoalFactory(measure_type=MeasureType.NUMBER, start_value=0, target_value=500)
    author = EmployeeFactory()
    for goal, value in [(percentage, 101), (percentage, -1), (milestone, Decimal("0.5"))]:
        with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
            CheckIn.objects.create(goal=goal, author=author, value=value)
    CheckIn.objects.create(goal=number, author=author, value=9000)  # numbers may overshoot
    CheckIn.objects.create(goal=percentage, author=author, value=100)
    CheckIn.objects.create(goal=milestone, author=author, value=1)
    assert CheckIn.objects.count() == 3


def test_check_ins_are_append_only_in_the_database():
    check_in = CheckInFactory()
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        CheckIn.objects.filter(pk=check_in.pk).update(value=20)
    with (
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE doelen_checkin SET comment = 'changed' WHERE id = %s", [check_in.pk])
    check_in.refresh_from_db()
    assert check_in.value == 10


def test_a_comment_is_required_when_not_on_track():
    goal = GoalFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckInFactory(goal=goal, confidence=Confidence.OFF_TRACK, comment="")
    with pytest.raises(ValidationError):
        goal_check_in(
            goal=goal,
            author=EmployeeFactory(),
            value=Decimal(5),
            confidence=Confidence.NEEDS_ATTENTION,
            comment="  ",
        )
    assert not CheckIn.objects.exists()


def test_goal_check_in_service():
    goal = GoalFactory()
    author = EmployeeFactory()
    first = goal_check_in(goal=goal, author=author, value=Decimal(10))
    second = goal_check_in(
        goal=goal,
        author=author,
        value=Decimal(30),
        confidence=Confidence.NEEDS_ATTENTION,
        comment="Ziekte",
    )
    annotated = Goal.objects.with_latest_check_in().get(pk=goal.pk)
    assert annotated.latest_value == Decimal(30)
    assert annotated.latest_confidence == Confidence.NEEDS_ATTENTION
    assert CheckIn.objects.filter(pk__in=[first.pk, second.pk]).count() == 2
    with pytest.raises(ValidationError):
        goal_check_in(goal=goal, author=author, value=Decimal(130))
    Goal.objects.filter(pk=goal.pk).update(status=GoalStatus.ARCHIVED)
    with pytest.raises(ValidationError):
        goal_check_in(goal=goal, author=author, value=Decimal(40))
    assert goal.check_ins.count() == 2

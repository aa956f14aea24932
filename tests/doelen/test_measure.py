"""A goal's measure is put in order in one place (doelen.models.normalise_measure), and the
model, the goal form, carry-over and the pages all follow it."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from doelen.forms import GoalForm
from doelen.measure import MeasureType, normalise_measure
from doelen.models import Goal
from doelen.services import goal_carry_over
from doelen.templatetags.goals import goal_value
from tests.factories import CheckInFactory, GoalFactory

TODAY = timezone.localdate()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # a milestone: 0 → 1, no unit, whatever is given
        ((MeasureType.MILESTONE, " dagen ", Decimal(5), Decimal(9)), ("", Decimal(0), Decimal(1))),
        ((MeasureType.MILESTONE, "", None, None), ("", Decimal(0), Decimal(1))),
        # a percentage: unit "%", 0 → 100 unless given
        ((MeasureType.PERCENTAGE, "punten", None, None), ("%", Decimal(0), Decimal(100))),
        ((MeasureType.PERCENTAGE, "", Decimal(30), None), ("%", Decimal(30), Decimal(100))),
        ((MeasureType.PERCENTAGE, "%", Decimal(30), Decimal(80)), ("%", Decimal(30), Decimal(80))),
        # a number: as given, the unit without spaces; missing values stay missing
        ((MeasureType.NUMBER, " inwoners ", Decimal(3), Decimal(12)), ("inwoners", 3, 12)),
        ((MeasureType.NUMBER, "", None, Decimal(12)), ("", None, Decimal(12))),
    ],
)
def test_normalise_measure(given, expected):
    measure_type, unit, start, target = given
    measure = normalise_measure(measure_type, unit=unit, start_value=start, target_value=target)
    assert measure.measure_type == measure_type
    assert (measure.unit, measure.start_value, measure.target_value) == expected


@pytest.mark.django_db
def test_model_clean_follows_the_rule(team):
    goal = Goal(
        team=team,
        title="Loket live",
        measure_type=MeasureType.MILESTONE,
        unit="stuks",
        start_value=Decimal(4),
        target_value=Decimal(8),
        start_date=TODAY,
        due_date=TODAY,
    )
    goal.full_clean()
    assert (goal.unit, goal.start_value, goal.target_value) == ("", 0, 1)
    goal.measure_type, goal.unit, goal.start_value, goal.target_value = "percentage", "x", 10, 90
    goal.full_clean()
    assert goal.unit == "%"


def _form_data(team, **values):
    data = {
        "title": "Doel",
        "measure_type": MeasureType.PERCENTAGE,
        "unit": "",
        "start_value": "",
        "target_value": "",
        "start_date": TODAY.isoformat(),
        "due_date": (TODAY + datetime.timedelta(days=30)).isoformat(),
    }
    data.update(values)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, ("%", Decimal(0), Decimal(100))),
        ({"start_value": "20"}, ("%", Decimal(20), Decimal(100))),
        (
            {"measure_type": "milestone", "unit": "x", "start_value": "abc", "target_value": "5"},
            ("", Decimal(0), Decimal(1)),
        ),
        (
            {"measure_type": "number", "unit": " dagen ", "start_value": "3", "target_value": "9"},
            ("dagen", Decimal(3), Decimal(9)),
        ),
    ],
)
def test_goal_form_follows_the_rule(team, values, expected):
    with translation.override("en"):
        form = GoalForm(_form_data(team, **values), team=team)
        assert form.is_valid(), form.errors
    data = form.goal_data()
    assert (data.unit, data.start_value, data.target_value) == expected


@pytest.mark.django_db
def test_goal_form_asks_a_number_for_both_values(team):
    with translation.override("en"):
        form = GoalForm(_form_data(team, measure_type="number", target_value="9"), team=team)
        assert not form.is_valid()
        assert form.errors["start_value"] == ["Fill in a number."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("measure", "latest", "new_target", "expected"),
    [
        # a milestone starts again at "not reached", whatever target is asked
        ((MeasureType.MILESTONE, "", 0, 1), 1, Decimal(7), (0, 1, "")),
        # a number starts at its latest value and keeps its target and unit
        ((MeasureType.NUMBER, "avonden", 0, 6), 4, None, (4, 6, "avonden")),
        ((MeasureType.PERCENTAGE, "%", 10, 90), 30, Decimal(95), (30, 95, "%")),
    ],
)
def test_carry_over_follows_the_rule(member, measure, latest, new_target, expected):
    measure_type, unit, start, target = measure
    goal = GoalFactory(
        team=member.memberships.get().team,
        measure_type=measure_type,
        unit=unit,
        start_value=start,
        target_value=target,
    )
    CheckInFactory(goal=goal, author=member, value=Decimal(latest))
    new = goal_carry_over(
        goal=goal,
        actor=member,
        start_date=TODAY,
        due_date=TODAY + datetime.timedelta(days=30),
        target_value=new_target,
    )
    assert (new.start_value, new.target_value, new.unit) == expected


@pytest.mark.parametrize(
    ("measure_type", "unit", "value", "shown", "value_unit"),
    [
        (MeasureType.MILESTONE, "", Decimal(1), "reached", ""),
        (MeasureType.MILESTONE, "", Decimal(0), "not yet reached", ""),
        (MeasureType.PERCENTAGE, "%", Decimal("72.50"), "72.5%", "%"),
        (MeasureType.PERCENTAGE, "punten", Decimal(40), "40%", "%"),
        (MeasureType.NUMBER, "inwoners", Decimal(12), "12 inwoners", "inwoners"),
        (MeasureType.NUMBER, "", Decimal("6.50"), "6.5", ""),
    ],
)
def test_values_are_shown_by_the_same_rule(measure_type, unit, value, shown, value_unit):
    goal = Goal(measure_type=measure_type, unit=unit)
    with translation.override("en"):
        assert goal_value(value, goal) == shown
    assert goal.value_unit == value_unit
    assert goal.is_milestone is (measure_type == MeasureType.MILESTONE)

"""The goal page's chart and its table alternative: the same figures twice. The straight
line to the target is drawn, and listed, only where the life cycle gives it meaning
(`GoalProgress.shows_expected`: not for a planned or finished goal, nor a milestone)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.charts import LineChart, Series
from doelen.models import Goal
from doelen.selectors import GoalDetail

CENTS = Decimal("0.01")


@dataclass
class TableRow:
    day: datetime.date
    value: Decimal
    expected: Decimal | None  # on the straight line that day; None when no line is shown
    label: str  # "start", "target" or "" for an update
    confidence: str  # the update's confidence; "" for the start and the target


def expected_value(goal: Goal, on: datetime.date) -> Decimal:
    """The value on the straight line from start to target on `on`."""
    fraction = Decimal(str(goal.expected_progress(on)))
    return (goal.start_value + (goal.target_value - goal.start_value) * fraction).quantize(CENTS)


def goal_chart(detail: GoalDetail) -> LineChart:
    goal = detail.goal
    actual = [(goal.start_date, float(goal.start_value))] + [
        (timezone.localdate(check_in.created_at), float(check_in.value))
        for check_in in detail.chronological
    ]
    series = [Series(_("recorded progress"), actual, "chart-actual")]
    dates = {"start": date_format(goal.start_date), "due": date_format(goal.due_date)}
    if detail.progress.shows_expected:
        expected = [
            (goal.start_date, float(goal.start_value)),
            (goal.due_date, float(goal.target_value)),
        ]
        label = _("expected (straight line to the target)")
        series.insert(0, Series(label, expected, "chart-expected", False))
        description = _(
            "Recorded values against the straight line from the start value on %(start)s "
            "to the target on %(due)s. The table below shows the same figures."
        )
    else:
        description = _(
            "Recorded values from the start on %(start)s; the due date is %(due)s. "
            "The table below shows the same figures."
        )
    return LineChart(
        title=_("Progress of “%(title)s”") % {"title": goal.title},
        description=description % dates,
        series=series,
        value_unit=goal.value_unit,
        dom_id=f"goal-chart-{goal.pk}",
    )


def table_rows(detail: GoalDetail) -> list[TableRow]:
    """The chart's figures: the start, each update and the target, with the expected value
    on each date when the chart draws the straight line."""
    goal, line = detail.goal, detail.progress.shows_expected

    def row(day: datetime.date, value: Decimal, label: str = "", confidence: str = ""):
        expected = expected_value(goal, day) if line else None
        return TableRow(day, value, expected, label, confidence)

    rows = [row(goal.start_date, goal.start_value, label=_("start"))]
    for check_in in detail.chronological:
        day = timezone.localdate(check_in.created_at)
        rows.append(row(day, check_in.value, confidence=str(check_in.get_confidence_display())))
    rows.append(row(goal.due_date, goal.target_value, label=_("target")))
    return rows

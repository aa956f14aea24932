"""Goal queries shared by the pages, dashboards and reminders: staleness, the latest check-in
and progress computed by the database."""

import datetime
from typing import TYPE_CHECKING

from django.apps import apps
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest, Least

from doelen.choices import GoalPhase, GoalStatus
from doelen.lifecycle import end_of_day, phase_condition
from teams.models import UpdateRhythm

if TYPE_CHECKING:
    from doelen.models import Goal  # noqa: F401 (named in the QuerySet's type argument)


def _latest(field: str, until: datetime.datetime | None):
    """A field of a goal's latest check-in: from `Goal.last_check_in` (one join), or with
    `until` from its latest check-in before that moment (a past period on the dashboards,
    #17: what the goal looked like at the period's end)."""
    if until is None:
        return F(f"last_check_in__{field}")
    check_ins = apps.get_model("doelen", "CheckIn").objects.filter(
        goal=OuterRef("pk"), created_at__lt=until
    )
    return Subquery(check_ins.order_by("-created_at", "-pk").values(field)[:1])


class GoalQuerySet(models.QuerySet["Goal"]):
    def active(self):
        return self.filter(status=GoalStatus.ACTIVE)

    def planned(self, on: datetime.date):
        """Active goals that start after `on` (doelen.lifecycle)."""
        return self.filter(phase_condition(GoalPhase.PLANNED, on=on))

    def running(self, on: datetime.date):
        """Active goals between their start and due date on `on`."""
        return self.filter(phase_condition(GoalPhase.RUNNING, on=on))

    def overdue(self, on: datetime.date):
        """Active goals past their due date on `on`: for the cards and the signals."""
        return self.filter(phase_condition(GoalPhase.OVERDUE, on=on))

    def with_last_activity(self, *, until: datetime.datetime | None = None):
        """Annotate `last_activity_at`: the latest check-in, or the goal's creation if none.
        Reads the goal's `last_check_in` (kept by doelen.services), not the check-ins; with
        `until`, the latest check-in before that moment (`_latest`)."""
        return self.annotate(
            last_activity_at=Coalesce(_latest("created_at", until), F("created_at"))
        )

    @staticmethod
    def stale_condition(*, on: datetime.date, rhythms: int = 1) -> Q:
        """The rule of `stale()` as a condition, for counting stale goals in an aggregate.
        Needs the `last_activity_at` annotation (`with_last_activity()`). Same rule as
        `doelen.lifecycle.is_update_due`: a goal waits for an update only once it has run
        for a rhythm since its start date, so a planned goal is never stale."""
        end = end_of_day(on)
        overdue = Q()
        for rhythm in UpdateRhythm.values:
            window = datetime.timedelta(days=rhythm * rhythms)
            overdue |= Q(
                team__update_rhythm=rhythm,
                last_activity_at__lt=end - window,
                start_date__lte=on - window,
            )
        return Q(status=GoalStatus.ACTIVE) & overdue

    def stale(self, *, on: datetime.date, rhythms: int = 1):
        """Active goals, started at least a rhythm ago, with no check-in within `rhythms`
        times their team's update rhythm before the end of day `on`. One rule for the
        start page, dashboards and reminders."""
        return self.with_last_activity().filter(self.stale_condition(on=on, rhythms=rhythms))

    def with_latest_check_in(self, *, until: datetime.datetime | None = None):
        """Annotate each goal with its latest check-in's value, confidence and time (None
        without check-ins): one join on the goal's `last_check_in`; with `until`, the latest
        check-in before that moment (`_latest`)."""
        return self.annotate(
            latest_value=_latest("value", until),
            latest_confidence=_latest("confidence", until),
            latest_at=_latest("created_at", until),
        )

    def with_progress(self, *, on: datetime.date, until: datetime.datetime | None = None):
        """Annotate `progress` and `expected` (floats 0–1): `Goal.progress_for(latest value)`
        and `Goal.expected_progress(on)` computed by the database, so that dashboards can
        sum them per team or objective without loading every goal. Same rule as the methods
        (tests/doelen/test_last_check_in.py compares them). With `until`, the value of the
        latest check-in before that moment (`_latest`)."""
        start = F("start_value")
        value = Coalesce(_latest("value", until), start)
        fraction = Cast(value - start, models.FloatField()) / Cast(
            F("target_value") - start, models.FloatField()
        )
        total = _DaysBetween(F("due_date"), F("start_date"))
        elapsed = _DaysBetween(models.Value(on, models.DateField()), F("start_date"))
        return self.annotate(
            progress=_clamp(fraction),
            expected=models.Case(
                models.When(Q(due_date=F("start_date"), due_date__lte=on), then=models.Value(1.0)),
                models.When(due_date=F("start_date"), then=models.Value(0.0)),
                default=_clamp(elapsed / total),
                output_field=models.FloatField(),
            ),
        )


class _DaysBetween(models.Func):
    """Days from the second date to the first, as a float (PostgreSQL: date - date is an
    integer, so it is cast; SQLite: the difference of the Julian day numbers)."""

    arg_joiner = " - "
    template = "CAST((%(expressions)s) AS double precision)"
    output_field = models.FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def _clamp(expression):
    """The expression, kept between 0 and 1."""
    return Greatest(
        Least(expression, models.Value(1.0), output_field=models.FloatField()),
        models.Value(0.0),
        output_field=models.FloatField(),
    )

"""Periods the dashboards show: a quarter, a year or chosen dates, and their bounds in the
portal's time zone."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    """A stretch of days, both ends included: a quarter, a year or chosen dates."""

    kind: str  # "quarter", "year" or "custom"
    start: datetime.date
    end: datetime.date

    @classmethod
    def quarter(cls, day: datetime.date) -> "Period":
        first_month = (day.month - 1) // 3 * 3 + 1
        start = datetime.date(day.year, first_month, 1)
        next_start = (
            datetime.date(day.year + 1, 1, 1)
            if first_month == 10
            else datetime.date(day.year, first_month + 3, 1)
        )
        return cls("quarter", start, next_start - datetime.timedelta(days=1))

    @classmethod
    def year(cls, day: datetime.date) -> "Period":
        return cls("year", datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31))

    @classmethod
    def custom(cls, start: datetime.date, end: datetime.date) -> "Period":
        return cls("custom", start, end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same kind just before this one."""
        day_before = self.start - datetime.timedelta(days=1)
        if self.kind == "quarter":
            return Period.quarter(day_before)
        if self.kind == "year":
            return Period.year(day_before)
        return Period.custom(day_before - datetime.timedelta(days=self.days - 1), day_before)

    def next(self) -> "Period":
        day_after = self.end + datetime.timedelta(days=1)
        if self.kind == "quarter":
            return Period.quarter(day_after)
        if self.kind == "year":
            return Period.year(day_after)
        return Period.custom(day_after, day_after + datetime.timedelta(days=self.days - 1))

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return _("quarter %(quarter)d of %(year)d") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == "year":
            return str(self.start.year)
        return f"{date_format(self.start, 'j N Y')} – {date_format(self.end, 'j N Y')}"

    def as_query(self) -> dict[str, str]:
        """The query-string parameters that select this period."""
        if self.kind == "custom":
            return {
                "period": "custom",
                "start": self.start.isoformat(),
                "end": self.end.isoformat(),
            }
        return {"period": self.kind, "start": self.start.isoformat()}


def start_of_day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def period_bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) as aware datetimes in the portal's time zone."""
    return start_of_day(period.start), start_of_day(period.end + datetime.timedelta(days=1))


@dataclass(frozen=True)
class AsOf:
    """The day a period's figures are about (issue #17: "past periods show that period's data
    only"): today (`on`) for a period that has not ended, its last day for a past one. Then
    `until` is the end of that day: check-ins after it do not count (`GoalQuerySet`'s
    `until`), and role holders, members and stale goals are those of `day`."""

    day: datetime.date
    until: datetime.datetime | None  # None: the current period, every check-in counts

    @property
    def is_past(self) -> bool:
        return self.until is not None


def as_of(period: Period, on: datetime.date) -> AsOf:
    if period.end < on:
        return AsOf(day=period.end, until=period_bounds(period)[1])
    return AsOf(day=on, until=None)

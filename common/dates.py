"""Dates within reason: what a goal, a period or a scan round may be dated.

A date like 9999-12-31 is a typing error, and date arithmetic on it overflows (the
chart of such a goal failed with OverflowError). Forms and models refuse dates outside
EARLIEST–LATEST with a clear message; the goals table also has a check constraint.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)

MESSAGE = _("Choose a date between 1 January 2000 and 31 December 2100.")


def validate_reasonable_date(value: datetime.date) -> None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise ValidationError(MESSAGE, code="date_out_of_range")


def add_days(day: datetime.date, days: int) -> datetime.date:
    """`day` + `days`, held at date.min/date.max instead of overflowing."""
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return datetime.date.max if days > 0 else datetime.date.min

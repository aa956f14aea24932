"""Rows that hold from `since` up to and including `until` (empty: still running), such as
memberships (teams) and role assignments (rollen): which rows hold on a day, which overlap a
period, and the rule that a period does not end before it starts. Model-free: the models
that use it have the fields `since` and `until` (DateField, `until` null=True)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

END_BEFORE_START = _("The end date cannot be before the start date.")


def holds_on(on: datetime.date) -> Q:
    """The condition for rows that hold on day `on`."""
    return Q(since__lte=on) & (Q(until__isnull=True) | Q(until__gte=on))


def overlaps(since: datetime.date, until: datetime.date | None) -> Q:
    """The condition for rows that share at least one day with `since`–`until` (None: open)."""
    return Q(since__lte=until or datetime.date.max) & (Q(until__isnull=True) | Q(until__gte=since))


class DatedQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """The rows that hold on the given date (default today)."""
        return self.filter(holds_on(on or timezone.localdate()))

    def overlapping(self, since: datetime.date, until: datetime.date | None):
        """The rows that share at least one day with `since`–`until` (None: open)."""
        return self.filter(overlaps(since, until))


def dates_in_order(name: str) -> models.CheckConstraint:
    """The database's version of `check_dates_in_order`, for Meta.constraints."""
    return models.CheckConstraint(
        condition=Q(until__isnull=True) | Q(until__gte=F("since")),
        name=name,
        violation_error_message=END_BEFORE_START,
    )


def check_dates_in_order(since: datetime.date | None, until: datetime.date | None) -> None:
    """Raise a ValidationError on `until` if the period ends before it starts."""
    if since and until and until < since:
        raise ValidationError({"until": END_BEFORE_START})

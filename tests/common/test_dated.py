"""common.dated: which dated rows hold on a day, which overlap a period, and dates in order
(checked on memberships, which use it, as role assignments do)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from common.dated import check_dates_in_order
from teams.models import Membership
from tests.factories import EmployeeFactory, MembershipFactory, TeamFactory

D = datetime.date


@pytest.fixture
def rows(db):
    team = TeamFactory()
    closed = MembershipFactory(team=team, since=D(2026, 1, 1), until=D(2026, 3, 31))
    running = MembershipFactory(team=team, since=D(2026, 3, 1), until=None)
    return team, closed, running


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2025, 12, 31), set()),
        (D(2026, 1, 1), {"closed"}),  # the first day counts
        (D(2026, 3, 31), {"closed", "running"}),  # and so does the last
        (D(2026, 4, 1), {"running"}),
    ],
)
def test_current(rows, on, expected):
    team, closed, running = rows
    names = {closed.pk: "closed", running.pk: "running"}
    found = {names[pk] for pk in Membership.objects.current(on).values_list("pk", flat=True)}
    assert found == expected


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        (D(2025, 1, 1), D(2025, 12, 31), set()),
        (D(2025, 1, 1), D(2026, 1, 1), {"closed"}),
        (D(2026, 4, 1), None, {"running"}),
        (D(2026, 3, 15), D(2026, 3, 15), {"closed", "running"}),
        (D(2020, 1, 1), None, {"closed", "running"}),
    ],
)
def test_overlapping(rows, since, until, expected):
    team, closed, running = rows
    names = {closed.pk: "closed", running.pk: "running"}
    found = Membership.objects.overlapping(since, until).values_list("pk", flat=True)
    assert {names[pk] for pk in found} == expected


def test_check_dates_in_order():
    check_dates_in_order(D(2026, 1, 1), D(2026, 1, 1))
    check_dates_in_order(D(2026, 1, 1), None)
    with pytest.raises(ValidationError) as raised:
        check_dates_in_order(D(2026, 1, 2), D(2026, 1, 1))
    assert list(raised.value.message_dict) == ["until"]


@pytest.mark.django_db
def test_the_database_refuses_dates_out_of_order():
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            employee=EmployeeFactory(), team=TeamFactory(), since=D(2026, 2, 1), until=D(2026, 1, 1)
        )

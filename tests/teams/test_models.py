import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from teams.models import Employee, Membership, Team
from teams.services import membership_end, membership_start
from tests.factories import EmployeeFactory, MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_membership_end_before_start_is_refused_by_the_database():
    employee, team = EmployeeFactory(), TeamFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            employee=employee, team=team, since=D(2025, 5, 1), until=D(2025, 4, 1)
        )


def test_only_one_open_membership_per_team_in_the_database():
    membership = MembershipFactory(since=D(2024, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            employee=membership.employee, team=membership.team, since=D(2025, 1, 1)
        )


def test_an_employee_may_be_in_several_teams():
    employee = EmployeeFactory()
    membership_start(employee=employee, team=TeamFactory(), since=D(2025, 1, 1))
    membership_start(employee=employee, team=TeamFactory(), since=D(2025, 1, 1))
    assert employee.memberships.count() == 2


def test_overlapping_periods_in_the_same_team_are_refused():
    membership = MembershipFactory(since=D(2024, 1, 1), until=D(2024, 12, 31))
    with pytest.raises(ValidationError):
        membership_start(employee=membership.employee, team=membership.team, since=D(2024, 6, 1))
    # After the earlier period has ended, a new one may start.
    membership_start(employee=membership.employee, team=membership.team, since=D(2025, 1, 1))


def test_membership_end_cannot_end_twice_or_before_start():
    membership = MembershipFactory(since=D(2024, 1, 1))
    with pytest.raises(ValidationError):
        membership_end(membership=membership, until=D(2023, 1, 1))
    membership.refresh_from_db()
    assert membership.until is None
    membership_end(membership=membership, until=D(2024, 6, 30))
    with pytest.raises(ValidationError):
        membership_end(membership=membership, until=D(2024, 7, 30))


def test_current_memberships_follow_the_date():
    membership = MembershipFactory(since=D(2024, 1, 1), until=D(2024, 6, 30))
    assert membership in Membership.objects.current(D(2024, 6, 30))
    assert membership not in Membership.objects.current(D(2024, 7, 1))
    assert membership not in Membership.objects.current(D(2023, 12, 31))


def test_personnel_number_is_unique_when_given():
    EmployeeFactory(personnel_number="")
    EmployeeFactory(personnel_number="")  # blank numbers do not clash
    EmployeeFactory(personnel_number="P1")
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployeeFactory(personnel_number="P1")


def test_email_is_unique_ignoring_case():
    EmployeeFactory(email="a.b@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployeeFactory(email="A.B@Example.org")


def test_unknown_language_and_municipality_are_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployeeFactory(preferred_language="de")
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.create(name="X", slug="x", municipality="vught")
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.create(name="Y", slug="y", update_rhythm=3)


def test_employee_names():
    employee = Employee(username="jdv", name="Jan de Vries")
    assert str(employee) == "Jan de Vries"
    assert employee.get_short_name() == "Jan"
    assert Employee(username="x").get_full_name() == "x"


def test_hr_and_management_follow_groups(hr, management, outsider, superuser):
    assert hr.is_hr and not hr.is_management
    assert management.is_management and not management.is_hr
    assert not outsider.is_hr and not outsider.is_management
    assert superuser.is_hr and superuser.is_management

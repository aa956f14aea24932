import datetime

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.utils import translation

from rollen.models import Role, RoleAssignment
from rollen.services import role_assign, role_end, team_leave
from tests.factories import EmployeeFactory, MembershipFactory, RoleAssignmentFactory, role

pytestmark = pytest.mark.django_db

D = datetime.date


def test_the_data_migration_creates_exactly_the_four_roles():
    assert list(Role.objects.values_list("slug", "name_nl")) == [
        ("ondernemer", "vernieuwende maatschappelijk ondernemer"),
        ("samenwerkingspartner", "verbindende samenwerkingspartner"),
        ("vakman", "meedenkende vakman"),
        ("facilitator", "stimulerende facilitator/organisator"),
    ]
    assert all(r.description_nl and r.description_en for r in Role.objects.all())


def test_role_name_follows_the_language():
    vakman = role("vakman")
    with translation.override("nl"):
        assert vakman.name == "meedenkende vakman"
    with translation.override("en"):
        assert vakman.name == "thinking-along professional"


def test_a_fifth_role_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(slug="manager", name_nl="manager", name_en="manager")


def test_an_assigned_role_cannot_be_deleted():
    assignment = RoleAssignmentFactory()
    with pytest.raises(ProtectedError):
        assignment.role.delete()
    request = RequestFactory().get("/")
    request.user = EmployeeFactory(is_superuser=True, is_staff=True)
    role_admin = site._registry[Role]
    assert not role_admin.has_delete_permission(request, assignment.role)
    assert not role_admin.has_add_permission(request)
    assert role_admin.has_delete_permission(request, role("facilitator")) is True


def test_one_employee_can_hold_several_roles():
    membership = MembershipFactory(since=D(2024, 1, 1))
    for slug in ("vakman", "facilitator"):
        role_assign(
            employee=membership.employee, team=membership.team, role=role(slug), since=D(2024, 2, 1)
        )
    assert RoleAssignment.objects.filter(employee=membership.employee).count() == 2


def test_a_role_is_held_only_while_a_member():
    membership = MembershipFactory(since=D(2024, 1, 1), until=D(2024, 12, 31))
    employee, team = membership.employee, membership.team
    with pytest.raises(ValidationError, match="lid is van dat team"):
        role_assign(employee=employee, team=team, role=role("vakman"), since=D(2023, 6, 1))
    with pytest.raises(ValidationError, match="lid is van dat team"):
        # Open-ended, but the membership ends.
        role_assign(employee=employee, team=team, role=role("vakman"), since=D(2024, 6, 1))
    outsider = EmployeeFactory()
    with pytest.raises(ValidationError, match="lid is van dat team"):
        role_assign(employee=outsider, team=team, role=role("vakman"), since=D(2024, 6, 1))
    assert not RoleAssignment.objects.exists()


def test_no_two_open_assignments_of_the_same_role_in_the_database():
    assignment = RoleAssignmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            employee=assignment.employee,
            team=assignment.team,
            role=assignment.role,
            since=D(2025, 1, 1),
        )


def test_assignment_dates_in_order_in_the_database():
    assignment = RoleAssignmentFactory(since=D(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.filter(pk=assignment.pk).update(until=D(2024, 1, 1))


def test_ending_and_leaving():
    membership = MembershipFactory(since=D(2024, 1, 1))
    first = role_assign(
        employee=membership.employee, team=membership.team, role=role("vakman"), since=D(2024, 1, 1)
    )
    role_end(assignment=first, until=D(2024, 3, 31))
    with pytest.raises(ValidationError):
        role_end(assignment=first, until=D(2024, 4, 30))
    second = role_assign(
        employee=membership.employee, team=membership.team, role=role("vakman"), since=D(2024, 4, 1)
    )
    team_leave(membership=membership, until=D(2024, 12, 31))
    second.refresh_from_db()
    membership.refresh_from_db()
    assert second.until == D(2024, 12, 31) and membership.until == D(2024, 12, 31)
    assert RoleAssignment.objects.current(D(2024, 5, 1)).get() == second
    assert not RoleAssignment.objects.current(D(2025, 1, 1)).exists()


def test_leaving_before_a_role_starts_changes_nothing():
    membership = MembershipFactory(since=D(2024, 1, 1))
    assignment = role_assign(
        employee=membership.employee, team=membership.team, role=role("vakman"), since=D(2024, 6, 1)
    )
    with pytest.raises(ValidationError):
        team_leave(membership=membership, until=D(2024, 3, 1))
    assignment.refresh_from_db()
    membership.refresh_from_db()
    assert assignment.until is None and membership.until is None

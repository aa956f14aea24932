"""teams.services writes people: created, changed and deactivated, each audited with the
fields that changed, before -> after."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from teams.services import employee_create, employee_deactivate, employee_update
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_create_without_a_password_cannot_log_in_with_one(hr):
    person = employee_create(
        username="p7", name=" Piet Zeven ", email="piet@example.org", personnel_number="P7",
        actor=hr,
    )  # fmt: skip
    assert person.name == "Piet Zeven" and not person.has_usable_password()
    event = AuditEvent.objects.get(action="employee.create")
    assert event.actor == hr
    assert event.changes["personnel_number"] == [None, "P7"]


def test_create_checks_the_rules(member):
    with pytest.raises(ValidationError):
        employee_create(username="dubbel", name="Dubbel", email=member.email.upper())
    assert not AuditEvent.objects.exists()


def test_update_records_only_what_changed_and_groups_by_name(hr):
    from django.contrib.auth.models import Group

    person = EmployeeFactory(name="Ans", email="ans@example.org")
    hr_group = Group.objects.get(name="hr")
    changes = {"name": "Ans", "email": "ans@gemeente.nl", "groups": [hr_group]}
    employee_update(employee=person, changes=changes, actor=hr)
    event = AuditEvent.objects.get(action="employee.update")
    assert event.changes == {
        "email": ["ans@example.org", "ans@gemeente.nl"],
        "groups": [[], ["hr"]],
    }
    employee_update(employee=person, changes={"name": "Ans"}, actor=hr)
    assert AuditEvent.objects.filter(action="employee.update").count() == 1


def test_update_refuses_what_is_not_its_job(member):
    with pytest.raises(ValueError):
        employee_update(employee=member, changes={"is_active": False})
    with pytest.raises(ValueError):
        employee_update(employee=member, changes={"password": "x"})


def test_deactivate_is_audited_with_the_date(member, hr):
    employee_deactivate(employee=member, on=datetime.date(2026, 1, 31), actor=hr)
    event = AuditEvent.objects.get(action="employee.deactivate")
    assert event.changes == {"is_active": [True, False]}
    assert event.details["memberships_end_on"] == "2026-01-31"
    assert AuditEvent.objects.filter(action="membership.end", actor=hr).count() == 1

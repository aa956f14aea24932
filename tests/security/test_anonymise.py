"""Anonymising a departed employee: personal details gone, team history kept."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.models import AuditEvent
from rollen.models import RoleAssignment
from teams.models import HR_GROUP, Employee, Membership
from teams.services import employee_anonymise
from tests.factories import CheckInFactory, GoalFactory, RoleAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def departed(team, member):
    """The member, with a role, a goal, a check-in and HR rights, who has left."""
    RoleAssignmentFactory(employee=member, team=team, since=member.memberships.get().since)
    goal = GoalFactory(team=team, owner=member)
    CheckInFactory(goal=goal, author=member, comment="Goed bezig")
    member.personnel_number = "P123456"
    member.groups.add(Group.objects.get(name=HR_GROUP))
    team.managers.add(member)
    member.is_active = False
    member.save()
    return member


def test_details_are_replaced_and_history_kept(departed, team, superuser):
    assert employee_anonymise(employee=departed, actor=superuser) is True
    person = Employee.objects.get(pk=departed.pk)
    token = f"Oud-medewerker {person.pk}"
    assert (person.name, person.username, person.email, person.personnel_number) == (
        token,
        f"oud-medewerker-{person.pk}",
        "",
        "",
    )
    assert not person.has_usable_password() and not person.is_active
    assert not person.groups.exists() and not person.is_staff and not person.is_superuser
    assert not team.managers.filter(pk=person.pk).exists()
    # The team's history keeps its meaning, under the token.
    assert Membership.objects.filter(employee=person).count() == 1
    assert RoleAssignment.objects.filter(employee=person).count() == 1
    assert person.check_ins.count() == 1 and person.owned_goals.count() == 1
    event = AuditEvent.objects.get(action="employee.anonymise")
    assert (event.actor, event.object_id, event.object_repr) == (superuser, str(person.pk), token)
    assert "Mila" not in str(event.details)


def test_team_page_shows_the_token(departed, team, client_for, manager):
    employee_anonymise(employee=departed)
    html = client_for(manager).get(team.get_absolute_url()).content.decode()
    assert f"Oud-medewerker {departed.pk}" in html and "Mila Lid" not in html


def test_idempotent(departed):
    assert employee_anonymise(employee=departed) is True
    assert employee_anonymise(employee=departed) is False
    assert AuditEvent.objects.filter(action="employee.anonymise").count() == 1


def test_active_employee_is_refused_unless_forced_by_a_superuser(member, hr, superuser):
    with pytest.raises(ValidationError):
        employee_anonymise(employee=member, actor=superuser)
    with pytest.raises(PermissionDenied):
        employee_anonymise(employee=member, actor=hr, force=True)
    member.refresh_from_db()
    assert member.name == "Mila Lid" and member.is_active
    assert not AuditEvent.objects.filter(action="employee.anonymise").exists()
    assert employee_anonymise(employee=member, actor=superuser, force=True) is True
    member.refresh_from_db()
    assert not member.is_active
    assert AuditEvent.objects.get(action="employee.anonymise").details["forced"] is True


def test_anonymised_employee_cannot_log_in(departed, client):
    employee_anonymise(employee=departed)
    for username in ("member", f"oud-medewerker-{departed.pk}"):
        response = client.post(reverse("login"), {"username": username, "password": "demo"})
        assert response.status_code == 200  # the form again, with an error


def test_command(departed, member):
    out = StringIO()
    call_command("anonymise_employee", "member", stdout=out)
    assert f"Oud-medewerker {departed.pk}" in out.getvalue()
    with pytest.raises(CommandError, match="No employee"):
        call_command("anonymise_employee", "member")


def test_command_refuses_an_active_employee_without_force(other_member):
    with pytest.raises(CommandError, match="still active|nog actief"):
        call_command("anonymise_employee", "other")
    call_command("anonymise_employee", "other", "--force", stdout=StringIO())
    other_member.refresh_from_db()
    assert other_member.username == f"oud-medewerker-{other_member.pk}"


def test_admin_action(departed, other_member, client_for, superuser):
    client = client_for(superuser)
    response = client.post(
        reverse("admin:teams_employee_changelist"),
        {
            "action": "anonymise_employees",
            "_selected_action": [departed.pk, other_member.pk],
        },
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Olaf Ander" in html  # refused: still active, named in the message
    departed.refresh_from_db()
    other_member.refresh_from_db()
    assert departed.name.startswith("Oud-medewerker") and other_member.name == "Olaf Ander"

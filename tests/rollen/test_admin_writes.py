"""The admin assigns and ends roles through rollen.services: only while a member, errors on
the form, audited with actor and before/after; assignments are ended, never deleted."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from rollen.models import RoleAssignment
from tests.admin_forms import form_errors, post_admin_form
from tests.factories import EmployeeFactory, MembershipFactory, RoleAssignmentFactory, role

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def ria(team):
    person = EmployeeFactory(name="Ria Rol")
    MembershipFactory(employee=person, team=team, since=D(2024, 1, 1))
    return person


def add_url():
    return reverse("admin:rollen_roleassignment_add")


def change_url(assignment):
    return reverse("admin:rollen_roleassignment_change", args=[assignment.pk])


def test_assigning_a_role_in_the_admin_is_audited(admin_client, superuser, team, ria):
    vakman = role("vakman")
    response = post_admin_form(
        admin_client, add_url(), employee=ria.pk, team=team.pk, role=vakman.pk, since="2025-01-01"
    )
    assert response.status_code == 302, form_errors(response)
    assignment = RoleAssignment.objects.get(employee=ria)
    event = AuditEvent.objects.get(action="role.assign")
    assert event.actor == superuser and event.object_id == str(assignment.pk)
    assert event.changes == {"since": [None, "2025-01-01"]}


def test_a_role_outside_a_membership_is_a_form_error(admin_client, team, other_team, ria):
    response = post_admin_form(
        admin_client,
        add_url(),
        employee=ria.pk,
        team=other_team.pk,
        role=role("vakman").pk,
        since="2025-01-01",
    )
    assert response.status_code == 200
    assert any("zolang hij of zij lid is" in error for error in form_errors(response))
    assert not RoleAssignment.objects.exists()
    assert not AuditEvent.objects.exists()


def test_ending_a_role_in_the_admin_is_audited_and_then_read_only(
    admin_client, superuser, team, ria
):
    assignment = RoleAssignmentFactory(employee=ria, team=team, since=D(2024, 1, 1))
    response = post_admin_form(admin_client, change_url(assignment), until="2025-06-30")
    assert response.status_code == 302, form_errors(response)
    assignment.refresh_from_db()
    assert assignment.until == D(2025, 6, 30)
    event = AuditEvent.objects.get(action="role.end")
    assert event.actor == superuser
    assert event.changes == {"until": [None, "2025-06-30"]}
    page = admin_client.get(change_url(assignment))
    assert not page.context["adminform"].form.fields  # history: nothing left to change


def test_an_end_before_the_start_is_a_form_error(admin_client, team, ria):
    assignment = RoleAssignmentFactory(employee=ria, team=team, since=D(2024, 1, 1))
    response = post_admin_form(admin_client, change_url(assignment), until="2023-06-30")
    assert response.status_code == 200 and form_errors(response)
    assignment.refresh_from_db()
    assert assignment.until is None
    assert not AuditEvent.objects.exists()


def test_the_end_action_and_no_deleting(admin_client, team, ria):
    assignment = RoleAssignmentFactory(employee=ria, team=team, since=D(2024, 1, 1))
    delete = reverse("admin:rollen_roleassignment_delete", args=[assignment.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    response = admin_client.post(
        reverse("admin:rollen_roleassignment_changelist"),
        {"action": "end_today", "_selected_action": [assignment.pk]},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.until is not None
    assert AuditEvent.objects.filter(action="role.end").count() == 1

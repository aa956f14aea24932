"""The admin writes memberships and people through teams.services: the same rules as the
pages, errors on the form, every change audited with actor and before/after."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from rollen.models import RoleAssignment
from teams.models import Employee, Membership
from tests.admin_forms import form_errors, post_admin_form
from tests.factories import EmployeeFactory, MembershipFactory, RoleAssignmentFactory, role

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)
D = datetime.date


@pytest.fixture(autouse=True)
def on_today():
    with time_machine.travel(datetime.datetime(2026, 11, 28, 12, 0), tick=False):
        yield


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def ria(team):
    """Ria is a member of the team since 2024 and carries two roles there."""
    person = EmployeeFactory(name="Ria Rol", personnel_number="P42")
    MembershipFactory(employee=person, team=team, since=D(2024, 1, 1))
    RoleAssignmentFactory(employee=person, team=team, role=role("vakman"), since=D(2024, 1, 1))
    RoleAssignmentFactory(employee=person, team=team, role=role("facilitator"), since=D(2025, 1, 1))
    return person


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_ending_a_membership_in_the_admin_ends_its_roles_on_the_same_date(
    admin_client, superuser, team, ria, hr
):
    membership = Membership.objects.get(employee=ria)
    response = post_admin_form(admin_client, change_url(membership), until="2026-11-30")
    assert response.status_code == 302, form_errors(response)
    membership.refresh_from_db()
    assert membership.until == D(2026, 11, 30)
    assert set(RoleAssignment.objects.filter(employee=ria).values_list("until", flat=True)) == {
        D(2026, 11, 30)
    }
    ended = AuditEvent.objects.get(action="membership.end")
    assert ended.actor == superuser
    assert ended.object_id == str(membership.pk)
    assert ended.changes == {"until": [None, "2026-11-30"]}
    role_events = AuditEvent.objects.filter(action="role.end")
    assert role_events.count() == 2
    assert {event.actor for event in role_events} == {superuser}
    assert all(e.changes == {"until": [None, "2026-11-30"]} for e in role_events)
    # The role overview shows Ria up to and including the last day, not after it.
    admin_client.force_login(hr)
    matrix = reverse("rollen:team", kwargs={"slug": team.slug})
    assert "Ria Rol" in admin_client.get(matrix, {"peildatum": "2026-11-30"}).text
    assert "Ria Rol" not in admin_client.get(matrix, {"peildatum": "2026-12-01"}).text


def test_a_membership_end_the_rules_refuse_is_a_form_error_and_changes_nothing(
    admin_client, team, ria
):
    membership = Membership.objects.get(employee=ria)
    # The facilitator role starts on 2025-01-01: the membership cannot end before it.
    response = post_admin_form(admin_client, change_url(membership), until="2024-06-30")
    assert response.status_code == 200
    assert any("begint na die datum" in error for error in form_errors(response))
    membership.refresh_from_db()
    assert membership.until is None
    assert not RoleAssignment.objects.filter(until__isnull=False).exists()
    assert not AuditEvent.objects.exists()
    # An end before the start is the model's own rule, shown the same way.
    response = post_admin_form(admin_client, change_url(membership), until="2023-12-31")
    assert response.status_code == 200 and form_errors(response)


def test_an_ended_membership_is_read_only_and_deleting_is_not_offered(admin_client, team, ria):
    membership = Membership.objects.get(employee=ria)
    post_admin_form(admin_client, change_url(membership), until="2026-11-30")
    page = admin_client.get(change_url(membership))
    assert not [name for name in page.context["adminform"].form.fields if name != "until"]
    assert "until" not in page.context["adminform"].form.fields
    delete = reverse("admin:teams_membership_delete", args=[membership.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_adding_a_membership_in_the_admin_is_audited(admin_client, superuser, other_team, ria):
    url = reverse("admin:teams_membership_add")
    response = post_admin_form(
        admin_client, url, employee=ria.pk, team=other_team.pk, since="2026-12-01"
    )
    assert response.status_code == 302, form_errors(response)
    membership = Membership.objects.get(employee=ria, team=other_team)
    event = AuditEvent.objects.get(action="membership.start")
    assert event.actor == superuser and event.object_id == str(membership.pk)
    # The same person in the same team twice: the rule shows on the form.
    response = post_admin_form(
        admin_client, url, employee=ria.pk, team=other_team.pk, since="2027-01-01"
    )
    assert response.status_code == 200 and form_errors(response)
    assert Membership.objects.filter(employee=ria, team=other_team).count() == 1


def test_the_end_action_ends_memberships_and_their_roles_today(admin_client, team, ria):
    membership = Membership.objects.get(employee=ria)
    response = admin_client.post(
        reverse("admin:teams_membership_changelist"),
        {"action": "end_today", "_selected_action": [membership.pk]},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.until == TODAY
    assert not RoleAssignment.objects.filter(employee=ria, until__isnull=True).exists()
    assert AuditEvent.objects.filter(action="role.end").count() == 2


def test_the_team_page_shows_its_memberships_read_only(admin_client, team, ria):
    page = admin_client.get(change_url(team))
    (inline,) = page.context["inline_admin_formsets"]
    assert not inline.has_add_permission and not inline.has_change_permission
    assert not inline.has_delete_permission


def test_changing_a_person_in_the_admin_is_audited_per_field(admin_client, superuser, ria):
    response = post_admin_form(
        admin_client, change_url(ria), name="Ria de Rol", email="ria@gemeente.nl"
    )
    assert response.status_code == 302, form_errors(response)
    event = AuditEvent.objects.get(action="employee.update")
    assert event.actor == superuser
    assert event.object_id == str(ria.pk)
    assert event.changes == {
        "email": [ria.email, "ria@gemeente.nl"],
        "name": ["Ria Rol", "Ria de Rol"],
    }
    # Saving without a change records nothing.
    post_admin_form(admin_client, change_url(ria))
    assert AuditEvent.objects.filter(action="employee.update").count() == 1


def test_a_taken_email_address_is_a_form_error(admin_client, ria, outsider):
    response = post_admin_form(admin_client, change_url(ria), email=outsider.email.upper())
    assert response.status_code == 200 and form_errors(response)
    assert not AuditEvent.objects.exists()


def test_deactivating_a_person_in_the_admin_ends_memberships_on_the_chosen_date(
    admin_client, superuser, team, ria
):
    response = post_admin_form(
        admin_client, change_url(ria), is_active=None, memberships_end_on="2026-12-31"
    )
    assert response.status_code == 302, form_errors(response)
    ria.refresh_from_db()
    assert not ria.is_active
    assert Membership.objects.get(employee=ria).until == D(2026, 12, 31)
    assert set(RoleAssignment.objects.filter(employee=ria).values_list("until", flat=True)) == {
        D(2026, 12, 31)
    }
    event = AuditEvent.objects.get(action="employee.deactivate")
    assert event.actor == superuser
    assert event.changes == {"is_active": [True, False]}
    assert event.details["memberships_end_on"] == "2026-12-31"


def test_the_deactivate_action_ends_memberships_today(admin_client, team, ria):
    response = admin_client.post(
        reverse("admin:teams_employee_changelist"),
        {"action": "deactivate_employees", "_selected_action": [ria.pk]},
    )
    assert response.status_code == 302
    assert Membership.objects.get(employee=ria).until == TODAY
    assert not RoleAssignment.objects.filter(employee=ria, until__isnull=True).exists()


def test_adding_a_person_in_the_admin_is_audited(admin_client, superuser):
    response = post_admin_form(
        admin_client,
        reverse("admin:teams_employee_add"),
        username="nina",
        name="Nina Nieuw",
        email="nina@example.org",
        password1="een-lang-wachtwoord-42",
        password2="een-lang-wachtwoord-42",
    )
    assert response.status_code == 302, form_errors(response)
    nina = Employee.objects.get(username="nina")
    assert nina.check_password("een-lang-wachtwoord-42")
    event = AuditEvent.objects.get(action="employee.create")
    assert event.actor == superuser and event.object_id == str(nina.pk)
    assert event.changes["name"] == [None, "Nina Nieuw"]
    assert "password" not in event.changes


def test_people_are_not_deleted_in_the_admin(admin_client, ria):
    delete = reverse("admin:teams_employee_delete", args=[ria.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Employee.objects.filter(pk=ria.pk).exists()

"""The admin changes goals through doelen.services: the owner must be a current member of
the goal's team, errors show on the form, every change is audited with before and after."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from doelen.models import Goal, GoalStatus
from tests.admin_forms import form_errors, post_admin_form
from tests.factories import CheckInFactory, GoalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def change_url(goal):
    return reverse("admin:doelen_goal_change", args=[goal.pk])


def test_an_owner_who_is_not_a_member_is_a_form_error_and_nothing_changes(
    admin_client, team, outsider, other_member
):
    goal = GoalFactory(team=team)
    for stranger in (outsider, other_member):  # nobody's member, or another team's
        response = post_admin_form(admin_client, change_url(goal), owner=stranger.pk)
        assert response.status_code == 200
        assert "De eigenaar moet lid zijn van het team." in form_errors(response)
    goal.refresh_from_db()
    assert goal.owner is None and goal.version == 1
    assert not AuditEvent.objects.exists()


def test_changing_the_owner_to_a_member_is_audited_with_before_and_after(
    admin_client, superuser, team, member
):
    goal = GoalFactory(team=team, title="Sneller vergunnen")
    response = post_admin_form(
        admin_client, change_url(goal), owner=member.pk, title="Nog sneller vergunnen"
    )
    assert response.status_code == 302, form_errors(response)
    goal.refresh_from_db()
    assert goal.owner == member and goal.version == 2
    event = AuditEvent.objects.get(action="goal.update")
    assert event.actor == superuser and event.object_id == str(goal.pk)
    assert event.changes == {
        "owner": [None, str(member)],
        "title": ["Sneller vergunnen", "Nog sneller vergunnen"],
    }


def test_a_status_change_needs_a_reason_and_is_audited(admin_client, superuser, team):
    goal = GoalFactory(team=team)
    response = post_admin_form(admin_client, change_url(goal), status=GoalStatus.STOPPED)
    assert response.status_code == 200 and form_errors(response)  # no reason
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE
    response = post_admin_form(
        admin_client, change_url(goal), status=GoalStatus.STOPPED, status_reason="Geen budget"
    )
    assert response.status_code == 302, form_errors(response)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.STOPPED
    event = AuditEvent.objects.get(action="goal.status")
    assert event.actor == superuser
    assert event.changes["status"] == [GoalStatus.ACTIVE, GoalStatus.STOPPED]


def test_the_measure_of_a_goal_with_progress_stays(admin_client, team, member):
    goal = GoalFactory(team=team)
    CheckInFactory(goal=goal, author=member)
    response = post_admin_form(admin_client, change_url(goal), measure_type="number")
    assert response.status_code == 200 and form_errors(response)
    goal.refresh_from_db()
    assert goal.measure_type == "percentage"


def test_adding_a_goal_in_the_admin_is_audited_and_checks_the_owner(
    admin_client, superuser, team, member, outsider
):
    url = reverse("admin:doelen_goal_add")
    fields = {
        "team": team.pk,
        "title": "Minder wachttijd",
        "measure_type": "percentage",
        "start_value": "0",
        "target_value": "100",
        "start_date": "2026-01-01",
        "due_date": "2026-12-31",
    }
    response = post_admin_form(admin_client, url, owner=outsider.pk, **fields)
    assert response.status_code == 200
    assert "De eigenaar moet lid zijn van het team." in form_errors(response)
    assert not Goal.objects.exists()
    response = post_admin_form(admin_client, url, owner=member.pk, **fields)
    assert response.status_code == 302, form_errors(response)
    goal = Goal.objects.get()
    assert goal.created_by == superuser and goal.owner == member
    event = AuditEvent.objects.get(action="goal.create")
    assert event.actor == superuser and event.object_id == str(goal.pk)


def test_goals_are_not_deleted_in_the_admin(admin_client, team):
    goal = GoalFactory(team=team)
    delete = reverse("admin:doelen_goal_delete", args=[goal.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Goal.objects.filter(pk=goal.pk).exists()

"""The HR import writes people through teams.services: one audit event per person, with the
fields that changed, before -> after; a membership it ends takes the roles with it."""

import datetime

import pytest

from audit.models import AuditEvent
from rollen.models import RoleAssignment
from teams.models import Employee, Membership
from tests.factories import EmployeeFactory, MembershipFactory, RoleAssignmentFactory, role
from tests.rollen.hr_data import TODAY, on_today  # noqa: F401
from tests.rollen.test_imports import GOOD, apply

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]

YESTERDAY = TODAY - datetime.timedelta(days=1)
HEADER = "personeelsnummer;naam;e-mail;team;rollen;sinds\n"


def person_events(action):
    return AuditEvent.objects.filter(action=action, object_type="teams.employee")


def test_each_created_person_is_one_event_with_their_details(team, other_team, hr):
    apply(GOOD, actor=hr)
    events = person_events("employee.create")
    assert events.count() == 2  # Eva is on two lines: still one person, one event
    dana = Employee.objects.get(personnel_number="P200")
    event = events.get(object_id=str(dana.pk))
    assert event.actor == hr
    assert event.changes["name"] == [None, "Dana Dekker"]
    assert event.changes["email"] == [None, "dana@example.org"]
    assert event.changes["personnel_number"] == [None, "P200"]
    assert AuditEvent.objects.filter(action="import").count() == 1  # the summary stays


def test_an_updated_person_is_one_event_with_only_the_changed_fields(team, other_team, hr):
    apply(GOOD)
    dana = Employee.objects.get(personnel_number="P200")
    dana.is_active = False
    dana.save()
    changed = GOOD.replace("Dana Dekker;dana@example.org", "Dana de Dekker;dana@gemeente.nl")
    apply(changed, actor=hr)
    event = person_events("employee.update").get()
    assert event.object_id == str(dana.pk)
    assert event.actor == hr
    assert event.changes == {
        "email": ["dana@example.org", "dana@gemeente.nl"],
        "is_active": [False, True],
        "name": ["Dana Dekker", "Dana de Dekker"],
    }
    apply(changed, actor=hr)  # the same file again: no new event
    assert person_events("employee.update").count() == 1


def test_a_deactivated_person_is_one_event_and_their_roles_end(team, other_team, hr):
    gone = EmployeeFactory(name="Olga Oud", personnel_number="P999")
    MembershipFactory(employee=gone, team=team, since=datetime.date(2020, 1, 1))
    RoleAssignmentFactory(employee=gone, team=team, since=datetime.date(2020, 1, 1))
    apply(GOOD, deactivate_missing=True, actor=hr)
    event = person_events("employee.deactivate").get()
    assert event.object_id == str(gone.pk) and event.actor == hr
    assert event.changes == {"is_active": [True, False]}
    assert event.details["memberships_end_on"] == YESTERDAY.isoformat()
    ended = AuditEvent.objects.get(action="role.end")
    assert ended.changes == {"until": [None, YESTERDAY.isoformat()]}
    assert RoleAssignment.objects.get(employee=gone).until == YESTERDAY


def test_a_team_left_in_the_file_ends_the_roles_there(team, other_team, hr):
    apply(GOOD)
    eva = Employee.objects.get(personnel_number="P201")
    RoleAssignmentFactory(employee=eva, team=team, role=role("ondernemer"), since=TODAY)
    without_vergunningen = GOOD.replace(
        "P201;Eva Elders;eva@example.org;vergunningen;;2025-01-15\n", ""
    )
    # Eva's role in Vergunningen started today, after the membership's last day (yesterday):
    # the import refuses to end it silently.
    from rollen.imports import ImportFileError

    with pytest.raises(ImportFileError, match="begint na die datum"):
        apply(without_vergunningen, actor=hr)
    RoleAssignment.objects.filter(employee=eva, team=team).update(since=datetime.date(2025, 2, 1))
    apply(without_vergunningen, actor=hr)
    assert Membership.objects.get(employee=eva, team=team).until == YESTERDAY
    assert RoleAssignment.objects.get(employee=eva, team=team).until == YESTERDAY
    assert AuditEvent.objects.filter(action="role.end", actor=hr).count() == 1

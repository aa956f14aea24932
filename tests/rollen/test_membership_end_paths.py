"""Ending a membership anywhere ends the person's roles in that team on the same date:
teams.services.membership_end sends teams.signals.membership_ended, rollen ends the roles
(audited). The admin paths are in tests/teams/test_admin_writes.py, the import's in
tests/rollen/test_imports_audit.py."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from audit.models import AuditEvent
from rollen.models import RoleAssignment
from rollen.services import team_leave
from teams.models import Membership
from teams.services import employee_deactivate, membership_end
from tests.factories import EmployeeFactory, MembershipFactory, RoleAssignmentFactory, role

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def ria(team, other_team):
    """In both teams since 2024: vakman and facilitator in team, ondernemer in other_team."""
    person = EmployeeFactory(name="Ria Rol", personnel_number="P42", email="ria@example.org")
    for t in (team, other_team):
        MembershipFactory(employee=person, team=t, since=D(2024, 1, 1))
    RoleAssignmentFactory(employee=person, team=team, role=role("vakman"), since=D(2024, 1, 1))
    RoleAssignmentFactory(
        employee=person,
        team=team,
        role=role("facilitator"),
        since=D(2024, 6, 1),
        until=D(2027, 12, 31),  # was to end later than the membership now does
    )
    RoleAssignmentFactory(
        employee=person, team=other_team, role=role("ondernemer"), since=D(2024, 1, 1)
    )
    return person


def roles_until(person, team):
    return set(
        RoleAssignment.objects.filter(employee=person, team=team).values_list("until", flat=True)
    )


def test_membership_end_ends_the_roles_in_that_team_only(ria, team, other_team, hr):
    membership_end(
        membership=Membership.objects.get(employee=ria, team=team), until=D(2026, 6, 30), actor=hr
    )
    assert roles_until(ria, team) == {D(2026, 6, 30)}
    assert roles_until(ria, other_team) == {None}
    events = AuditEvent.objects.filter(action="role.end").order_by("pk")
    assert [e.changes["until"] for e in events] == [
        [None, "2026-06-30"],
        ["2027-12-31", "2026-06-30"],
    ]
    assert {e.actor for e in events} == {hr}


def test_a_role_that_starts_later_refuses_the_end_and_nothing_changes(ria, team):
    membership = Membership.objects.get(employee=ria, team=team)
    with pytest.raises(ValidationError):
        membership_end(membership=membership, until=D(2024, 3, 31))
    membership.refresh_from_db()
    assert membership.until is None
    assert roles_until(ria, team) == {None, D(2027, 12, 31)}
    assert not AuditEvent.objects.exists()


def test_team_leave_is_the_same_door(ria, team):
    team_leave(membership=Membership.objects.get(employee=ria, team=team), until=D(2026, 6, 30))
    assert roles_until(ria, team) == {D(2026, 6, 30)}


def test_deactivating_a_person_ends_every_membership_and_role_on_the_chosen_date(
    ria, team, other_team, hr
):
    employee_deactivate(employee=ria, on=D(2026, 9, 30), actor=hr)
    ria.refresh_from_db()
    assert not ria.is_active
    assert set(Membership.objects.filter(employee=ria).values_list("until", flat=True)) == {
        D(2026, 9, 30)
    }
    assert roles_until(ria, team) == roles_until(ria, other_team) == {D(2026, 9, 30)}
    with pytest.raises(ValidationError):  # once
        employee_deactivate(employee=ria, on=D(2026, 10, 1))


def test_the_import_command_ends_roles_in_a_team_it_no_longer_lists(
    ria, team, other_team, tmp_path: Path
):
    path = tmp_path / "hr.csv"
    path.write_text(
        "personeelsnummer;naam;e-mail;team;rollen;sinds\n"
        "P42;Ria Rol;ria@example.org;Burgerzaken;ondernemer;2024-01-01\n",
        encoding="utf-8",
    )
    call_command("import_people", str(path), stdout=io.StringIO())
    membership = Membership.objects.get(employee=ria, team=team)
    assert membership.until is not None
    assert roles_until(ria, team) == {membership.until}
    assert roles_until(ria, other_team) == {None}


def test_teams_imports_no_other_app():
    import ast

    teams_dir = Path(__file__).resolve().parents[2] / "teams"
    others = {"rollen", "doelen", "ontwikkeling", "dashboards", "portal", "notifications"}
    for source in teams_dir.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] not in others, source
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] not in others, source

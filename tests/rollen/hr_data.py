"""A small organisation with role history, shared by the HR overview tests."""

import datetime

import pytest

from tests.factories import EmployeeFactory, MembershipFactory, RoleAssignmentFactory, role

PAST = datetime.date(2025, 6, 1)
TODAY = datetime.date(2026, 11, 28)


def build_history(team, other_team):
    """Ann: vakman in team since 2024, still. Bob: facilitator in team until 2025-12-31,
    ondernemer since 2026-01-01. Cas: joined other_team in 2026 as samenwerkingspartner."""
    ann = EmployeeFactory(name="Ann Aalders", personnel_number="P1", email="ann@example.org")
    bob = EmployeeFactory(name="Bob Bakker", personnel_number="P2", email="bob@example.org")
    cas = EmployeeFactory(name="Cas Claassen", personnel_number="P3", email="cas@example.org")
    MembershipFactory(employee=ann, team=team, since=datetime.date(2024, 1, 1))
    MembershipFactory(employee=bob, team=team, since=datetime.date(2024, 1, 1))
    MembershipFactory(employee=cas, team=other_team, since=datetime.date(2026, 2, 1))
    RoleAssignmentFactory(
        employee=ann, team=team, role=role("vakman"), since=datetime.date(2024, 1, 1)
    )
    RoleAssignmentFactory(
        employee=bob,
        team=team,
        role=role("facilitator"),
        since=datetime.date(2024, 1, 1),
        until=datetime.date(2025, 12, 31),
    )
    RoleAssignmentFactory(
        employee=bob, team=team, role=role("ondernemer"), since=datetime.date(2026, 1, 1)
    )
    RoleAssignmentFactory(
        employee=cas,
        team=other_team,
        role=role("samenwerkingspartner"),
        since=datetime.date(2026, 2, 1),
    )
    return ann, bob, cas


def add_people(team, count, start=100):
    """`count` more members of `team`, each a vakman: for query counts at two sizes."""
    for index in range(start, start + count):
        person = EmployeeFactory(personnel_number=f"X{index}")
        MembershipFactory(employee=person, team=team, since=datetime.date(2024, 1, 1))
        RoleAssignmentFactory(
            employee=person, team=team, role=role("vakman"), since=datetime.date(2024, 1, 1)
        )


@pytest.fixture
def on_today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC), tick=False)

"""Each team's data version (teams.TeamDataVersion) rises on every write that changes what the
dashboards show about it, whatever makes the write, and not on writes that do not. The
dashboards' cache keys hold it (dashboards/cache.py), so a missed rise would show
stale figures: every source table of migration teams/0004 has a case here."""

import datetime
import importlib

import pytest
from django.db import connection
from django.utils import timezone

from doelen.models import Goal, OrganisationObjective
from ontwikkeling.models import (
    Answer,
    DevelopmentGoal,
    Responsibility,
    ScanResponse,
    ScanRound,
    Statement,
    TeamResponsibility,
    Theme,
)
from rollen.models import Role, RoleAssignment
from teams.models import Membership, Team, TeamDataVersion
from tests.dashboard.helpers import at, check_in
from tests.factories import (
    EmployeeFactory,
    GoalFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    TeamFactory,
    objective,
    role,
)
from tests.ontwikkeling.helpers import make_round, respond

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("teams.migrations.0004_team_data_version")
# Made again for the tables issue 13 changed (answers apart from people), plus the new one.
SCAN_MIGRATION = importlib.import_module("ontwikkeling.migrations.0005_answers_apart_from_people")
ALL_SOURCES = MIGRATION.SOURCES + SCAN_MIGRATION.SOURCES
TODAY = timezone.localdate()


def version(team) -> int:
    return TeamDataVersion.objects.get(team=team).number


@pytest.fixture
def teams():
    """Two teams with a member, a goal and a scan round each."""
    result = []
    for _ in range(2):
        team = TeamFactory()
        person = EmployeeFactory()
        MembershipFactory(team=team, employee=person)
        GoalFactory(team=team)
        make_round(team)
        result.append(team)
    return result


def test_a_new_team_gets_a_version():
    before = timezone.now()
    team = TeamFactory()
    assert version(team) >= before.timestamp() * 1_000_000 - 1000  # microseconds (±1 ms)
    assert Team.objects.with_data_version().get(pk=team.pk).data_version == version(team)


def test_versions_only_grow_even_when_the_clock_does_not(teams):
    """Two changes within the same microsecond still give two numbers."""
    numbers = [version(teams[0])]
    for index in range(5):
        Team.objects.filter(pk=teams[0].pk).update(name=f"Hernoemd {index}")
        numbers.append(version(teams[0]))
    assert numbers == sorted(set(numbers))


def goal_of(team) -> Goal:
    return Goal.objects.filter(team=team).first()


def round_of(team):
    return team.scan_rounds.first()


# Each case changes something of teams[0] (or reference data of all teams).
CASES = {
    "team renamed": lambda t: Team.objects.filter(pk=t.pk).update(name="Nieuwe naam"),
    "membership added": lambda t: MembershipFactory(team=t),
    "membership ended": lambda t: Membership.objects.filter(team=t).update(until=TODAY),
    "member renamed": lambda t: (
        Membership.objects.filter(team=t)
        .first()
        .employee.__class__.objects.filter(memberships__team=t)
        .update(name="Andere Naam")
    ),
    "role assigned": lambda t: RoleAssignmentFactory(
        team=t, employee=Membership.objects.filter(team=t).first().employee, role=role("vakman")
    ),
    "goal added": lambda t: GoalFactory(team=t),
    "goal changed": lambda t: Goal.objects.filter(team=t).update(title="Ander doel"),
    "check-in": lambda t: check_in(goal_of(t), when=at(TODAY, 9), value=1),
    "goal serves an objective": lambda t: goal_of(t).objectives.add(objective("kosten")),
    "goal no longer serves an objective": lambda t: (
        goal_of(t).objectives.add(objective("kosten")) or goal_of(t).objectives.clear()
    ),
    "scan round opened": lambda t: make_round(t, opens_on=TODAY + datetime.timedelta(days=30)),
    "scan answered": lambda t: respond(round_of(t), EmployeeFactory()),
    "answer changed": lambda t: (
        respond(round_of(t), EmployeeFactory())
        and Answer.objects.filter(answer_set__round__team=t).update(score=1)
    ),
    "scan round closed": lambda t: ScanRound.objects.filter(team=t).update(
        closed_at=timezone.now()
    ),
    "development goal": lambda t: DevelopmentGoal.objects.create(
        goal=goal_of(t), theme=Theme.objects.first(), scan_round=round_of(t)
    ),
    "responsibility handed over": lambda t: TeamResponsibility.objects.create(
        team=t,
        responsibility=Responsibility.objects.first(),
        state="with_team",
        since=TODAY,
        changed_by=EmployeeFactory(),
    ),
}
REFERENCE_CASES = {
    "role renamed": lambda: Role.objects.filter(slug="vakman").update(name_nl="Vakvrouw"),
    "objective renamed": lambda: OrganisationObjective.objects.update(name_en="Other"),
    "theme renamed": lambda: Theme.objects.update(name_en="Other"),
    "statement changed": lambda: Statement.objects.update(text_en="Other"),
    "responsibility renamed": lambda: Responsibility.objects.update(name_en="Other"),
}


@pytest.mark.parametrize("change", CASES.values(), ids=CASES.keys())
def test_a_change_raises_only_its_teams_version(teams, change):
    before = [version(team) for team in teams]
    change(teams[0])
    assert version(teams[0]) > before[0]
    assert version(teams[1]) == before[1]


@pytest.mark.parametrize("change", REFERENCE_CASES.values(), ids=REFERENCE_CASES.keys())
def test_a_change_to_reference_data_raises_every_version(teams, change):
    before = [version(team) for team in teams]
    change()
    assert [version(team) for team in teams] > before
    assert all(version(team) > old for team, old in zip(teams, before, strict=True))


def test_a_log_in_does_not_raise_the_version(teams):
    person = Membership.objects.filter(team=teams[0]).first().employee
    before = version(teams[0])
    person.last_login = timezone.now()
    person.save(update_fields=["last_login"])
    assert version(teams[0]) == before


def test_a_role_assignment_moved_to_another_team_raises_both(teams):
    person = Membership.objects.filter(team=teams[0]).first().employee
    MembershipFactory(team=teams[1], employee=person)
    assignment = RoleAssignmentFactory(team=teams[0], employee=person, role=role("vakman"))
    before = [version(team) for team in teams]
    RoleAssignment.objects.filter(pk=assignment.pk).update(team=teams[1])
    assert all(version(team) > old for team, old in zip(teams, before, strict=True))


def test_a_bulk_insert_raises_every_team_it_touches(teams):
    """bulk_create (seed_demo, imports) inserts many rows in one statement."""
    before = [version(team) for team in teams]
    goals = [goal_of(team) for team in teams]
    CheckIn = goals[0].check_ins.model
    CheckIn.objects.bulk_create(
        CheckIn(goal=goal, author=EmployeeFactory(), value=goal.start_value) for goal in goals * 3
    )
    assert all(version(team) > old for team, old in zip(teams, before, strict=True))


def test_a_scan_response_removed_raises_the_version(teams):
    response = respond(round_of(teams[0]), EmployeeFactory())
    before = version(teams[0])
    ScanResponse.objects.filter(pk=response.pk).delete()
    assert version(teams[0]) > before


def test_every_source_table_has_a_case():
    tables = {table for table, *_rest in ALL_SOURCES}
    assert len(CASES) + len(REFERENCE_CASES) >= len(tables)


def test_the_triggers_exist_after_all_migrations():
    """SQLite drops a table's triggers when a migration rebuilds the table; a later migration
    that does so must create this table's trigger again."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            expected = {"teams_team_data_version_insert"} | {
                f"{table}_data_version_{event.lower()}"
                for table, _teams, events, *_rest in ALL_SOURCES
                for event in events
            }
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            expected = {"teams_team_data_version_insert"}
            for table, _teams, events, _sqlite_when, when in ALL_SOURCES:
                if when:  # row by row
                    expected.add(f"{table}_data_version")
                else:  # per statement, one trigger per event
                    expected |= {f"{table}_data_version_{event.lower()}" for event in events}
        assert expected <= {row[0] for row in cursor.fetchall()}

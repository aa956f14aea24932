"""Each team's data version (dashboards.models.TeamDataVersion) rises after every write that
changes what the dashboards show about it, and not after writes that do not. The
dashboards' cache keys hold it (dashboards/cache.py), so a missed rise would show stale
figures. The writes here go through save()/delete() (the admin, a shell), the services'
own bulk writes (`common.signals.rows_changed`) or a bulk loader's call of
`dashboards.freshness.mark_teams_changed`; tests/dashboard/test_freshness.py checks the
declared sources against what the pages read."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from afspraken.models import AgreementVersion
from dashboards.freshness import mark_all_changed, mark_teams_changed, with_data_version
from dashboards.models import TeamDataVersion
from dashboards.sources import M2M_SOURCES, SOURCES
from doelen.models import CheckIn, Goal, OrganisationObjective
from doelen.services import goals_recompute_last_check_in
from ontwikkeling.models import (
    Answer,
    DevelopmentGoal,
    Responsibility,
    ScanResponse,
    Statement,
    TeamResponsibility,
    Theme,
)
from ontwikkeling.personal.models import DevelopmentIntention
from rollen.models import Role
from teams.models import Employee, Membership, Team
from tests.dashboard.helpers import at, check_in
from tests.factories import (
    EmployeeFactory,
    GoalContributionFactory,
    GoalFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    TeamFactory,
    make_agreement,
    objective,
    role,
)
from tests.ontwikkeling.helpers import make_round, respond

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def version(team) -> int:
    return TeamDataVersion.objects.filter(team=team).values_list("number", flat=True).first() or 0


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
    assert with_data_version(Team.objects.filter(pk=team.pk)).get().data_version == version(team)


def test_a_team_without_a_row_reads_as_zero():
    team = TeamFactory()
    TeamDataVersion.objects.filter(team=team).delete()
    assert with_data_version(Team.objects.filter(pk=team.pk)).get().data_version == 0
    mark_teams_changed([team.pk])
    assert version(team) > 0


def test_versions_only_grow_even_when_the_clock_does_not(teams, monkeypatch):
    """Two changes within the same microsecond (or a clock set back) still give two
    numbers."""
    from dashboards import freshness

    monkeypatch.setattr(freshness, "_now_microseconds", lambda: 1)
    numbers = [version(teams[0])]
    for index in range(5):
        teams[0].name = f"Hernoemd {index}"
        teams[0].save()
        numbers.append(version(teams[0]))
    assert numbers == sorted(set(numbers))


def goal_of(team) -> Goal:
    return Goal.objects.filter(team=team).first()


def round_of(team):
    return team.scan_rounds.first()


def member_of(team) -> Employee:
    return Membership.objects.filter(team=team).first().employee


def _save(obj, **values):
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    return obj


# Each case changes something of teams[0] (or reference data of all teams).
CASES = {
    "team renamed": lambda t: _save(t, name="Nieuwe naam"),
    "team gets a manager": lambda t: t.managers.add(EmployeeFactory()),
    "membership added": lambda t: MembershipFactory(team=t),
    "membership ended": lambda t: _save(Membership.objects.filter(team=t).first(), until=TODAY),
    "member renamed": lambda t: _save(member_of(t), name="Andere Naam"),
    "role assigned": lambda t: RoleAssignmentFactory(
        team=t, employee=member_of(t), role=role("vakman")
    ),
    "goal added": lambda t: GoalFactory(team=t),
    "goal changed": lambda t: _save(goal_of(t), title="Ander doel"),
    "check-in": lambda t: check_in(goal_of(t), when=at(TODAY, 9), value=1),
    "goal serves an objective": lambda t: goal_of(t).objectives.add(objective("kosten")),
    "goal no longer serves an objective": lambda t: (
        goal_of(t).objectives.add(objective("kosten")) or goal_of(t).objectives.clear()
    ),
    "objective no longer served by a goal": lambda t: (
        goal_of(t).objectives.add(objective("kosten"))
        or objective("kosten").goals.remove(goal_of(t))
    ),
    "scan round opened": lambda t: make_round(t, opens_on=TODAY + datetime.timedelta(days=30)),
    "scan answered": lambda t: respond(round_of(t), EmployeeFactory()),
    "answer changed": lambda t: (
        respond(round_of(t), EmployeeFactory()),
        _save(Answer.objects.filter(answer_set__round=round_of(t)).first(), score=1),
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
    # Issue #20: contributions, agreements (written with their first version), intentions.
    "contribution added": lambda t: GoalContributionFactory(goal=goal_of(t), member=member_of(t)),
    "agreement recorded": lambda t: make_agreement(team=t, owner=member_of(t)),
    "agreement version written": lambda t: AgreementVersion.objects.create(
        agreement=make_agreement(team=t, owner=member_of(t)),
        number=2,
        title="Herzien",
        text="Nog steeds zo.",
        owner=member_of(t),
        agreed_on=TODAY,
        review_on=TODAY + datetime.timedelta(days=100),
        changed_by=member_of(t),
    ),
    "development intention written": lambda t: DevelopmentIntention.objects.create(
        employee=member_of(t), role=Role.objects.first(), aim="Beter adviseren"
    ),
}
REFERENCE_CASES = {
    "role renamed": lambda: _save(Role.objects.get(slug="vakman"), name_nl="Vakvrouw"),
    "objective renamed": lambda: _save(OrganisationObjective.objects.first(), name_en="Other"),
    "theme renamed": lambda: _save(Theme.objects.first(), name_en="Other"),
    "statement changed": lambda: _save(Statement.objects.first(), text_en="Other"),
    "responsibility renamed": lambda: _save(Responsibility.objects.first(), name_en="Other"),
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
    assert all(version(team) > old for team, old in zip(teams, before, strict=True))


def test_every_source_has_a_case():
    assert len(CASES) + len(REFERENCE_CASES) >= len(SOURCES) + len(M2M_SOURCES)


def test_a_log_in_does_not_raise_the_version(teams, client):
    person = member_of(teams[0])
    before = version(teams[0])
    person.last_login = timezone.now()
    person.save(update_fields=["last_login"])
    client.force_login(person)  # the real log-in: update_last_login
    assert version(teams[0]) == before


def test_a_change_the_dashboards_do_not_show_does_not_raise_the_version(teams):
    person = member_of(teams[0])
    before = version(teams[0])
    _save(person, email="ander@example.org")
    assert version(teams[0]) == before


def test_a_role_assignment_moved_to_another_team_raises_both(teams):
    person = member_of(teams[0])
    MembershipFactory(team=teams[1], employee=person)
    assignment = RoleAssignmentFactory(team=teams[0], employee=person, role=role("vakman"))
    before = [version(team) for team in teams]
    _save(assignment, team=teams[1])
    assert all(version(team) > old for team, old in zip(teams, before, strict=True))


def test_a_goal_moved_to_another_team_raises_both(teams):
    goal = Goal.objects.get(pk=goal_of(teams[0]).pk)
    before = [version(team) for team in teams]
    _save(goal, team=teams[1])
    assert all(version(team) > old for team, old in zip(teams, before, strict=True))


def test_a_bulk_insert_raises_every_team_it_touches(teams):
    """bulk_create sends no post_save: the loader recomputes the goals' latest check-in,
    which tells the dashboards (common.signals.rows_changed)."""
    before = [version(team) for team in teams]
    goals = [goal_of(team) for team in teams]
    CheckIn.objects.bulk_create(
        CheckIn(goal=goal, author=EmployeeFactory(), value=goal.start_value) for goal in goals * 3
    )
    goals_recompute_last_check_in([goal.pk for goal in goals])
    assert all(version(team) > old for team, old in zip(teams, before, strict=True))


def test_a_bulk_loader_marks_the_teams_itself(teams):
    before = [version(team) for team in teams]
    Goal.objects.filter(team=teams[0]).update(title="Bulk")
    assert version(teams[0]) == before[0]  # an update sends no signal
    mark_teams_changed([teams[0].pk])
    assert version(teams[0]) > before[0]
    assert version(teams[1]) == before[1]
    mark_all_changed()
    assert version(teams[1]) > before[1]


def test_a_scan_response_removed_raises_the_version(teams):
    response = respond(round_of(teams[0]), EmployeeFactory())
    before = version(teams[0])
    ScanResponse.objects.filter(pk=response.pk).delete()
    assert version(teams[0]) > before


def test_a_deleted_membership_raises_the_version(teams):
    before = version(teams[0])
    Membership.objects.filter(team=teams[0]).delete()
    assert version(teams[0]) > before


def _version_updates(queries) -> int:
    table = TeamDataVersion._meta.db_table
    return sum(1 for q in queries if q["sql"].startswith("UPDATE") and table in q["sql"])


def test_one_transaction_raises_each_version_once_after_it_ends(teams):
    before = [version(team) for team in teams]
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        for index in range(5):
            _save(goal_of(teams[0]), title=f"Doel {index}")
            MembershipFactory(team=teams[1])
        assert [version(team) for team in teams] == before  # not before the commit
    assert all(version(team) > old for team, old in zip(teams, before, strict=True))
    assert _version_updates(queries.captured_queries) == 1  # both teams in one statement


def test_a_rolled_back_write_raises_nothing(teams):
    before = version(teams[0])
    with pytest.raises(RuntimeError), transaction.atomic():
        _save(goal_of(teams[0]), title="Nooit")
        raise RuntimeError
    assert version(teams[0]) == before


def test_a_rolled_back_savepoint_does_not_lose_the_rest(teams):
    before = [version(team) for team in teams]
    with transaction.atomic():
        try:
            with transaction.atomic():
                _save(goal_of(teams[0]), title="Teruggedraaid")
                raise RuntimeError
        except RuntimeError:
            pass
        _save(goal_of(teams[1]), title="Blijft")
    assert version(teams[1]) > before[1]


def test_a_manager_removed_from_the_other_side_raises_the_teams_version(teams):
    """employee_anonymise clears the person's managed teams (m2m clear from the employee's
    side): the teams they managed change."""
    from teams.services import employee_anonymise

    boss = EmployeeFactory()
    teams[1].managers.add(boss)
    before = [version(team) for team in teams]
    employee_anonymise(employee=boss, force=True)
    assert version(teams[1]) > before[1]
    assert version(teams[0]) == before[0]

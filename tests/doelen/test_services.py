import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from doelen.models import CheckIn, Confidence, Goal, GoalStatus, MeasureType
from doelen.services import (
    GoalChangedMeanwhile,
    GoalData,
    goal_carry_over,
    goal_check_in,
    goal_create,
    goal_set_status,
    goal_update,
)
from tests.factories import CheckInFactory, EmployeeFactory, GoalFactory, objective, role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def data(**overrides) -> GoalData:
    values = {
        "title": "Wachttijd omlaag",
        "start_date": TODAY,
        "due_date": TODAY + datetime.timedelta(days=90),
        "measure_type": MeasureType.NUMBER,
        "unit": "dagen",
        "start_value": Decimal(20),
        "target_value": Decimal(10),
    }
    values.update(overrides)
    return GoalData(**values)


def test_create_saves_goal_relations_and_an_audit_event(team, member):
    goal = goal_create(
        team=team,
        actor=member,
        data=data(
            owner=member,
            objectives=[objective("kwaliteit")],
            driving_roles=[role("vakman")],
        ),
    )
    assert (goal.team, goal.created_by, goal.owner, goal.version) == (team, member, member, 1)
    assert list(goal.driving_roles.all()) == [role("vakman")]
    event = AuditEvent.objects.get(action="goal.create")
    assert event.actor == member and event.object_id == str(goal.pk)
    assert event.changes["title"] == [None, "Wachttijd omlaag"]


def test_create_refuses_an_owner_outside_the_team(team, member, other_member):
    with pytest.raises(ValidationError) as error:
        goal_create(team=team, actor=member, data=data(owner=other_member))
    assert "owner" in error.value.message_dict
    assert not Goal.objects.exists()


def test_create_refuses_dates_in_the_wrong_order(team, member):
    with pytest.raises(ValidationError) as error:
        goal_create(team=team, actor=member, data=data(due_date=TODAY - datetime.timedelta(days=1)))
    assert "due_date" in error.value.message_dict
    assert not Goal.objects.exists() and not AuditEvent.objects.exists()


def test_create_refuses_an_archived_team(team, member):
    team.is_active = False
    team.save()
    with pytest.raises(ValidationError):
        goal_create(team=team, actor=member, data=data())


def test_update_raises_version_and_records_the_changed_fields(team, member):
    goal = goal_create(team=team, actor=member, data=data())
    updated = goal_update(goal=goal, actor=member, version=1, data=data(title="Sneller"))
    assert updated.version == 2 and Goal.objects.get().title == "Sneller"
    event = AuditEvent.objects.get(action="goal.update")
    assert event.changes == {"title": ["Wachttijd omlaag", "Sneller"]}
    assert event.details == {"version": 2}


def test_update_with_an_old_version_tells_what_changed_and_by_whom(team, member, manager):
    goal = goal_create(team=team, actor=member, data=data())
    goal_update(goal=goal, actor=manager, version=1, data=data(target_value=Decimal(5)))
    with pytest.raises(GoalChangedMeanwhile) as changed:
        goal_update(goal=goal, actor=member, version=1, data=data(title="Mijn titel"))
    assert changed.value.changed_fields == ["target_value"]
    assert changed.value.changed_by == [manager.name]
    assert changed.value.goal.version == 2
    stored = Goal.objects.get()
    assert (stored.title, stored.target_value, stored.version) == (
        "Wachttijd omlaag",
        Decimal(5),
        2,
    )


def test_measure_type_cannot_change_once_there_are_check_ins(team, member):
    goal = goal_create(team=team, actor=member, data=data())
    goal_check_in(goal=goal, author=member, value=Decimal(15))
    with pytest.raises(ValidationError) as error:
        goal_update(
            goal=goal,
            actor=member,
            version=1,
            data=data(measure_type=MeasureType.PERCENTAGE, start_value=0, target_value=100),
        )
    assert "measure_type" in error.value.message_dict
    assert Goal.objects.get().measure_type == MeasureType.NUMBER


def test_update_of_a_finished_goal_is_refused(member):
    goal = GoalFactory(status=GoalStatus.ACHIEVED)
    with pytest.raises(ValidationError):
        goal_update(goal=goal, actor=member, version=1, data=data())


@pytest.mark.parametrize("status", [GoalStatus.ACHIEVED, GoalStatus.STOPPED, GoalStatus.ARCHIVED])
def test_status_change_needs_a_reason_and_is_audited(member, status):
    goal = GoalFactory()
    with pytest.raises(ValidationError):
        goal_set_status(goal=goal, actor=member, status=status, reason="   ")
    goal = goal_set_status(goal=goal, actor=member, status=status, reason="Klaar")
    assert (goal.status, goal.status_reason, goal.version) == (status, "Klaar", 2)
    event = AuditEvent.objects.get(action="goal.status")
    assert event.changes["status"] == ["active", status]


def test_status_cannot_go_back_from_archived(member):
    goal = GoalFactory(status=GoalStatus.ARCHIVED)
    with pytest.raises(ValidationError):
        goal_set_status(goal=goal, actor=member, status=GoalStatus.ACTIVE, reason="terug")
    with pytest.raises(ValidationError):
        goal_set_status(goal=goal, actor=member, status=GoalStatus.ACHIEVED, reason="x")


def test_carry_over_starts_at_the_latest_value_and_archives_the_original(team, member):
    goal = GoalFactory(
        team=team,
        owner=member,
        measure_type=MeasureType.NUMBER,
        unit="klanten",
        start_value=0,
        target_value=50,
    )
    goal.objectives.add(objective("kwetsbaarheid"))
    CheckInFactory(goal=goal, author=member, value=Decimal(12))
    CheckInFactory(goal=goal, author=member, value=Decimal(31))
    start = TODAY + datetime.timedelta(days=1)
    new = goal_carry_over(
        goal=goal, actor=member, start_date=start, due_date=start + datetime.timedelta(days=180)
    )
    assert (new.start_value, new.target_value, new.unit, new.owner) == (31, 50, "klanten", member)
    assert new.carried_over_from == goal and new.start_date == start
    assert list(new.objectives.all()) == list(goal.objectives.all())
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ARCHIVED and goal.status_reason
    assert CheckIn.objects.filter(goal=goal).count() == 2  # nothing deleted
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "goal.carry_over",
        "goal.status",
    }
    archived = AuditEvent.objects.get(action="goal.status")
    assert archived.details == {"version": goal.version, "carried_over_to": new.pk}
    assert archived.changes["status"] == [GoalStatus.ACTIVE, GoalStatus.ARCHIVED]
    with pytest.raises(ValidationError):  # once only
        goal_carry_over(goal=goal, actor=member, start_date=start, due_date=start)


def test_carry_over_of_an_achieved_goal_keeps_its_status(member):
    goal = GoalFactory(status=GoalStatus.ACHIEVED)
    CheckInFactory(goal=goal, value=Decimal(60))
    new = goal_carry_over(
        goal=goal, actor=member, start_date=TODAY, due_date=TODAY, target_value=Decimal(80)
    )
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED and new.start_value == 60


def test_carry_over_when_the_target_is_already_reached_asks_for_a_new_target(member):
    goal = GoalFactory()
    CheckInFactory(goal=goal, value=Decimal(100))
    with pytest.raises(ValidationError) as error:
        goal_carry_over(goal=goal, actor=member, start_date=TODAY, due_date=TODAY)
    assert "target_value" in error.value.message_dict
    assert Goal.objects.count() == 1


def test_carry_over_of_a_milestone_starts_again_at_not_reached(member):
    goal = GoalFactory(measure_type=MeasureType.MILESTONE, unit="", start_value=0, target_value=1)
    CheckInFactory(goal=goal, value=Decimal(1))
    new = goal_carry_over(goal=goal, actor=member, start_date=TODAY, due_date=TODAY)
    assert (new.start_value, new.target_value) == (0, 1)


def test_carry_over_drops_an_owner_who_left_the_team(member):
    goal = GoalFactory(owner=EmployeeFactory())
    new = goal_carry_over(goal=goal, actor=member, start_date=TODAY, due_date=TODAY)
    assert new.owner is None


def test_check_in_is_appended_and_audited(member):
    goal = GoalFactory()
    goal_check_in(goal=goal, author=member, value=Decimal(10))
    goal_check_in(
        goal=goal,
        author=member,
        value=Decimal(12),
        confidence=Confidence.OFF_TRACK,
        comment="Ziekte",
    )
    assert list(goal.check_ins.values_list("value", flat=True)) == [12, 10]
    events = AuditEvent.objects.filter(action="goal.check_in")
    assert events.count() == 2 and events.first().details["value"] == "12"


def test_check_in_refuses_off_track_without_comment(member):
    goal = GoalFactory()
    with pytest.raises(ValidationError):
        goal_check_in(goal=goal, author=member, value=Decimal(1), confidence=Confidence.OFF_TRACK)
    assert not CheckIn.objects.exists() and not AuditEvent.objects.exists()


def test_check_in_refuses_a_closed_goal_or_an_archived_team(member):
    closed = GoalFactory(status=GoalStatus.STOPPED)
    with pytest.raises(ValidationError):
        goal_check_in(goal=closed, author=member, value=Decimal(1))
    goal = GoalFactory()
    goal.team.is_active = False
    goal.team.save()
    with pytest.raises(ValidationError):
        goal_check_in(goal=goal, author=member, value=Decimal(1))

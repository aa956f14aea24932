"""Writers never wait for each other on a data version: the versions are raised after the
transaction commits (dashboards.freshness), so a transaction that changes a team holds no
version row while it runs. Needs PostgreSQL (real row locks and concurrent connections)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from dashboards.models import TeamDataVersion
from doelen.models import Goal
from doelen.services import goal_check_in
from teams.models import Membership
from teams.services import membership_start
from tests.conftest import need_service
from tests.factories import EmployeeFactory, GoalFactory, MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _version(team) -> int:
    return TeamDataVersion.objects.filter(team=team).values_list("number", flat=True).first() or 0


def test_a_check_in_commits_while_a_membership_change_in_the_team_is_open():
    need_service(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL=postgres://…)")
    team = TeamFactory()
    author = EmployeeFactory()
    MembershipFactory(team=team, employee=author)
    goal = GoalFactory(team=team, start_date=timezone.localdate())
    newcomer = EmployeeFactory()
    before = _version(team)
    held, release, failure = threading.Event(), threading.Event(), []

    def open_membership_change():
        try:
            with transaction.atomic():
                membership_start(employee=newcomer, team=team, since=timezone.localdate())
                held.set()  # uncommitted, until the check-in is done
                release.wait(30)
        except Exception as error:  # noqa: BLE001 - reported below
            failure.append(error)
        finally:
            held.set()
            connection.close()  # this thread's own connection

    other = threading.Thread(target=open_membership_change)
    other.start()
    try:
        assert held.wait(10)
        with connection.cursor() as cursor:
            # Waiting for a lock longer than this fails the check-in (LockNotAvailable).
            cursor.execute("SET lock_timeout = '2s'")
        try:
            check_in = goal_check_in(goal=goal, author=author, value=Decimal(40))
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
        after_check_in = _version(team)
    finally:
        release.set()
        other.join(30)
    assert not failure, failure
    assert Goal.objects.get(pk=goal.pk).last_check_in_id == check_in.pk
    assert after_check_in > before  # raised after the check-in committed
    assert Membership.objects.filter(team=team, employee=newcomer).exists()
    assert _version(team) > after_check_in  # and again after the membership change

"""Two people save the same goal at the same moment: one wins, the other hears about it.
Needs PostgreSQL (real row locks and concurrent connections)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from doelen.models import CheckIn, Goal
from doelen.services import GoalChangedMeanwhile, GoalData, goal_check_in, goal_update
from tests.conftest import need_service
from tests.factories import EmployeeFactory, GoalFactory, MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - the test inspects what happened
            results[index] = error
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.fixture
def setup():
    need_service(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL=postgres://…)")
    team = TeamFactory()
    people = [EmployeeFactory(), EmployeeFactory()]
    for person in people:
        MembershipFactory(employee=person, team=team)
    return GoalFactory(team=team), people


def test_simultaneous_edits_from_the_same_version_never_lose_an_update(setup):
    goal, (first, second) = setup

    def edit(person, title):
        data = GoalData(title=title, start_date=goal.start_date, due_date=goal.due_date)
        return lambda: goal_update(goal=goal, actor=person, version=1, data=data)

    results = run_together(edit(first, "Titel A"), edit(second, "Titel B"))
    conflicts = [r for r in results if isinstance(r, GoalChangedMeanwhile)]
    saved = [r for r in results if isinstance(r, Goal)]
    assert len(conflicts) == 1 and len(saved) == 1, results
    stored = Goal.objects.get()
    assert stored.version == 2 and stored.title == saved[0].title
    assert conflicts[0].changed_fields == ["title"]


def test_simultaneous_check_ins_are_both_kept(setup):
    goal, (first, second) = setup
    results = run_together(
        lambda: goal_check_in(goal=goal, author=first, value=Decimal(10)),
        lambda: goal_check_in(goal=goal, author=second, value=Decimal(20)),
    )
    assert all(isinstance(r, CheckIn) for r in results), results
    assert sorted(CheckIn.objects.values_list("value", flat=True)) == [10, 20]
    # The second waited for the first's lock, so the goal points at the later one.
    assert Goal.objects.get().last_check_in == CheckIn.objects.latest()

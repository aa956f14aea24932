import pytest
from django.core.management import CommandError, call_command

from doelen.models import CheckIn, Goal
from notifications.models import ReminderLog
from ontwikkeling.models import (
    Answer,
    DevelopmentGoal,
    ScanResponse,
    ScanRound,
    TeamResponsibility,
)
from rollen.models import RoleAssignment
from teams.models import Employee, Membership, Team

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Employee, Team, Membership, RoleAssignment, Goal, CheckIn)]


def test_seed_builds_a_realistic_organisation_once():
    call_command("seed_demo", teams=6, employees=60, seed=1)
    first = counts()
    assert first[1] == 6 and first[0] == 60 + 4
    assert first[4] >= 6 * 4 and first[5] > 100
    call_command("seed_demo", teams=6, employees=60, seed=1)
    assert counts() == first  # running again adds nothing
    # The demo log-ins exist with their roles.
    assert Employee.objects.get(username="hr").is_hr
    assert Employee.objects.get(username="beheer").is_superuser
    assert Team.objects.filter(managers__username="leidinggevende").count() == 4
    assert Membership.objects.filter(employee__username="medewerker").exists()
    assert Employee.objects.get(username="medewerker").check_password("demo")
    # Personal development (issue #20): the demo employee's intentions, one shared with the
    # demo manager, and one each for three colleagues; the second run added none.
    from ontwikkeling.personal.models import DevelopmentIntention
    from ontwikkeling.personal.selectors import shared_with

    medewerker = Employee.objects.get(username="medewerker")
    assert DevelopmentIntention.objects.filter(employee=medewerker).count() == 3
    assert DevelopmentIntention.objects.exclude(employee=medewerker).count() == 3
    manager = Employee.objects.get(username="leidinggevende")
    assert medewerker in [person.employee for person in shared_with(viewer=manager)]
    # Agreements (issue #20) read like a team's history: each version dated when it was
    # agreed or revised, not all at the moment of the seed run.
    import datetime

    from django.utils import timezone

    from afspraken.models import AgreementVersion

    today = timezone.localdate()
    firsts = AgreementVersion.objects.filter(number=1)
    assert firsts.exists()
    for version in firsts:
        assert timezone.localtime(version.changed_at).date() == version.agreed_on < today
    for second in AgreementVersion.objects.filter(number=2).select_related("agreement"):
        first = firsts.get(agreement=second.agreement)
        assert first.changed_at + datetime.timedelta(days=29) < second.changed_at
        assert timezone.localtime(second.changed_at).date() < today


def snapshot():
    return (
        list(Employee.objects.order_by("username").values_list("username", "name", "email")),
        list(Team.objects.order_by("slug").values_list("slug", "municipality", "update_rhythm")),
        list(
            RoleAssignment.objects.order_by(
                "team__slug", "employee__username", "role__slug", "since"
            ).values_list("employee__username", "role__slug", "since", "until")
        ),
        list(
            CheckIn.objects.order_by("goal__team__slug", "goal__title", "created_at").values_list(
                "goal__title", "value", "confidence", "created_at"
            )
        ),
    )


def test_seed_is_deterministic():
    call_command("seed_demo", teams=3, employees=30, seed=7)
    first = snapshot()
    development = (ReminderLog, Answer, ScanResponse, ScanRound, TeamResponsibility)
    from afspraken.models import Agreement, AgreementVersion
    from doelen.models import GoalContribution

    Agreement.objects.update(current=None)
    teamwork = (AgreementVersion, Agreement, GoalContribution)
    for model in (*development, *teamwork, DevelopmentGoal, CheckIn, Goal, RoleAssignment):
        model.objects.all().delete()
    # Personal development, agreements (issue #20) are written through the services, audited
    # as their authors: those rows go before the people.
    from audit.models import AuditEvent
    from ontwikkeling.personal.models import DevelopmentIntention

    DevelopmentIntention.objects.all().delete()
    for model in (Membership, Team):
        model.objects.all().delete()
    AuditEvent.objects.all().delete()
    Employee.objects.all().delete()
    call_command("seed_demo", teams=3, employees=30, seed=7)
    assert snapshot() == first
    assert len(first[3]) > 50


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"teams": 0}, "--teams"),
        ({"teams": 10, "employees": 5}, "--employees"),
        ({"months": 0}, "--months"),
    ],
)
def test_bad_options_give_a_clear_message_and_store_nothing(options, message):
    before = counts()
    with pytest.raises(CommandError, match=message):
        call_command("seed_demo", **options)
    assert counts() == before

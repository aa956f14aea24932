"""'Vraag om een update' and reactions on check-ins: once per goal per day, once a day,
paused reminders respected, per persona; personal data and anonymisation cover reactions."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from audit.models import AuditEvent
from doelen.models import Reaction
from doelen.nudges import NudgeOutcome, goal_request_update
from doelen.reactions import reaction_add
from notifications.models import ReminderLog, ReminderStatus
from portal.privacy import personal_data
from teams.models import Language
from teams.services import employee_anonymise
from tests.doelen.reminder_helpers import NOW, TODAY, quiet_goal
from tests.factories import CheckInFactory, EmployeeFactory, MembershipFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.SITE_URL = "https://zelfsturing.example.nl"
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def owner(team):
    employee = EmployeeFactory(
        username="eigenaar", name="Eva Eigenaar", preferred_language=Language.DUTCH
    )
    MembershipFactory(employee=employee, team=team)
    return employee


@pytest.fixture
def stale_goal(team, owner):
    return quiet_goal(team=team, owner=owner, days_quiet=30, title="Wachttijd omlaag")


def _ask(client, goal, callbacks):
    with callbacks(execute=True):
        return client.post(reverse("doelen:request_update", kwargs={"pk": goal.pk}), follow=True)


def test_nudge_is_sent_once_per_goal_per_day(
    client_for, manager, member, stale_goal, owner, django_capture_on_commit_callbacks
):
    response = _ask(client_for(manager), stale_goal, django_capture_on_commit_callbacks)
    assert "We hebben Eva Eigenaar per e-mail om een update gevraagd" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert "Wachttijd omlaag" in message.subject
    assert "https://zelfsturing.example.nl/mijn-updates/" in message.body
    assert ReminderLog.objects.get(kind="nudge").status == ReminderStatus.SENT

    # A second press, by another person of the team, the same day: a message, no e-mail.
    response = _ask(client_for(member), stale_goal, django_capture_on_commit_callbacks)
    assert "vandaag al om een update gevraagd" in response.content.decode()
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="goal.request_update").count() == 1


def test_nudge_the_next_day_sends_again(
    stale_goal, manager, frozen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert goal_request_update(goal=stale_goal, actor=manager) == NudgeOutcome.SENT
    frozen.shift(datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert goal_request_update(goal=stale_goal, actor=manager) == NudgeOutcome.SENT
    assert len(mail.outbox) == 2


def test_nudge_respects_paused_reminders(
    client_for, manager, stale_goal, owner, django_capture_on_commit_callbacks
):
    owner.reminders_paused_until = TODAY + datetime.timedelta(days=3)
    owner.save()
    client = client_for(manager)
    response = _ask(client, stale_goal, django_capture_on_commit_callbacks)
    assert "heeft herinneringen gepauzeerd" in response.content.decode()
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="goal.request_update").exists()


def test_nudge_on_a_fresh_goal_asks_nobody(manager, team, owner):
    goal = quiet_goal(team=team, owner=owner, days_quiet=2)
    assert goal_request_update(goal=goal, actor=manager) == NudgeOutcome.NOT_STALE


@pytest.mark.parametrize("persona", ["other_member", "other_manager", "outsider"])
def test_nudge_is_refused_outside_the_team(request, client_for, persona, stale_goal):
    response = client_for(request.getfixturevalue(persona)).post(
        reverse("doelen:request_update", kwargs={"pk": stale_goal.pk})
    )
    assert response.status_code == 403
    assert mail.outbox == []


def test_nudge_on_a_missing_goal_is_404(client_for, manager):
    response = client_for(manager).post(reverse("doelen:request_update", kwargs={"pk": 999999}))
    assert response.status_code == 404


# Reactions


@pytest.fixture
def check_in(stale_goal, owner):
    return CheckInFactory(
        goal=stale_goal, author=owner, created_at=NOW - datetime.timedelta(days=1)
    )


def _react(client, check_in, text, callbacks):
    with callbacks(execute=True):
        return client.post(
            reverse("doelen:react", kwargs={"pk": check_in.pk}),
            {f"r{check_in.pk}-text": text, f"r{check_in.pk}-once": f"t-{text[:20]}"},
        )


def test_reactions_mail_the_author_at_most_once_a_day(
    client_for, manager, member, check_in, frozen, django_capture_on_commit_callbacks
):
    response = _react(
        client_for(manager), check_in, "Mooi werk!", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    _react(client_for(member), check_in, "Goed bezig", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert "Mooi werk!" in mail.outbox[0].body
    page = client_for(member).get(check_in.goal.get_absolute_url()).content.decode()
    assert "Mooi werk!" in page and "Goed bezig" in page
    assert AuditEvent.objects.filter(action="check_in.react").count() == 2

    frozen.shift(datetime.timedelta(days=1))
    _react(client_for(manager), check_in, "Nog een vraag?", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert "Nog een vraag?" in mail.outbox[1].body and "Mooi werk!" not in mail.outbox[1].body


def test_reaction_mail_respects_paused_reminders(
    client_for, manager, owner, check_in, django_capture_on_commit_callbacks
):
    owner.reminders_paused_until = TODAY
    owner.save()
    _react(client_for(manager), check_in, "Mooi werk!", django_capture_on_commit_callbacks)
    assert Reaction.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize(
    "text,message",
    [("", "Dit veld is verplicht"), ("<b>hoi</b>", "zonder HTML"), ("x" * 501, "501")],
)
def test_bad_reactions_get_a_clear_message(
    client_for, manager, check_in, text, message, django_capture_on_commit_callbacks
):
    response = _react(client_for(manager), check_in, text, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Reaction.objects.exists()


@pytest.mark.parametrize("persona", ["other_member", "outsider"])
def test_reactions_are_refused_outside_the_team(
    request, client_for, persona, check_in, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(persona)
    response = _react(client_for(user), check_in, "Hoi", django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert not Reaction.objects.exists()


def test_retracting_hides_and_keeps_the_record(client_for, manager, member, check_in):
    reaction = reaction_add(check_in=check_in, author=manager, text="Oeps")
    assert (
        client_for(member)
        .post(reverse("doelen:retract_reaction", kwargs={"pk": reaction.pk}))
        .status_code
        == 403
    )
    client_for(manager).post(reverse("doelen:retract_reaction", kwargs={"pk": reaction.pk}))
    reaction.refresh_from_db()
    assert reaction.retracted_at is not None
    assert "Oeps" not in client_for(member).get(check_in.goal.get_absolute_url()).content.decode()
    assert AuditEvent.objects.filter(action="check_in.retract_reaction").count() == 1


def test_personal_data_includes_reactions(manager, check_in):
    reaction_add(check_in=check_in, author=manager, text="Knap gedaan")
    data = personal_data(employee=manager)
    assert [r["text"] for r in data["reactions"]] == ["Knap gedaan"]
    assert all(record["kind"] != "doelen.reaction" for record in data["other_records"])


def test_anonymisation_keeps_reactions_under_the_token(client_for, member, manager, check_in):
    reaction_add(check_in=check_in, author=manager, text="Knap gedaan")
    manager.is_active = False
    manager.save()
    employee_anonymise(employee=manager)
    page = client_for(member).get(check_in.goal.get_absolute_url()).content.decode()
    assert "Knap gedaan" in page
    assert "Lars Leiding" not in page
    assert f"Oud-medewerker {manager.pk}" in page
    assert not AuditEvent.objects.filter(object_repr__icontains="Lars").exists()

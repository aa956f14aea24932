"""An agreement past its review date: a signal on the team and manager dashboards, and one
reminder to its owner (twice run = one e-mail; paused = none), with frozen time."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from afspraken import reminders, tasks
from afspraken.services import agreement_retire
from dashboards.teamwork import teamwork_figures, teamwork_signals
from notifications.models import ReminderLog
from notifications.sending import Outcome, send_one
from notifications.tasks import send_notification
from tests.factories import make_agreement

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
NOW = datetime.datetime(2026, 6, 10, 9, 0, tzinfo=TZ)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _agreement(team, owner, title, review_on):
    return make_agreement(
        team=team,
        owner=owner,
        title=title,
        agreed_on=datetime.date(2025, 9, 1),
        review_on=review_on,
    )


@pytest.fixture
def overdue(team, member):
    return [
        _agreement(team, member, "Zo plannen we", datetime.date(2026, 3, 20)),
        _agreement(team, member, "Zo vervangen we elkaar", datetime.date(2026, 4, 2)),
    ]


def test_signal_on_the_team_and_manager_dashboards(client_for, team, manager, overdue):
    _agreement(team, overdue[0].current.owner, "Klachten", datetime.date(2026, 6, 10))  # due today
    client = client_for(manager)
    for url in (reverse("dashboard:team", args=[team.slug]), reverse("dashboard:index")):
        html = client.get(url).content.decode()
        assert "2 werkafspraken niet herzien sinds maart" in html, url


def test_signal_in_english_and_gone_when_retired(team, member, overdue):
    with translation.override("en"):
        signals = teamwork_signals(teamwork_figures(team_ids=[team.pk], on=TODAY)[team.pk])
        assert [s.text for s in signals if s.kind == "agreements"] == [
            "2 agreements not reviewed since March"
        ]
    for agreement in overdue:
        agreement_retire(agreement=agreement, actor=member, reason="Anders geregeld")
    signals = teamwork_signals(teamwork_figures(team_ids=[team.pk], on=TODAY)[team.pk])
    assert [s for s in signals if s.kind == "agreements"] == []


def test_a_year_ago_names_the_year(team, member):
    _agreement(team, member, "Oud", datetime.date(2025, 11, 1))
    signals = teamwork_signals(teamwork_figures(team_ids=[team.pk], on=TODAY)[team.pk])
    assert "1 werkafspraak niet herzien sinds november 2025" in [s.text for s in signals]


def test_the_owner_gets_one_reminder_per_agreement(team, member, overdue):
    outcomes = reminders.send_review_reminders()
    assert outcomes[Outcome.SENT] == 2
    assert sorted(m.subject for m in mail.outbox) == [
        "Tijd om de werkafspraak “Zo plannen we” (Vergunningen) te herzien",
        "Tijd om de werkafspraak “Zo vervangen we elkaar” (Vergunningen) te herzien",
    ]
    assert {m.to[0] for m in mail.outbox} == {member.email}
    assert reminders.send_review_reminders()[Outcome.SENT] == 0  # twice run: still two
    call_command("send_agreement_reminders", stdout=StringIO())
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        assert reminders.send_review_reminders()[Outcome.SENT] == 0  # next day: none either
    assert len(mail.outbox) == 2
    assert ReminderLog.objects.filter(kind="agreement_review").count() == 2


def test_paused_owner_gets_none_until_the_pause_ends(team, member, overdue):
    member.reminders_paused_until = TODAY + datetime.timedelta(days=3)
    member.save()
    assert reminders.send_review_reminders()[Outcome.SENT] == 0
    assert mail.outbox == []
    with time_machine.travel(NOW + datetime.timedelta(days=4), tick=False):
        assert reminders.send_review_reminders()[Outcome.SENT] == 2
    assert len(mail.outbox) == 2


def test_not_yet_due_or_retired_gets_none(team, member):
    _agreement(team, member, "Nog goed", datetime.date(2026, 6, 10))
    retired = _agreement(team, member, "Ingetrokken", datetime.date(2026, 1, 1))
    agreement_retire(agreement=retired, actor=member, reason="klaar")
    assert reminders.send_review_reminders()[Outcome.SENT] == 0


def test_the_plan_enqueues_one_task_per_agreement(team, member, overdue, monkeypatch):
    queued = []
    monkeypatch.setattr(send_notification, "delay", lambda *args: queued.append(args))
    assert tasks.plan_agreement_reminders.delay().get() == 2
    # Each send task sends its own agreement's e-mail (one owner, two agreements).
    for kind, recipient_id, params in queued:
        assert (
            send_one(kind=kind, recipient_id=recipient_id, params=params, claim_token=f"t{params}")
            == Outcome.SENT
        )
    assert len(mail.outbox) == 2

"""Scan e-mails: an invitation when a round opens, one reminder, each exactly once."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ontwikkeling import notifications, services
from ontwikkeling.models import ScanNotification
from tests.factories import EmployeeFactory, MembershipFactory
from tests.ontwikkeling.helpers import make_round, new_member, respond

TODAY = timezone.localdate()


def test_opening_a_round_invites_the_members_after_commit(
    team, member, manager, django_capture_on_commit_callbacks
):
    english = new_member(team, preferred_language="en", name="Emma English")
    new_member(team, email="")  # no address: skipped
    gone = EmployeeFactory()
    MembershipFactory(
        employee=gone,
        team=team,
        since=TODAY - datetime.timedelta(days=300),
        until=TODAY - datetime.timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        scan_round = services.open_scan_round(
            team=team, opened_by=manager, closes_on=TODAY + datetime.timedelta(days=14)
        )
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, english.email])
    dutch = next(m for m in mail.outbox if m.to == [member.email])
    assert dutch.subject == "Teamscan voor Vergunningen: hoe werkt jouw team?"
    assert "/ontwikkeling/teams/vergunningen/scan/" in dutch.body
    assert "Hallo Mila," in dutch.body
    english_mail = next(m for m in mail.outbox if m.to == [english.email])
    assert english_mail.subject == "Team scan for Vergunningen: how does your team work?"
    assert ScanNotification.objects.filter(round=scan_round, kind="invitation").count() == 2


def test_invitations_are_sent_once(team, member):
    scan_round = make_round(team)
    assert notifications.send_scan_invitations(round_id=scan_round.pk) == 1
    assert notifications.send_scan_invitations(round_id=scan_round.pk) == 0
    assert len(mail.outbox) == 1


def test_no_invitation_for_a_closed_or_missing_round(team, member):
    scan_round = make_round(team, opens_on=TODAY - datetime.timedelta(days=30))
    assert notifications.send_scan_invitations(round_id=scan_round.pk) == 0
    assert notifications.send_scan_invitations(round_id=999_999) == 0
    assert mail.outbox == []


def test_one_reminder_only_for_members_who_have_not_answered(team, member):
    answered = new_member(team)
    scan_round = make_round(team, closes_on=TODAY + datetime.timedelta(days=2))
    respond(scan_round, answered)
    assert notifications.send_scan_reminders(days=3) == 1
    assert mail.outbox[0].to == [member.email]
    assert mail.outbox[0].subject == "Herinnering: de teamscan voor Vergunningen sluit bijna"
    assert notifications.send_scan_reminders(days=3) == 0
    assert len(mail.outbox) == 1


def test_no_reminder_while_the_round_is_far_from_closing(team, member):
    make_round(team, closes_on=TODAY + datetime.timedelta(days=10))
    assert notifications.send_scan_reminders(days=3) == 0


def test_reminder_command_and_task(team, member, settings):
    settings.ZS_SCAN_REMINDER_DAYS = 5
    make_round(team, closes_on=TODAY + datetime.timedelta(days=4))
    from ontwikkeling.tasks import send_scan_reminders_task

    assert send_scan_reminders_task.delay().get() == 1
    call_command("send_scan_reminders", "--days", "5", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1


def test_failed_send_releases_the_claim(team, member, monkeypatch):
    scan_round = make_round(team)

    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr(notifications, "send_mail", broken)
    with pytest.raises(OSError):
        notifications.send_scan_invitations(round_id=scan_round.pk)
    assert not ScanNotification.objects.exists()
    monkeypatch.undo()
    assert notifications.send_scan_invitations(round_id=scan_round.pk) == 1

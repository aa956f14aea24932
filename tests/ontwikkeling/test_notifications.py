"""Scan e-mails: an invitation when a round opens, one reminder, each exactly once, through
the notifications app (claim in ReminderLog, retries, failures recorded)."""

import datetime
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.utils import timezone

from notifications.models import ReminderLog, ReminderStatus
from notifications.sending import Outcome
from notifications.tasks import send_notification
from ontwikkeling import notifications, services, tasks
from ontwikkeling.notifications import ScanKind
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
    logs = ReminderLog.objects.filter(
        kind=ScanKind.SCAN_INVITATION, period=f"scan-round-{scan_round.pk}"
    )
    assert sorted(logs.values_list("recipient_id", "status")) == sorted(
        [(member.pk, "sent"), (english.pk, "sent")]
    )
    assert dutch.extra_headers["Message-ID"].startswith(
        f"<zelfsturing.scan_invitation.scan-round-{scan_round.pk}.{member.pk}@"
    )


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


def test_a_failed_send_is_recorded_and_the_next_run_sends(team, member, settings):
    scan_round = make_round(team)
    settings.EMAIL_BACKEND = "tests.ontwikkeling.test_notifications.FlakyBackend"
    FlakyBackend.reset(failures=100)
    assert notifications.send_scan_invitations(round_id=scan_round.pk) == 0
    log = ReminderLog.objects.get(recipient=member, kind=ScanKind.SCAN_INVITATION)
    assert log.status == ReminderStatus.FAILED and "451" in log.last_error
    FlakyBackend.reset(failures=0)
    assert notifications.send_scan_invitations(round_id=scan_round.pk) == 1
    log.refresh_from_db()
    assert (log.status, log.last_error) == ("sent", "")


class FlakyBackend(EmailBackend):
    """locmem, but the first `failures` messages get a temporary (or `code`) refusal."""

    failures = 0
    code = 451
    calls = 0

    @classmethod
    def reset(cls, *, failures, code=451):
        cls.failures, cls.code, cls.calls = failures, code, 0

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.calls <= FlakyBackend.failures:
            raise smtplib.SMTPDataError(FlakyBackend.code, b"Try again later")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.ontwikkeling.test_notifications.FlakyBackend"
    FlakyBackend.reset(failures=0)
    monkeypatch.setattr(send_notification, "max_retries", 3)
    # Eager Celery runs retries in-process, right away, unless it propagates the Retry.
    monkeypatch.setitem(send_notification.app.conf, "task_eager_propagates", False)
    return FlakyBackend


def test_the_plans_enqueue_the_one_send_task_of_the_notifications_app(team, member, monkeypatch):
    sent = []
    monkeypatch.setattr(send_notification, "delay", lambda *args: sent.append(args))
    scan_round = make_round(team, closes_on=TODAY + datetime.timedelta(days=2))
    assert tasks.send_scan_invitations_task.delay(scan_round.pk).get() == 1
    assert tasks.send_scan_reminders_task.delay().get() == 1
    params = {"round_id": scan_round.pk, "on": TODAY.isoformat()}
    assert sent == [
        ("scan_invitation", member.pk, params),
        ("scan_reminder", member.pk, params),
    ]


def test_a_failing_invitation_is_retried_then_recorded_as_failed(
    team, member, manager, flaky, django_capture_on_commit_callbacks
):
    flaky.reset(failures=100)
    with django_capture_on_commit_callbacks(execute=True):
        scan_round = services.open_scan_round(
            team=team, opened_by=manager, closes_on=TODAY + datetime.timedelta(days=14)
        )
    assert mail.outbox == []
    assert flaky.calls == 4  # the first try and three retries
    log = ReminderLog.objects.get(recipient=member)
    assert (log.kind, log.period) == ("scan_invitation", f"scan-round-{scan_round.pk}")
    assert (log.status, log.attempts) == ("failed", 4)
    assert "SMTPDataError" in log.last_error and "451" in log.last_error
    # once the mail server works again, the next run delivers it, once
    flaky.reset(failures=0)
    assert tasks.send_scan_invitations_task.delay(scan_round.pk).get() == 1
    assert tasks.send_scan_invitations_task.delay(scan_round.pk).get() == 0
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert ReminderLog.objects.get(recipient=member).status == "sent"


def test_a_refusing_mail_server_is_retried_then_the_reminder_delivered_once(team, member, flaky):
    scan_round = make_round(team, closes_on=TODAY + datetime.timedelta(days=2))
    flaky.reset(failures=2)
    assert tasks.send_scan_reminders_task.delay().get() == 1
    assert tasks.send_scan_reminders_task.delay().get() == 0  # sent: not enqueued again
    outcome = send_notification.delay(
        ScanKind.SCAN_REMINDER, member.pk, {"round_id": scan_round.pk, "on": TODAY.isoformat()}
    ).get()
    assert outcome == Outcome.ALREADY_SENT  # a task delivered twice sends nothing
    assert [m.to for m in mail.outbox] == [[member.email]]
    log = ReminderLog.objects.get(recipient=member)
    assert (log.kind, log.status, log.attempts) == ("scan_reminder", "sent", 3)


def test_a_permanent_refusal_is_recorded_without_retrying(team, member, flaky):
    scan_round = make_round(team)
    flaky.reset(failures=100, code=550)
    tasks.send_scan_invitations_task.delay(scan_round.pk)
    log = ReminderLog.objects.get(recipient=member)
    assert (log.status, log.attempts, flaky.calls) == ("failed", 1, 1)


def test_a_member_who_answered_before_the_task_ran_gets_no_reminder(team, member):
    scan_round = make_round(team, closes_on=TODAY + datetime.timedelta(days=2))
    respond(scan_round, member)
    outcome = send_notification.delay(
        ScanKind.SCAN_REMINDER, member.pk, {"round_id": scan_round.pk, "on": TODAY.isoformat()}
    ).get()
    assert outcome == Outcome.NOTHING_TO_SEND
    assert mail.outbox == [] and not ReminderLog.objects.exists()


def test_the_command_reports_failures(team, member, settings):
    make_round(team, closes_on=TODAY + datetime.timedelta(days=2))
    settings.EMAIL_BACKEND = "tests.ontwikkeling.test_notifications.FlakyBackend"
    FlakyBackend.reset(failures=100)
    out = StringIO()
    with pytest.raises(CommandError, match="1 reminder"):
        call_command("send_scan_reminders", "--days", "3", stdout=out)
    assert "0 reminder(s) sent" in out.getvalue()
    assert ReminderLog.objects.get(recipient=member).status == "failed"


def test_scan_emails_are_listed_in_the_reminder_log_admin(team, member, superuser, client):
    scan_round = make_round(team)
    notifications.send_scan_invitations(round_id=scan_round.pk)
    client.force_login(superuser)
    response = client.get("/admin/notifications/reminderlog/?kind=scan_invitation")
    assert response.status_code == 200
    assert f"scan-round-{scan_round.pk}" in response.content.decode()

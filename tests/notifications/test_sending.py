"""Claim before send, send once, lease take-over, one Message-ID for every attempt, permanent
and temporary SMTP errors, the retry policy: with a kind of the tests' own (conftest)."""

import datetime
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from notifications import sending, tasks
from notifications.models import ReminderLog, ReminderStatus
from notifications.sending import Outcome, claim, is_permanent, is_transient, send_one
from tests.factories import EmployeeFactory
from tests.notifications.conftest import PING

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ping_kind")]

NOW = datetime.datetime(2026, 11, 30, 7, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.SITE_URL = "https://zelfsturing.example.nl"
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def ann():
    return EmployeeFactory(name="Ann", preferred_language="en")


def params(*people, period="2026-11-30"):
    return {"to": [p.pk for p in people], "period": period}


def send(person, token="task-1", last_attempt=True, **kwargs):  # noqa: S107 - a task id
    return send_one(
        kind=PING,
        recipient_id=person.pk,
        params=params(person, **kwargs),
        claim_token=token,
        last_attempt=last_attempt,
    )


def test_the_message_from_the_kinds_templates_with_its_headers(ann):
    assert send(ann) == Outcome.SENT
    [message] = mail.outbox
    assert message.subject == "Ping ping (en)" and message.to == [ann.email]
    assert message.body == "Hello Ann: ping\n"
    assert message.alternatives[0] == ('<html lang="en"><p>ping</p></html>\n', "text/html")
    assert message.extra_headers == {
        "Message-ID": f"<zelfsturing.test_ping.2026-11-30.{ann.pk}@zelfsturing.example.nl>",
        "Auto-Submitted": "auto-generated",
    }
    log = ReminderLog.objects.get()
    assert (log.kind, log.period, log.status, log.attempts, log.item_count) == (
        PING,
        "2026-11-30",
        ReminderStatus.SENT,
        1,
        1,
    )
    assert log.sent_at == timezone.now() and log.claim_token == "task-1"


def test_sent_once_per_period(ann):
    assert send(ann) == Outcome.SENT
    assert send(ann, token="task-2") == Outcome.ALREADY_SENT
    assert send(ann, token="task-2", period="2026-12-01") == Outcome.SENT
    assert len(mail.outbox) == 2


def test_nobody_due_writes_nothing(ann):
    outcome = send_one(
        kind=PING, recipient_id=ann.pk, params=params(), claim_token="t", last_attempt=True
    )
    assert outcome == Outcome.NOTHING_TO_SEND and not ReminderLog.objects.exists()


def test_a_claim_held_by_a_living_sender_is_left_alone(ann):
    assert claim(recipient_id=ann.pk, kind=PING, period="2026-11-30", token="worker-a")
    assert send(ann, token="worker-b") == Outcome.IN_PROGRESS and mail.outbox == []
    just_inside = NOW + datetime.timedelta(seconds=60)
    with time_machine.travel(just_inside, tick=False):
        assert send(ann, token="worker-b") == Outcome.IN_PROGRESS


def test_a_claim_of_a_killed_worker_is_taken_over_after_the_lease(ann, settings):
    claim(recipient_id=ann.pk, kind=PING, period="2026-11-30", token="killed")
    later = NOW + datetime.timedelta(seconds=settings.ZS_REMINDER_LEASE_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert send(ann, token="rerun") == Outcome.SENT
    log = ReminderLog.objects.get(recipient=ann)
    assert (log.status, log.attempts, log.claim_token) == ("sent", 2, "rerun")
    assert send(ann, token="rerun") == Outcome.ALREADY_SENT and len(mail.outbox) == 1


def test_a_redelivered_task_takes_over_its_own_claim(ann):
    claim(recipient_id=ann.pk, kind=PING, period="2026-11-30", token="task-1")
    assert send(ann, token="task-1") == Outcome.SENT and len(mail.outbox) == 1


def test_only_one_of_two_takers_wins_a_failed_claim(ann):
    claim(recipient_id=ann.pk, kind=PING, period="2026-11-30", token="first")
    ReminderLog.objects.update(status=ReminderStatus.FAILED)
    assert claim(recipient_id=ann.pk, kind=PING, period="2026-11-30", token="a")
    assert claim(recipient_id=ann.pk, kind=PING, period="2026-11-30", token="b") is None


class Refusing(EmailBackend):
    """locmem that records every attempt, and refuses the first `failures` with `code`."""

    failures, code, attempts = 0, 451, []

    def send_messages(self, messages):
        Refusing.attempts.extend(m.extra_headers["Message-ID"] for m in messages)
        if len(Refusing.attempts) <= Refusing.failures:
            raise smtplib.SMTPDataError(Refusing.code, b"Try again later")
        return super().send_messages(messages)


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = f"{__name__}.Refusing"
    Refusing.failures, Refusing.code, Refusing.attempts = 0, 451, []
    return Refusing


def test_a_temporary_error_keeps_the_claim_for_the_retry_with_the_same_message_id(ann, refusing):
    refusing.failures = 1
    with pytest.raises(smtplib.SMTPDataError):
        send(ann, last_attempt=False)
    log = ReminderLog.objects.get()
    assert (log.status, log.claim_token) == ("sending", "task-1")
    assert "451" in log.last_error
    assert send(ann, token="someone-else") == Outcome.IN_PROGRESS  # still claimed
    assert send(ann) == Outcome.SENT  # the retry carries the task's token
    first, second = refusing.attempts
    assert first == second  # one Message-ID for every attempt
    log.refresh_from_db()
    assert (log.status, log.attempts, log.last_error) == ("sent", 2, "")


def test_a_temporary_error_on_the_last_attempt_is_recorded_as_failed(ann, refusing):
    refusing.failures = 1
    assert send(ann, last_attempt=True) == Outcome.FAILED
    assert ReminderLog.objects.get().status == ReminderStatus.FAILED
    assert send(ann, token="later-run") == Outcome.SENT  # a later run tries again


def test_a_permanent_error_is_recorded_at_once(ann, refusing):
    refusing.failures, refusing.code = 1, 550
    assert send(ann, last_attempt=False) == Outcome.FAILED  # not raised: no retry
    log = ReminderLog.objects.get()
    assert log.status == ReminderStatus.FAILED and "550" in log.last_error


def test_a_permanently_refused_recipient_is_marked_with_the_servers_answer(ann, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingRecipient"
    assert send(ann, last_attempt=False) == Outcome.FAILED  # permanent: not raised, no retry
    log = ReminderLog.objects.get()
    assert log.status == ReminderStatus.FAILED
    assert log.last_error == f"SMTPRecipientsRefused: {ann.email}: 550 5.1.1 No such user"


class RefusingRecipient(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused(
            {m.to[0]: (550, b"5.1.1 No such user") for m in messages}
        )


def test_a_bug_while_building_the_message_is_recorded_and_raised(ann):
    def broken():
        raise ValueError("template bug")

    with pytest.raises(ValueError):
        sending.send_once(recipient=ann, kind=PING, period="p", build_message=broken)
    log = ReminderLog.objects.get()
    assert log.status == ReminderStatus.FAILED and "template bug" in log.last_error


@pytest.mark.parametrize(
    ("error", "permanent", "transient"),
    [
        (smtplib.SMTPDataError(451, b"later"), False, True),
        (smtplib.SMTPDataError(550, b"no such user"), True, False),
        (smtplib.SMTPSenderRefused(553, b"no", "x@example.org"), True, False),
        (smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no")}), True, False),
        # Greylisting: "try later" to RCPT TO is temporary, not a refused recipient.
        (smtplib.SMTPRecipientsRefused({"x@example.org": (451, b"later")}), False, True),
        (smtplib.SMTPConnectError(421, b"busy"), False, True),
        (smtplib.SMTPConnectError(554, b"go away"), True, False),
        (smtplib.SMTPSenderRefused(452, b"full", "x@example.org"), False, True),
        (smtplib.SMTPServerDisconnected("gone"), False, True),
        (ConnectionRefusedError(), False, True),
        (ValueError("bug"), False, False),
    ],
)
def test_permanent_and_temporary_errors(error, permanent, transient):
    assert (is_permanent(error), is_transient(error)) == (permanent, transient)


def test_the_send_task_carries_the_retry_policy(settings):
    task = tasks.send_notification
    assert task.max_retries == settings.ZS_REMINDER_MAX_RETRIES
    assert task.retry_backoff == settings.ZS_REMINDER_RETRY_BACKOFF
    assert task.autoretry_for == (OSError,) and task.retry_jitter
    assert (
        task.retry_backoff_max
        <= 600
        < settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 10**9)
    )


def test_the_send_task_retries_then_delivers_once(ann, refusing, monkeypatch):
    refusing.failures = 2
    monkeypatch.setattr(tasks.send_notification, "max_retries", 3)
    monkeypatch.setitem(tasks.send_notification.app.conf, "task_eager_propagates", False)
    assert tasks.enqueue(sending.due(kind=PING, params=params(ann))) == 1
    assert [m.to for m in mail.outbox] == [[ann.email]]
    assert len(set(refusing.attempts)) == 1 and len(refusing.attempts) == 3
    log = ReminderLog.objects.get()
    assert (log.status, log.attempts) == ("sent", 3)
    assert sending.due(kind=PING, params=params(ann)) == []  # sent: not enqueued again


def test_send_all_goes_on_after_a_failure_and_reports_it(ann, refusing):
    bob = EmployeeFactory(name="Bob")
    refusing.failures = 1
    report = sending.send_all(sending.due(kind=PING, params=params(ann, bob)))
    assert report.outcomes == {Outcome.FAILED: 1, Outcome.SENT: 1}
    assert [n.recipient for n in report.failed] == [ann]


def test_the_admin_lists_the_log_read_only_with_the_kinds_label(ann, refusing, superuser, client):
    refusing.failures = 1
    send(ann)
    ReminderLog.objects.create(
        recipient=ann, kind="retired_kind", period="2025-W01", status="sent", sent_at=NOW
    )
    client.force_login(superuser)
    listing = client.get("/admin/notifications/reminderlog/?kind=test_ping")
    html = listing.content.decode()
    assert listing.status_code == 200 and "test ping" in html and "mislukt" in html
    assert "retired_kind" not in html
    everything = client.get("/admin/notifications/reminderlog/").content.decode()
    assert "retired_kind" in everything  # a kind nobody registers any more still shows
    log = ReminderLog.objects.get(kind=PING)
    detail = client.get(f"/admin/notifications/reminderlog/{log.pk}/change/").content.decode()
    assert "SMTPDataError" in detail and 'name="_save"' not in detail
    assert client.post(f"/admin/notifications/reminderlog/{log.pk}/change/", {}).status_code == 403
    assert client.get("/admin/notifications/reminderlog/add/").status_code == 403


def test_the_personal_data_page_lists_the_reminder_log(ann):
    from portal.privacy import personal_data

    send(ann)
    records = {r["kind"]: r for r in personal_data(employee=ann)["other_records"]}
    rows = records["notifications.reminderlog"]["rows"]
    assert [(row["kind"], row["period"], row["status"]) for row in rows] == [
        (PING, "2026-11-30", "sent")
    ]

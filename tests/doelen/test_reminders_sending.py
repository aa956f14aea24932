"""Sending reminders: e-mails in both languages, exactly once, retries and recorded failures."""

import datetime
import smtplib
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doelen import reminders, tasks
from doelen.reminders import ReminderKind, send_all
from notifications.models import ReminderLog, ReminderStatus
from notifications.sending import Outcome
from notifications.tasks import send_notification
from teams.models import Language
from tests.doelen.reminder_helpers import NOW, TODAY, quiet_goal
from tests.factories import EmployeeFactory, MembershipFactory, TeamFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen(settings):
    settings.SITE_URL = "https://zelfsturing.example.nl"
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def people():
    """Two owners (Dutch and English) with stale goals, and a team goal without owner."""
    team = TeamFactory(name="Vergunningen")
    nl = EmployeeFactory(username="nl", name="Noor Jansen", preferred_language=Language.DUTCH)
    en = EmployeeFactory(username="en", name="Emma Smith", preferred_language=Language.ENGLISH)
    MembershipFactory(team=team, employee=nl)
    MembershipFactory(team=team, employee=en)
    quiet_goal(team=team, owner=nl, days_quiet=20, title="Wachttijd <balie> & telefoon")
    quiet_goal(team=team, owner=en, days_quiet=20, title="Digitale aanvragen")
    quiet_goal(team=team, owner=None, days_quiet=20, title="Teamdoel zonder eigenaar")
    return nl, en


def mailbox():
    return sorted((m.to[0], m.subject) for m in mail.outbox)


def test_each_person_gets_one_email_in_their_language(people):
    nl, en = people
    report = send_all(kind=ReminderKind.DAILY, on=TODAY)
    assert report.outcomes == {Outcome.SENT: 2}
    by_to = {m.to[0]: m for m in mail.outbox}
    dutch, english = by_to[nl.email], by_to[en.email]
    assert dutch.subject == "Herinnering: 2 doelen wachten op een voortgangsupdate"
    assert english.subject == "Reminder: 2 goals are waiting for a progress update"
    assert "Hallo Noor," in dutch.body and "Hello Emma," in english.body
    assert "Wachttijd <balie> & telefoon" in dutch.body  # plain text is not HTML-escaped
    html, mimetype = dutch.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="nl">' in html and "<title>Herinnering" in html
    assert "Wachttijd &lt;balie&gt; &amp; telefoon" in html
    assert '<html lang="en">' in english.alternatives[0][0]
    for goal_title, message in (("Wachttijd", dutch), ("Digitale", english)):
        goal = nl.owned_goals.first() if message is dutch else en.owned_goals.first()
        link = f"https://zelfsturing.example.nl{goal.get_absolute_url()}"
        assert link in message.body and f'href="{link}"' in message.alternatives[0][0]
        assert goal_title in message.body
    assert "https://zelfsturing.example.nl/instellingen/" in dutch.body
    assert dutch.extra_headers["Message-ID"].startswith("<zelfsturing.daily.2026-11-30.")


def test_the_digest_in_both_languages(people, settings):
    settings.ZS_MIN_ROLE_HOLDERS = 1
    nl, en = people
    team = nl.memberships.get().team
    team.managers.add(nl, en)
    send_all(kind=ReminderKind.DIGEST, on=TODAY)
    by_to = {m.to[0]: m for m in mail.outbox}
    assert by_to[nl.email].subject == "Weekoverzicht van je teams (week 49)"
    assert by_to[en.email].subject == "Weekly overview of your teams (week 49)"
    body = by_to[nl.email].body
    assert "== Vergunningen ==" in body and "Teamdoel zonder eigenaar" in body
    assert "geen eigenaar" in body and "0 rolhouders" in body
    html = by_to[en.email].alternatives[0][0]
    assert "<h2><a href=" in html and "0 holders" in html
    log = ReminderLog.objects.get(recipient=nl, kind=ReminderKind.DIGEST)
    assert (log.period, log.status, log.item_count) == ("2026-W49", ReminderStatus.SENT, 3)


def test_running_twice_sends_nothing_twice(people):
    send_all(kind=ReminderKind.DAILY, on=TODAY)
    first = mailbox()
    report = send_all(kind=ReminderKind.DAILY, on=TODAY)
    assert report.outcomes == {Outcome.ALREADY_SENT: 2}
    assert mailbox() == first and len(first) == 2
    # the next day is another period
    send_all(kind=ReminderKind.DAILY, on=TODAY + datetime.timedelta(days=1))
    assert len(mail.outbox) == 4


def test_the_celery_job_run_twice_sends_each_reminder_once(people):
    assert tasks.plan_daily_reminders.delay(TODAY.isoformat()).get() == 2
    assert tasks.plan_daily_reminders.delay(TODAY.isoformat()).get() == 0  # all sent
    # even a task enqueued twice sends once
    nl, _en = people
    outcome = send_notification.delay(ReminderKind.DAILY, nl.pk, {"on": TODAY.isoformat()}).get()
    assert outcome == Outcome.ALREADY_SENT
    assert len(mail.outbox) == 2
    assert set(ReminderLog.objects.values_list("status", "attempts")) == {("sent", 1)}


class FlakyBackend(EmailBackend):
    """locmem, but the first `failures` messages get a temporary (or `code`) refusal."""

    failures = 0
    code = 451
    calls = 0

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.calls <= FlakyBackend.failures:
            raise smtplib.SMTPDataError(FlakyBackend.code, b"Try again later")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.doelen.test_reminders_sending.FlakyBackend"
    FlakyBackend.calls = 0
    FlakyBackend.code = 451
    monkeypatch.setattr(send_notification, "max_retries", 3)
    # Eager Celery runs retries in-process, right away, unless it propagates the Retry.
    monkeypatch.setitem(send_notification.app.conf, "task_eager_propagates", False)
    return FlakyBackend


def test_a_refusing_mail_server_is_retried_then_delivered_once(people, flaky):
    nl, _en = people
    flaky.failures = 2
    send_notification.delay(ReminderKind.DAILY, nl.pk, {"on": TODAY.isoformat()})
    assert [m.to for m in mail.outbox] == [[nl.email]]
    log = ReminderLog.objects.get(recipient=nl)
    assert (log.status, log.attempts, log.last_error) == ("sent", 3, "")


def test_after_the_last_retry_the_failure_is_recorded(people, flaky):
    nl, _en = people
    flaky.failures = 100
    send_notification.delay(ReminderKind.DAILY, nl.pk, {"on": TODAY.isoformat()})
    assert mail.outbox == []
    log = ReminderLog.objects.get(recipient=nl)
    assert (log.status, log.attempts) == ("failed", 4)  # the first try and three retries
    assert "451" in log.last_error and "SMTPDataError" in log.last_error
    # once the mail server works again, a new run delivers it
    flaky.failures = 0
    assert send_all(kind=ReminderKind.DAILY, on=TODAY).outcomes[Outcome.SENT] == 2
    assert ReminderLog.objects.get(recipient=nl).status == "sent"


def test_a_permanent_refusal_is_recorded_without_retrying(people, flaky):
    nl, _en = people
    flaky.failures, flaky.code = 100, 550
    send_notification.delay(ReminderKind.DAILY, nl.pk, {"on": TODAY.isoformat()})
    log = ReminderLog.objects.get(recipient=nl)
    assert (log.status, log.attempts, flaky.calls) == ("failed", 1, 1)


def test_one_failure_does_not_stop_the_run(people, flaky):
    flaky.failures = 1
    report = send_all(kind=ReminderKind.DAILY, on=TODAY)
    assert report.outcomes == {Outcome.FAILED: 1, Outcome.SENT: 1}
    assert len(mail.outbox) == 1


def test_someone_no_longer_stale_when_the_task_runs_gets_nothing(people):
    nl, _en = people
    nl.reminders_paused_until = TODAY
    nl.save()
    outcome = send_notification.delay(ReminderKind.DAILY, nl.pk, {"on": TODAY.isoformat()}).get()
    assert outcome == Outcome.NOTHING_TO_SEND and not ReminderLog.objects.exists()


def test_sending_costs_a_fixed_number_of_queries_per_person():
    def grow(count):
        for _ in range(count):
            quiet_goal(team=TeamFactory(), owner=EmployeeFactory(), days_quiet=20)

    def queries():
        ReminderLog.objects.all().delete()
        with CaptureQueriesContext(connection) as first:
            send_all(kind=ReminderKind.DAILY, on=TODAY)
        with CaptureQueriesContext(connection) as again:
            send_all(kind=ReminderKind.DAILY, on=TODAY)
        return len(first), len(again)

    grow(3)
    small, small_again = queries()
    grow(9)
    large, large_again = queries()
    per_person = (large - small) / 9
    # a claim (INSERT, with BEGIN and COMMIT on SQLite) and marking it sent (UPDATE)
    assert per_person == int(per_person) <= 4
    assert small - 3 * per_person == large - 12 * per_person  # same fixed part
    assert small_again == large_again  # a re-run costs the same whatever the number of people


# The management command


def test_dry_run_lists_and_changes_nothing(people):
    out = StringIO()
    call_command("send_reminders", "--dry-run", "--date", "2026-11-30", stdout=out)
    text = out.getvalue()
    assert "Noor Jansen <nl@example.org>: 2 goal(s)" in text
    assert "2 e-mail(s) would be sent (0 sent already)" in text
    assert mail.outbox == [] and not ReminderLog.objects.exists()


def test_the_command_sends_once(people):
    out = StringIO()
    call_command("send_reminders", "--date", "2026-11-30", stdout=out)
    call_command("send_reminders", "--date", "2026-11-30", stdout=out)
    assert "daily 2026-11-30: sent: 2." in out.getvalue()
    assert "daily 2026-11-30: already_sent: 2." in out.getvalue()
    assert len(mail.outbox) == 2


def test_the_command_sends_the_digest(people, settings):
    settings.ZS_MIN_ROLE_HOLDERS = 1
    nl, _en = people
    nl.memberships.get().team.managers.add(nl)
    out = StringIO()
    call_command("send_reminders", "--kind", "digest", stdout=out)
    assert "digest 2026-W49: sent: 1." in out.getvalue()
    assert mail.outbox[0].subject.startswith("Weekoverzicht")


@pytest.mark.parametrize("value", ["30-11-2026", "2026-02-30", "morgen"])
def test_the_command_refuses_a_bad_date(value):
    with pytest.raises(CommandError, match="--date: expected a date as YYYY-MM-DD"):
        call_command("send_reminders", "--date", value)


def test_the_command_reports_failures(people, flaky):
    flaky.failures = 100
    with pytest.raises(CommandError, match="marked failed in the reminder log"):
        call_command("send_reminders", stdout=StringIO(), stderr=StringIO())
    assert set(ReminderLog.objects.values_list("status", flat=True)) == {"failed"}


def test_the_beat_schedule_plans_both_jobs(settings):
    tasks_planned = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks_planned >= {
        "doelen.tasks.plan_daily_reminders",
        "doelen.tasks.plan_weekly_digests",
    }
    digest = settings.CELERY_BEAT_SCHEDULE["weekly-manager-digest"]["schedule"]
    assert digest.day_of_week == {1}
    assert reminders.period_for(kind="digest", on=datetime.date(2027, 1, 1)) == "2026-W53"


def test_failures_are_visible_in_the_admin_and_read_only(people, flaky, superuser, client):
    flaky.failures = 100
    send_all(kind=ReminderKind.DAILY, on=TODAY)
    client.force_login(superuser)
    listing = client.get("/admin/notifications/reminderlog/?status__exact=failed")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Noor Jansen" in html and "Emma Smith" in html and "mislukt" in html
    log = ReminderLog.objects.get(recipient=people[0])
    detail = client.get(f"/admin/notifications/reminderlog/{log.pk}/change/").content.decode()
    assert "SMTPDataError" in detail and 'name="_save"' not in detail
    assert client.post(f"/admin/notifications/reminderlog/{log.pk}/change/", {}).status_code == 403
    assert client.get("/admin/notifications/reminderlog/add/").status_code == 403

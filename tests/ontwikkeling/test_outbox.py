"""After-commit work is never lost: opening a scan round with the broker down answers
normally, the job waits in the database, and the sweep sends the invitations once."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from notifications import outbox
from notifications.models import PendingJob, ReminderLog
from notifications.tasks import run_pending_job
from ontwikkeling.models import ScanRound
from tests.ontwikkeling.helpers import new_member

TODAY = timezone.localdate()


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(run_pending_job, "delay", refuse)
    return monkeypatch


@pytest.mark.django_db(transaction=True)
def test_a_round_opened_while_the_broker_is_down_sends_its_invitations_after_the_sweep(
    team, member, manager, client, broker_down
):
    colleague = new_member(team, name="Cor Collega")
    client.force_login(manager)
    response = client.post(
        reverse("ontwikkeling:open_round", kwargs={"slug": team.slug}),
        {"closes_on": (TODAY + datetime.timedelta(days=14)).isoformat()},
    )
    assert response.status_code == 302  # not a 500
    scan_round = ScanRound.objects.get()
    job = PendingJob.objects.get()
    assert (job.task, job.kwargs) == (
        "ontwikkeling.tasks.send_scan_invitations_task",
        {"round_id": scan_round.pk},
    )
    assert job.enqueued_at is None and job.done_at is None and "OperationalError" in job.last_error
    assert mail.outbox == []

    assert outbox.sweep() == 0  # the broker is still down: the job stays
    broker_down.undo()  # the broker is back
    assert outbox.sweep() == 0  # younger than the grace: left to its own hand-over
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=30)):
        out = StringIO()
        call_command("sweep_pending_jobs", stdout=out)
    assert "1 of 1" in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, colleague.email])
    job.refresh_from_db()
    assert job.done_at is not None and job.attempts == 1
    # Nothing is left, and a job that somehow runs again sends nothing twice.
    assert outbox.waiting(grace_seconds=0).count() == 0
    PendingJob.objects.update(done_at=None)
    assert outbox.run(job_id=job.pk) is True
    assert len(mail.outbox) == 2
    assert ReminderLog.objects.filter(status="sent").count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_job_is_recorded_in_the_rounds_transaction(team, member, manager):
    from ontwikkeling import services

    services.open_scan_round(
        team=team, opened_by=manager, closes_on=TODAY + datetime.timedelta(days=7)
    )
    job = PendingJob.objects.get()
    assert job.done_at is not None  # eager Celery ran it after the commit
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_job_handed_over_but_never_finished_is_handed_over_again(settings):
    job = PendingJob.objects.create(task="notifications.tasks.sweep_pending_jobs")
    PendingJob.objects.filter(pk=job.pk).update(enqueued_at=timezone.now())
    assert list(outbox.waiting(grace_seconds=0)) == []
    later = timezone.now() + datetime.timedelta(seconds=settings.ZS_JOB_REQUEUE_SECONDS + 1)
    assert list(outbox.waiting(now=later, grace_seconds=0)) == [job]


def test_the_sweep_runs_every_minute_from_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-sweep-pending-jobs"]
    assert entry["task"] == "notifications.tasks.sweep_pending_jobs"
    assert entry["schedule"] == 60.0

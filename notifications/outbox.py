"""After-commit work that is never lost: record it in the transaction, hand it over after
the commit, sweep up what the broker missed (docs/decisions/0005-faults.md).

    outbox.after_commit("ontwikkeling.tasks.send_scan_invitations_task", round_id=7)

writes a PendingJob row in the caller's transaction and, once that commits, hands the job
to Celery (`notifications.tasks.run_pending_job`). If the broker is down, the page still
answers normally: the row stays pending and `sweep` (beat, every minute, and
`manage.py sweep_pending_jobs`) hands it over once the broker is back. A job may run more
than once (a sweep while it waits in the queue, a worker that died), so the named task must
be idempotent; e-mails are, through the reminder log's claim.
"""

from __future__ import annotations

import datetime
import logging

from celery import Task
from celery.utils.imports import symbol_by_name
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from notifications.models import PendingJob

logger = logging.getLogger(__name__)

# A pending job younger than this is left to its own on_commit hand-over.
SWEEP_GRACE_SECONDS = 10
# Done jobs are kept this long (to see what ran), then removed by the sweep.
KEEP_DONE_DAYS = 30


def after_commit(task: str, **kwargs) -> PendingJob:
    """Record `task(**kwargs)` in the current transaction; hand it to Celery after commit.
    `kwargs` must be JSON-safe (ids, ISO dates)."""
    job = PendingJob.objects.create(task=task, kwargs=kwargs)
    job_id = job.pk
    transaction.on_commit(lambda: hand_over(job_id))
    return job


def hand_over(job_id: int) -> bool:
    """Queue the job; False (logged, the job stays pending for the sweep) when the broker
    cannot be reached. Never raises: it runs after the commit, inside a request."""
    from notifications.tasks import run_pending_job

    try:
        run_pending_job.delay(job_id)
    except Exception as exc:  # kombu's OperationalError, a refused connection, an eager bug
        logger.warning(
            "Job %s not handed to the broker (%s: %s); the sweep will.",
            job_id,
            type(exc).__name__,
            exc,
        )
        PendingJob.objects.filter(pk=job_id).update(last_error=f"{type(exc).__name__}: {exc}")
        return False
    PendingJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
    return True


def run(*, job_id: int) -> bool:
    """Run a pending job in this process (what the worker does); False if it was done."""
    job = PendingJob.objects.filter(pk=job_id, done_at__isnull=True).first()
    if job is None:
        return False
    PendingJob.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1)
    try:
        task = symbol_by_name(job.task)  # imports the owning app's tasks module
        if not isinstance(task, Task):
            raise TypeError(f"{job.task} is not a Celery task")
        task(**job.kwargs)  # in this process: the job is done when it returns
    except Exception as exc:
        PendingJob.objects.filter(pk=job.pk).update(
            last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    PendingJob.objects.filter(pk=job.pk).update(done_at=timezone.now(), last_error="")
    return True


def waiting(*, now: datetime.datetime | None = None, grace_seconds: float = SWEEP_GRACE_SECONDS):
    """The jobs the sweep hands over: not done, and never handed over (older than the
    grace) or handed over longer than ZS_JOB_REQUEUE_SECONDS ago (the broker lost it)."""
    now = now or timezone.now()
    requeue = now - datetime.timedelta(seconds=settings.ZS_JOB_REQUEUE_SECONDS)
    fresh = now - datetime.timedelta(seconds=grace_seconds)
    return PendingJob.objects.filter(done_at__isnull=True).filter(
        Q(enqueued_at__isnull=True, created_at__lt=fresh) | Q(enqueued_at__lt=requeue)
    )


def sweep(*, grace_seconds: float = SWEEP_GRACE_SECONDS) -> int:
    """Hand over every waiting job; how many were handed over. Removes old done jobs."""
    now = timezone.now()
    handed = sum(
        hand_over(job_id)
        for job_id in waiting(now=now, grace_seconds=grace_seconds).values_list("pk", flat=True)
    )
    PendingJob.objects.filter(done_at__lt=now - datetime.timedelta(days=KEEP_DONE_DAYS)).delete()
    return handed

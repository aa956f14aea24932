"""Periodic audit tasks: thin wrappers around audit.services."""

import logging

from celery import shared_task
from django.utils import timezone

from audit import submissions
from audit.services import purge_expired

logger = logging.getLogger(__name__)


@shared_task(name="audit.tasks.purge_expired_audit_events")
def purge_expired_audit_events() -> int:
    """Remove audit events past their retention period (beat: nightly). Idempotent."""
    deleted = purge_expired(today=timezone.localdate())
    logger.info("Removed %d audit events past the retention period.", deleted)
    tokens = submissions.purge_old()
    logger.info(
        "Removed %d one-time form tokens older than %d days.", tokens, submissions.KEEP_DAYS
    )
    return deleted

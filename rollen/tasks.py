"""Celery tasks of the HR import: thin wrappers that pass ids to rollen.imports.jobs."""

from contextlib import suppress

from celery import shared_task
from django.conf import settings
from django.utils import translation

from notifications import sending
from notifications.tasks import enqueue
from rollen import notices
from teams.models import Employee


def _actor(actor_id):
    return Employee.objects.filter(pk=actor_id).first() if actor_id else None


# A whole organisation takes minutes: these two have their own time limit (settings).
SOFT_LIMIT = settings.ZS_IMPORT_TASK_TIME_LIMIT
HARD_LIMIT = SOFT_LIMIT + 60


@shared_task(ignore_result=True, soft_time_limit=SOFT_LIMIT, time_limit=HARD_LIMIT)
def check_import_file_task(import_file_id: int, actor_id: int | None) -> None:
    """Run through notifications.outbox, so possibly more than once: only a job still waiting
    for its check is checked (a late second run must not reset an applied file)."""
    from rollen.imports.jobs import import_file_check
    from rollen.models import ImportFile, ImportStatus

    if not ImportFile.objects.filter(pk=import_file_id, status=ImportStatus.CHECKING).exists():
        return
    with translation.override(settings.LANGUAGE_CODE):
        import_file_check(import_file_id=import_file_id, actor=_actor(actor_id))


@shared_task(ignore_result=True, soft_time_limit=SOFT_LIMIT, time_limit=HARD_LIMIT)
def apply_import_file_task(
    import_file_id: int,
    actor_id: int | None,
    fingerprint: str,
    confirm_ends: bool,
    accept_email_matches: bool,
) -> None:
    """Run through notifications.outbox, so possibly more than once: a second run finds the
    file applied (import_file_apply checks under a row lock) and does nothing."""
    from rollen.imports.jobs import ImportAlreadyApplied, import_file_apply

    with translation.override(settings.LANGUAGE_CODE), suppress(ImportAlreadyApplied):
        import_file_apply(
            import_file_id=import_file_id,
            actor=_actor(actor_id),
            fingerprint=fingerprint,
            confirm_ends=confirm_ends,
            accept_email_matches=accept_email_matches,
        )


@shared_task(ignore_result=True)
def send_email_changed_notice(employee_id: int, old_email: str, period: str) -> int:
    """After an import changed an e-mail address: enqueue the notice to the old address
    (once, through the reminder log: rollen.notices)."""
    found = notices.notifications_for(employee_id=employee_id, old_email=old_email, period=period)
    return enqueue(sending.leave_out_sent(found)[0])


@shared_task(ignore_result=True)
def build_export_file_task(export_file_id: int) -> None:
    """Make a large HR export in the background (rollen.export_jobs)."""
    from rollen.export_jobs import export_file_build

    export_file_build(export_file_id=export_file_id)


@shared_task(ignore_result=True)
def purge_export_files_task() -> None:
    from rollen.export_jobs import purge_export_files

    purge_export_files()

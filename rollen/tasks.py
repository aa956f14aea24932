"""Celery tasks of the HR import: thin wrappers that pass ids to rollen.imports.jobs."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from teams.models import Employee


def _actor(actor_id):
    return Employee.objects.filter(pk=actor_id).first() if actor_id else None


@shared_task(ignore_result=True)
def check_import_file_task(import_file_id: int, actor_id: int | None) -> None:
    from rollen.imports.jobs import import_file_check

    with translation.override(settings.LANGUAGE_CODE):
        import_file_check(import_file_id=import_file_id, actor=_actor(actor_id))


@shared_task(ignore_result=True)
def apply_import_file_task(
    import_file_id: int,
    actor_id: int | None,
    fingerprint: str,
    confirm_ends: bool,
    accept_email_matches: bool,
) -> None:
    from rollen.imports.jobs import import_file_apply

    with translation.override(settings.LANGUAGE_CODE):
        import_file_apply(
            import_file_id=import_file_id,
            actor=_actor(actor_id),
            fingerprint=fingerprint,
            confirm_ends=confirm_ends,
            accept_email_matches=accept_email_matches,
        )


@shared_task(ignore_result=True, autoretry_for=(OSError,), max_retries=5, retry_backoff=60)
def send_email_changed_notice(employee_id: int, old_email: str) -> None:
    """Tell the old address that the HR import changed the account's e-mail address."""
    person = Employee.objects.filter(pk=employee_id).first()
    if person is None or not old_email:
        return
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        context = {"person": person, "site_url": settings.SITE_URL}
        subject = " ".join(
            render_to_string("rollen/email/email_changed_subject.txt", context).split()
        )
        body = render_to_string("rollen/email/email_changed.txt", context)
    send_mail(subject, body, None, [old_email])


@shared_task(ignore_result=True)
def build_export_file_task(export_file_id: int) -> None:
    """Make a large HR export in the background (rollen.export_jobs)."""
    from rollen.export_jobs import export_file_build

    export_file_build(export_file_id=export_file_id)


@shared_task(ignore_result=True)
def purge_export_files_task() -> None:
    from rollen.export_jobs import purge_export_files

    purge_export_files()

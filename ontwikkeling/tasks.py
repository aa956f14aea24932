"""Celery tasks: thin wrappers that pass ids to ontwikkeling.notifications."""

from celery import shared_task

from ontwikkeling.notifications import send_scan_invitations, send_scan_reminders


@shared_task
def send_scan_invitations_task(round_id: int) -> int:
    return send_scan_invitations(round_id=round_id)


@shared_task
def send_scan_reminders_task() -> int:
    return send_scan_reminders()

"""The Celery beat schedule: every periodic task in one place. Run exactly one
`celery -A zelfsturing beat` per installation. Times are Europe/Amsterdam (CELERY_TIMEZONE).
A planned run that waited longer than `expires` seconds is dropped; the next one follows."""

from celery.schedules import crontab

SCHEDULE = {
    "daily-progress-reminders": {
        "task": "doelen.tasks.plan_daily_reminders",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 6 * 3600},
    },
    "weekly-manager-digest": {
        "task": "doelen.tasks.plan_weekly_digests",
        "schedule": crontab(hour=7, minute=30, day_of_week="monday"),
        "options": {"expires": 6 * 3600},
    },
    "notifications-sweep-pending-jobs": {
        "task": "notifications.tasks.sweep_pending_jobs",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    # Remove audit events older than AUDIT_RETENTION_DAYS, every night.
    "audit-purge-expired": {
        "task": "audit.tasks.purge_expired_audit_events",
        "schedule": crontab(hour=3, minute=17),
    },
    # Large HR exports older than ZS_EXPORT_RETENTION_HOURS are removed.
    "rollen-purge-export-files": {
        "task": "rollen.tasks.purge_export_files_task",
        "schedule": crontab(minute=40),
    },
    # Owners of agreements past their review date: one reminder per review date.
    "afspraken-review-reminders": {
        "task": "afspraken.tasks.plan_agreement_reminders",
        "schedule": crontab(hour=7, minute=15),
        "options": {"expires": 6 * 3600},
    },
    "ontwikkeling-scan-reminders": {
        "task": "ontwikkeling.tasks.send_scan_reminders_task",
        "schedule": crontab(hour=8, minute=5),
    },
    # Rounds past their closing date are closed (respondent keys cleared) just after midnight.
    "ontwikkeling-close-scan-rounds": {
        "task": "ontwikkeling.tasks.close_scan_rounds_task",
        "schedule": crontab(hour=0, minute=15),
    },
    # Every team's figures for today, before the working day: the organisation-wide
    # dashboards' first view of the day reads them instead of computing 1,000 teams (#21).
    "dashboards-warm-figures": {
        "task": "dashboards.tasks.warm_dashboards_task",
        "schedule": crontab(hour=5, minute=30),
        "options": {"expires": 3 * 3600},
    },
}

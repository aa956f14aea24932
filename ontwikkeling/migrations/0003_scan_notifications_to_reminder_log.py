"""Move the scan e-mail log into doelen's reminder log (docs/decisions/0002-reminders.md).

Every ScanNotification row becomes a sent ReminderLog row with kind scan_invitation or
scan_reminder and period "scan-round-<round id>"; 0004 then removes ScanNotification."""

from django.db import migrations

KINDS = {"invitation": "scan_invitation", "reminder": "scan_reminder"}
# Who "claimed" a copied row, as shown in the reminder log.
MIGRATED = "migrated"


def period_for(round_id):
    return f"scan-round-{round_id}"


def to_reminder_log(apps, schema_editor):
    ScanNotification = apps.get_model("ontwikkeling", "ScanNotification")
    ReminderLog = apps.get_model("doelen", "ReminderLog")
    rows = [
        ReminderLog(
            recipient_id=notification.recipient_id,
            kind=KINDS[notification.kind],
            period=period_for(notification.round_id),
            status="sent",
            claim_token=MIGRATED,
            claimed_at=notification.sent_at,
            attempts=1,
            sent_at=notification.sent_at,
        )
        for notification in ScanNotification.objects.order_by("pk").iterator()
    ]
    ReminderLog.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def to_scan_notifications(apps, schema_editor):
    ScanNotification = apps.get_model("ontwikkeling", "ScanNotification")
    ScanRound = apps.get_model("ontwikkeling", "ScanRound")
    ReminderLog = apps.get_model("doelen", "ReminderLog")
    round_ids = set(ScanRound.objects.values_list("pk", flat=True))
    back = {value: key for key, value in KINDS.items()}
    rows = []
    for log in ReminderLog.objects.filter(kind__in=list(back), status="sent").iterator():
        round_id = int(log.period.rsplit("-", 1)[-1])
        if round_id in round_ids:
            rows.append(
                ScanNotification(
                    recipient_id=log.recipient_id,
                    round_id=round_id,
                    kind=back[log.kind],
                    sent_at=log.sent_at,
                )
            )
    ScanNotification.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    ReminderLog.objects.filter(kind__in=list(back)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ontwikkeling", "0002_themes_statements_responsibilities"),
        ("doelen", "0009_reminder_kinds_for_other_apps"),
    ]
    # It writes into doelen's reminder log, which doelen/0010 moves to the notifications app.
    run_before = [("doelen", "0010_reminder_log_to_notifications")]

    operations = [migrations.RunPython(to_reminder_log, to_scan_notifications)]

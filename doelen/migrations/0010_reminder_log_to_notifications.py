"""Move the reminder log to the notifications app (docs/decisions/0002-reminders.md).

notifications/0001 created the new table; this copies every row into it (without the id,
so the new table's id sequence stays right on PostgreSQL), and 0011 removes doelen's table.
Backwards, the rows are copied back and removed from the new table.

ontwikkeling/0003 writes into doelen's log, so it runs before this one (its run_before)."""

from django.db import migrations

FIELDS = (
    "recipient_id",
    "kind",
    "period",
    "status",
    "claim_token",
    "claimed_at",
    "attempts",
    "item_count",
    "sent_at",
    "last_error",
    "created_at",
)


def _copy(source, target):
    rows = []
    for row in source.objects.order_by("pk").values(*FIELDS).iterator():
        rows.append(target(**row))
    target.objects.bulk_create(rows, batch_size=500)
    # auto_now_add would have set created_at to now: put the original times back.
    for row in source.objects.values("recipient_id", "kind", "period", "created_at").iterator():
        key = {k: row[k] for k in ("recipient_id", "kind", "period")}
        target.objects.filter(**key).update(created_at=row["created_at"])
    source.objects.all().delete()


def forwards(apps, schema_editor):
    _copy(apps.get_model("doelen", "ReminderLog"), apps.get_model("notifications", "ReminderLog"))


def backwards(apps, schema_editor):
    _copy(apps.get_model("notifications", "ReminderLog"), apps.get_model("doelen", "ReminderLog"))


class Migration(migrations.Migration):
    dependencies = [
        ("doelen", "0009_reminder_kinds_for_other_apps"),
        ("notifications", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

"""Fill `Goal.last_check_in` for the check-ins recorded before migration 0006.
A migration of its own: on PostgreSQL the UPDATE must not share a transaction with 0006's
schema change (the new foreign key's deferred constraint events)."""

from django.db import migrations

BACKFILL = """
    UPDATE doelen_goal SET last_check_in_id = (
        SELECT c.id FROM doelen_checkin AS c
        WHERE c.goal_id = doelen_goal.id
        ORDER BY c.created_at DESC, c.id DESC
        LIMIT 1
    )
"""


def backfill(apps, schema_editor):
    """Point every goal at its latest check-in by (created_at, id); None without any."""
    schema_editor.execute(BACKFILL)


class Migration(migrations.Migration):
    dependencies = [("doelen", "0006_goal_last_check_in")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

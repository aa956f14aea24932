"""Keep each goal's latest check-in on the goal (`Goal.last_check_in`), so pages that show
"latest progress" and "stale" read one row per goal instead of searching its check-ins.

The database keeps the column right, whatever writes the check-in (the service, bulk_create
in seed_demo, the admin, an import, raw SQL): an AFTER INSERT trigger on doelen_checkin points
the goal at the new check-in when it has none or its current one is older by
(created_at, id) — the order of `CheckIn.Meta.get_latest_by`. A backdated check-in does not
replace a newer one. An AFTER DELETE trigger looks the latest one up again. Both for SQLite
and PostgreSQL, in the style of 0004. The backfill is migration 0007 (PostgreSQL cannot
create the column's index in the same transaction as the UPDATE that fills it).
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_FORWARD = [
    """
    CREATE TRIGGER doelen_checkin_latest_insert
    AFTER INSERT ON doelen_checkin
    FOR EACH ROW
    BEGIN
        UPDATE doelen_goal SET last_check_in_id = NEW.id
        WHERE id = NEW.goal_id
          AND (
            last_check_in_id IS NULL
            OR EXISTS (
                SELECT 1 FROM doelen_checkin AS current
                WHERE current.id = doelen_goal.last_check_in_id
                  AND (current.created_at < NEW.created_at
                       OR (current.created_at = NEW.created_at AND current.id < NEW.id))
            )
          );
    END;
    """,
    """
    CREATE TRIGGER doelen_checkin_latest_delete
    AFTER DELETE ON doelen_checkin
    FOR EACH ROW
    BEGIN
        UPDATE doelen_goal SET last_check_in_id = (
            SELECT id FROM doelen_checkin
            WHERE goal_id = OLD.goal_id
            ORDER BY created_at DESC, id DESC
            LIMIT 1
        )
        WHERE id = OLD.goal_id
          AND (last_check_in_id IS NULL OR last_check_in_id = OLD.id);
    END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS doelen_checkin_latest_insert;",
    "DROP TRIGGER IF EXISTS doelen_checkin_latest_delete;",
]

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION doelen_checkin_latest() RETURNS trigger AS $$
    DECLARE
        goal bigint;
    BEGIN
        IF TG_OP = 'INSERT' THEN
            goal := NEW.goal_id;
        ELSE
            goal := OLD.goal_id;
        END IF;
        -- Lock the goal first: the next statement then takes a fresh snapshot that sees a
        -- check-in another transaction added to the same goal and committed meanwhile.
        PERFORM 1 FROM doelen_goal WHERE id = goal FOR UPDATE;
        IF TG_OP = 'INSERT' THEN
            UPDATE doelen_goal AS g SET last_check_in_id = NEW.id
            WHERE g.id = NEW.goal_id
              AND (
                g.last_check_in_id IS NULL
                OR EXISTS (
                    SELECT 1 FROM doelen_checkin AS c
                    WHERE c.id = g.last_check_in_id
                      AND (c.created_at, c.id) < (NEW.created_at, NEW.id)
                )
              );
        ELSE
            UPDATE doelen_goal AS g SET last_check_in_id = (
                SELECT c.id FROM doelen_checkin AS c
                WHERE c.goal_id = OLD.goal_id
                ORDER BY c.created_at DESC, c.id DESC
                LIMIT 1
            )
            WHERE g.id = OLD.goal_id
              AND (g.last_check_in_id IS NULL OR g.last_check_in_id = OLD.id);
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER doelen_checkin_latest
    AFTER INSERT OR DELETE ON doelen_checkin
    FOR EACH ROW EXECUTE FUNCTION doelen_checkin_latest();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS doelen_checkin_latest ON doelen_checkin;",
    "DROP FUNCTION IF EXISTS doelen_checkin_latest();",
]


def forward(apps, schema_editor):
    for sql in _statements(schema_editor, forward=True):
        schema_editor.execute(sql)


def reverse(apps, schema_editor):
    for sql in _statements(schema_editor, forward=False):
        schema_editor.execute(sql)


def _statements(schema_editor, *, forward):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        return SQLITE_FORWARD if forward else SQLITE_REVERSE
    if vendor == "postgresql":
        return POSTGRES_FORWARD if forward else POSTGRES_REVERSE
    return []


class Migration(migrations.Migration):
    dependencies = [("doelen", "0005_reminder_log")]

    operations = [
        migrations.AddField(
            model_name="goal",
            name="last_check_in",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="doelen.checkin",
                verbose_name="latest check-in",
            ),
        ),
        migrations.RunPython(forward, reverse),
    ]

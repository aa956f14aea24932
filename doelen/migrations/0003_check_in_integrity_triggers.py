"""Database triggers for rules that span two tables or forbid changes.

A CheckConstraint sees one row only; whether a check-in value fits its goal's measure
(0–100 for a percentage, 0 or 1 for a milestone) needs the goal row, so a trigger checks it.
Check-ins are append-only: a trigger refuses UPDATE. Both for SQLite and PostgreSQL.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER doelen_checkin_value_in_range
    BEFORE INSERT ON doelen_checkin
    FOR EACH ROW
    WHEN (SELECT measure_type FROM doelen_goal WHERE id = NEW.goal_id) = 'percentage'
         AND (NEW.value < 0 OR NEW.value > 100)
      OR (SELECT measure_type FROM doelen_goal WHERE id = NEW.goal_id) = 'milestone'
         AND NEW.value NOT IN (0, 1)
    BEGIN
        SELECT RAISE(ABORT, 'check-in value out of range for the goal''s measure');
    END;
    """,
    """
    CREATE TRIGGER doelen_checkin_append_only
    BEFORE UPDATE ON doelen_checkin
    BEGIN
        SELECT RAISE(ABORT, 'check-ins are append-only');
    END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS doelen_checkin_value_in_range;",
    "DROP TRIGGER IF EXISTS doelen_checkin_append_only;",
]

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION doelen_checkin_guard() RETURNS trigger AS $$
    DECLARE
        kind varchar;
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'check-ins are append-only' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        SELECT measure_type INTO kind FROM doelen_goal WHERE id = NEW.goal_id;
        IF (kind = 'percentage' AND (NEW.value < 0 OR NEW.value > 100))
           OR (kind = 'milestone' AND NEW.value NOT IN (0, 1)) THEN
            RAISE EXCEPTION 'check-in value out of range for the goal''s measure'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER doelen_checkin_guard
    BEFORE INSERT OR UPDATE ON doelen_checkin
    FOR EACH ROW EXECUTE FUNCTION doelen_checkin_guard();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS doelen_checkin_guard ON doelen_checkin;",
    "DROP FUNCTION IF EXISTS doelen_checkin_guard();",
]


def forward(apps, schema_editor):
    statements = _statements(schema_editor, forward=True)
    for sql in statements:
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
    dependencies = [("doelen", "0002_reference_data")]

    operations = [migrations.RunPython(forward, reverse)]

"""Goal dates between 2000-01-01 and 2100-12-31 (common/dates.py): the fields' validator and
a check constraint.

On SQLite adding a check constraint rebuilds the table, which the check-in triggers
(0004, 0006) refer to, so there the same rule is two triggers; PostgreSQL gets the real
constraint. The migration state holds the constraint either way (a later rebuild on SQLite
includes it).
"""

import django.db.models as models
from django.db import migrations

import common.dates

SQLITE_CHECK = (
    "NEW.start_date < '2000-01-01' OR NEW.due_date > '2100-12-31'"
    " OR NEW.start_date > '2100-12-31' OR NEW.due_date < '2000-01-01'"
)
SQLITE_FORWARD = [
    f"CREATE TRIGGER IF NOT EXISTS doelen_goal_dates_within_reason_{event.lower()} "
    f"BEFORE {event} ON doelen_goal WHEN {SQLITE_CHECK} "
    "BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: goal_dates_within_reason'); END;"
    for event in ("INSERT", "UPDATE")
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS doelen_goal_dates_within_reason_{event};"
    for event in ("insert", "update")
]


class AddConstraintBesideTriggers(migrations.AddConstraint):
    """AddConstraint, but as triggers on SQLite (no table rebuild)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            for sql in SQLITE_FORWARD:
                schema_editor.execute(sql)
            return
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            for sql in SQLITE_REVERSE:
                schema_editor.execute(sql)
            return
        super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("doelen", "0012_clamp_goal_dates")]

    operations = [
        migrations.AlterField(
            model_name="goal",
            name="due_date",
            field=models.DateField(
                validators=[common.dates.validate_reasonable_date], verbose_name="due date"
            ),
        ),
        migrations.AlterField(
            model_name="goal",
            name="start_date",
            field=models.DateField(
                validators=[common.dates.validate_reasonable_date], verbose_name="start date"
            ),
        ),
        AddConstraintBesideTriggers(
            model_name="goal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("due_date__lte", common.dates.LATEST),
                    ("start_date__gte", common.dates.EARLIEST),
                ),
                name="goal_dates_within_reason",
                violation_error_message=common.dates.MESSAGE,
            ),
        ),
    ]

"""Issue 13: answers stored apart from people (docs/decisions/0013-scan-privacy.md).

- ScanResponse keeps only who took part in a round: its timestamps go.
- Answers hang under an AnswerSet (random id, no timestamp, no person; a keyed hash of round
  and person while the round is open) instead of under the ScanResponse. Nothing is
  deployed, so the old answers are not copied (the lead squashes the migrations).
- ScanRound.closed_at: closed early by the team or by the daily task after its closing date.

The dashboards' data-version triggers of teams/0004 on these tables are dropped first and
made again for the new columns (ontwikkeling_answer now reaches its round through its
answer set), in the style of teams/0004 and with its SQL helpers.
"""

import importlib
import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

DATA_VERSION = importlib.import_module("teams.migrations.0004_team_data_version")
EVENTS = ("INSERT", "UPDATE", "DELETE")
ROUND_TEAM = "SELECT team_id FROM ontwikkeling_scanround WHERE id = {row}.round_id"
SOURCES = [
    ("ontwikkeling_scanresponse", ROUND_TEAM, EVENTS, None, None),
    ("ontwikkeling_answerset", ROUND_TEAM, EVENTS, None, None),
    (
        "ontwikkeling_answer",
        "SELECT r.team_id FROM ontwikkeling_scanround AS r"
        " JOIN ontwikkeling_answerset AS s ON s.round_id = r.id WHERE s.id = {row}.answer_set_id",
        EVENTS,
        None,
        None,
    ),
]
OLD_TABLES = ("ontwikkeling_scanresponse", "ontwikkeling_answer")


def _drop(vendor: str, tables) -> list[str]:
    statements = []
    for table in tables:
        for event in EVENTS:
            name = f"{table}_data_version_{event.lower()}"
            if vendor == "sqlite":
                statements.append(f"DROP TRIGGER IF EXISTS {name};")
            else:
                statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
        if vendor == "postgresql":
            statements.append(f"DROP FUNCTION IF EXISTS {table}_data_version();")
    return statements


def _create(vendor: str) -> list[str]:
    statements = []
    for table, teams, events, _sqlite_when, _pg_when in SOURCES:
        if vendor == "sqlite":
            for event in events:
                body = " ".join(
                    DATA_VERSION._bump("sqlite", teams, row) for row in DATA_VERSION._rows(event)
                )
                statements.append(
                    f"CREATE TRIGGER {table}_data_version_{event.lower()} AFTER {event} "
                    f"ON {table} FOR EACH ROW BEGIN {body} END;"
                )
            continue
        bump = DATA_VERSION._bump_rows
        statements.append(
            f"""
            CREATE FUNCTION {table}_data_version() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    {bump(teams, "new_rows")}
                ELSIF TG_OP = 'UPDATE' THEN
                    {bump(teams, "new_rows", "old_rows")}
                ELSE
                    {bump(teams, "old_rows")}
                END IF;
                RETURN NULL;
            END;
            $$ LANGUAGE plpgsql;
            """
        )
        for event in events:
            transition = {
                "INSERT": "NEW TABLE AS new_rows",
                "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                "DELETE": "OLD TABLE AS old_rows",
            }[event]
            statements.append(
                f"CREATE TRIGGER {table}_data_version_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {transition} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {table}_data_version();"
            )
    return statements


def drop_old_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in ("sqlite", "postgresql"):
        for sql in _drop(vendor, OLD_TABLES):
            schema_editor.execute(sql)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in ("sqlite", "postgresql"):
        for sql in _drop(vendor, [table for table, *_ in SOURCES]) + _create(vendor):
            schema_editor.execute(sql)


def drop_new_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in ("sqlite", "postgresql"):
        for sql in _drop(vendor, [table for table, *_ in SOURCES]):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("ontwikkeling", "0004_remove_scannotification"),
        ("teams", "0004_team_data_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_old_triggers, migrations.RunPython.noop),
        migrations.DeleteModel(name="Answer"),
        migrations.RemoveField(model_name="scanresponse", name="submitted_at"),
        migrations.RemoveField(model_name="scanresponse", name="updated_at"),
        migrations.AlterModelOptions(
            name="scanresponse",
            options={
                "ordering": ["round", "respondent"],
                "verbose_name": "scan participation",
                "verbose_name_plural": "scan participations",
            },
        ),
        migrations.AlterField(
            model_name="scanresponse",
            name="respondent",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="scan_responses",
                to=settings.AUTH_USER_MODEL,
                verbose_name="participant",
            ),
        ),
        migrations.AddField(
            model_name="scanround",
            name="closed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="closed at"
            ),
        ),
        migrations.CreateModel(
            name="AnswerSet",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "respondent_key",
                    models.CharField(
                        blank=True,
                        editable=False,
                        max_length=64,
                        null=True,
                        verbose_name="respondent key",
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answer_sets",
                        to="ontwikkeling.scanround",
                        verbose_name="scan round",
                    ),
                ),
            ],
            options={
                "verbose_name": "answer set",
                "verbose_name_plural": "answer sets",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("round", "respondent_key"), name="answer_set_once_per_key"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Answer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("score", models.PositiveSmallIntegerField(verbose_name="score")),
                (
                    "answer_set",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="ontwikkeling.answerset",
                        verbose_name="answer set",
                    ),
                ),
                (
                    "statement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="answers",
                        to="ontwikkeling.statement",
                        verbose_name="statement",
                    ),
                ),
            ],
            options={
                "verbose_name": "answer",
                "verbose_name_plural": "answers",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("answer_set", "statement"), name="answer_once_per_statement"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("score__gte", 1), ("score__lte", 5)),
                        name="answer_score_1_to_5",
                        violation_error_message="A score lies between 1 and 5.",
                    ),
                ],
            },
        ),
        migrations.RunPython(create_triggers, drop_new_triggers),
    ]

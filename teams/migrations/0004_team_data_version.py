"""Each team's data version (`TeamDataVersion`), raised by the database on every write that
changes what the dashboards show about the team, whatever makes the write (the services,
the admin, bulk_create in seed_demo, the HR import, raw SQL).

One trigger per source table, for SQLite and PostgreSQL, in the style of doelen/0004 and
doelen/0006. Each SOURCES entry says how to find the teams a row belongs to:
- a column holding the team id (`team_id`);
- a query for the team ids, with {row} standing for NEW or OLD;
- ALL_TEAMS for reference data shown on every team's dashboard (roles, objectives, themes).
A new team gets its row from a trigger on teams_team; existing teams get theirs here.

The SQL is written out in this file, not imported, so that later code changes cannot change
what this migration did. SQLite drops a table's triggers when a migration rebuilds the table:
tests/teams/test_data_version.py fails if one of these went missing, so the migration that
rebuilds a table must create its trigger again.
"""

import re

import django.db.models.deletion
from django.db import migrations, models

ALL_TEAMS = "SELECT id FROM teams_team"

# (table, team ids of a row, events, SQLite WHEN condition, PostgreSQL WHEN condition)
SOURCES = [
    ("teams_team", "{row}.id", ("UPDATE",), None, None),
    ("teams_membership", "{row}.team_id", ("INSERT", "UPDATE", "DELETE"), None, None),
    (
        # Only what the dashboards show of a person: not every log-in (last_login).
        "teams_employee",
        "SELECT team_id FROM teams_membership WHERE employee_id = {row}.id",
        ("UPDATE",),
        "OLD.name IS NOT NEW.name OR OLD.is_active IS NOT NEW.is_active",
        "OLD.name IS DISTINCT FROM NEW.name OR OLD.is_active IS DISTINCT FROM NEW.is_active",
    ),
    ("rollen_roleassignment", "{row}.team_id", ("INSERT", "UPDATE", "DELETE"), None, None),
    ("rollen_role", ALL_TEAMS, ("INSERT", "UPDATE", "DELETE"), None, None),
    ("doelen_goal", "{row}.team_id", ("INSERT", "UPDATE", "DELETE"), None, None),
    (
        "doelen_checkin",
        "SELECT team_id FROM doelen_goal WHERE id = {row}.goal_id",
        ("INSERT", "DELETE"),
        None,
        None,
    ),
    (
        "doelen_goal_objectives",
        "SELECT team_id FROM doelen_goal WHERE id = {row}.goal_id",
        ("INSERT", "UPDATE", "DELETE"),
        None,
        None,
    ),
    ("doelen_organisationobjective", ALL_TEAMS, ("INSERT", "UPDATE", "DELETE"), None, None),
    ("ontwikkeling_scanround", "{row}.team_id", ("INSERT", "UPDATE", "DELETE"), None, None),
    (
        "ontwikkeling_scanresponse",
        "SELECT team_id FROM ontwikkeling_scanround WHERE id = {row}.round_id",
        ("INSERT", "UPDATE", "DELETE"),
        None,
        None,
    ),
    (
        "ontwikkeling_answer",
        "SELECT r.team_id FROM ontwikkeling_scanround AS r"
        " JOIN ontwikkeling_scanresponse AS s ON s.round_id = r.id WHERE s.id = {row}.response_id",
        ("INSERT", "UPDATE", "DELETE"),
        None,
        None,
    ),
    (
        "ontwikkeling_developmentgoal",
        "SELECT team_id FROM doelen_goal WHERE id = {row}.goal_id",
        ("INSERT", "UPDATE", "DELETE"),
        None,
        None,
    ),
    (
        "ontwikkeling_teamresponsibility",
        "{row}.team_id",
        ("INSERT", "UPDATE", "DELETE"),
        None,
        None,
    ),
    ("ontwikkeling_theme", ALL_TEAMS, ("INSERT", "UPDATE", "DELETE"), None, None),
    ("ontwikkeling_statement", ALL_TEAMS, ("INSERT", "UPDATE", "DELETE"), None, None),
    ("ontwikkeling_responsibility", ALL_TEAMS, ("INSERT", "UPDATE", "DELETE"), None, None),
]


# A version is the time of the change in microseconds (or one more than the last version,
# if that is later): it only grows, and after restoring a backup the next change still gets a
# number never used before, so no cache entry of the lost changes can be read again.
NOW_MICROSECONDS = {
    "sqlite": "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)",
    "postgresql": "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::bigint",
}
LARGER = {"sqlite": "max", "postgresql": "GREATEST"}


def _bump(vendor: str, teams: str, row: str) -> str:
    teams = teams.format(row=row)
    if teams.startswith("SELECT"):
        where = f"team_id IN ({teams})"
    else:
        where = f"team_id = {teams}"
    number = f"{LARGER[vendor]}(number + 1, {NOW_MICROSECONDS[vendor]})"
    return f"UPDATE teams_teamdataversion SET number = {number} WHERE {where};"


def _rows(event: str) -> list[str]:
    return {"INSERT": ["NEW"], "UPDATE": ["NEW", "OLD"], "DELETE": ["OLD"]}[event]


def sqlite_forward() -> list[str]:
    statements = [
        """
        CREATE TRIGGER teams_team_data_version_insert
        AFTER INSERT ON teams_team
        FOR EACH ROW
        BEGIN
            INSERT INTO teams_teamdataversion (team_id, number)
            VALUES (NEW.id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER));
        END;
        """
    ]
    for table, teams, events, when, _pg_when in SOURCES:
        for event in events:
            condition = f"WHEN {when}" if when and event == "UPDATE" else ""
            body = " ".join(_bump("sqlite", teams, row) for row in _rows(event))
            statements.append(
                f"CREATE TRIGGER {table}_data_version_{event.lower()} AFTER {event} ON {table} "
                f"FOR EACH ROW {condition} BEGIN {body} END;"
            )
    return statements


def sqlite_reverse() -> list[str]:
    names = ["teams_team_data_version_insert"]
    names += [f"{t}_data_version_{e.lower()}" for t, _teams, events, *_ in SOURCES for e in events]
    return [f"DROP TRIGGER IF EXISTS {name};" for name in names]


def postgres_forward() -> list[str]:
    statements = [
        # Every write raises a number here: one small row per team, updated very often.
        # Free room on each page lets PostgreSQL update in place (HOT, the number is not
        # indexed) and prune old row versions as it goes, and autovacuum visits the table
        # after every 1,000 updates instead of letting dead versions pile up in front of the
        # dashboards' reads.
        """
        ALTER TABLE teams_teamdataversion SET (
            fillfactor = 25,
            autovacuum_vacuum_scale_factor = 0,
            autovacuum_vacuum_threshold = 1000,
            autovacuum_analyze_scale_factor = 0,
            autovacuum_analyze_threshold = 1000
        );
        """,
        """
        CREATE FUNCTION teams_team_data_version_insert() RETURNS trigger AS $$
        BEGIN
            INSERT INTO teams_teamdataversion (team_id, number)
            VALUES (NEW.id, (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::bigint);
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql;
        """,
        """
        CREATE TRIGGER teams_team_data_version_insert AFTER INSERT ON teams_team
        FOR EACH ROW EXECUTE FUNCTION teams_team_data_version_insert();
        """,
    ]
    for table, teams, events, _sqlite_when, when in SOURCES:
        if when:
            # Row by row, to compare each row's old and new values (only what is shown).
            statements.append(
                f"""
                CREATE FUNCTION {table}_data_version() RETURNS trigger AS $$
                BEGIN
                    {_bump("postgresql", teams, "NEW")}
                    {_bump("postgresql", teams, "OLD")}
                    RETURN NULL;
                END;
                $$ LANGUAGE plpgsql;
                """
            )
            statements.append(
                f"CREATE TRIGGER {table}_data_version AFTER {' OR '.join(events)} ON {table} "
                f"FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION {table}_data_version();"
            )
            continue
        # Once per statement, over all its rows (transition tables): a bulk insert of many
        # check-ins raises each team's number once, instead of once per row, which in one
        # long transaction would leave a dead row version behind for every check-in.
        statements.append(
            f"""
            CREATE FUNCTION {table}_data_version() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    {_bump_rows(teams, "new_rows")}
                ELSIF TG_OP = 'UPDATE' THEN
                    {_bump_rows(teams, "new_rows", "old_rows")}
                ELSE
                    {_bump_rows(teams, "old_rows")}
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


def _team_ids_of_rows(teams: str, relation: str) -> str:
    """SOURCES' team ids of one row ({row}), turned into those of all rows of a transition
    table: "{row}.team_id" and "… WHERE id = {row}.goal_id" become queries over `relation`."""
    if teams == ALL_TEAMS:
        return teams
    if teams.startswith("SELECT"):
        return re.sub(r"= \{row\}\.(\w+)", rf"IN (SELECT changed.\1 FROM {relation} AS changed)", teams)
    return f"SELECT changed.{teams.removeprefix('{row}.')} FROM {relation} AS changed"


def _bump_rows(teams: str, *relations: str) -> str:
    team_ids = " UNION ".join(_team_ids_of_rows(teams, relation) for relation in relations)
    number = f"GREATEST(number + 1, {NOW_MICROSECONDS['postgresql']})"
    return f"UPDATE teams_teamdataversion SET number = {number} WHERE team_id IN ({team_ids});"


def postgres_reverse() -> list[str]:
    statements = [
        "DROP TRIGGER IF EXISTS teams_team_data_version_insert ON teams_team;",
        "DROP FUNCTION IF EXISTS teams_team_data_version_insert();",
    ]
    for table, _teams, events, _sqlite_when, when in SOURCES:
        names = [f"{table}_data_version"] if when else [
            f"{table}_data_version_{event.lower()}" for event in events
        ]
        statements += [f"DROP TRIGGER IF EXISTS {name} ON {table};" for name in names]
        statements.append(f"DROP FUNCTION IF EXISTS {table}_data_version();")
    return statements


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": sqlite_forward, "postgresql": postgres_forward}.get(vendor)
    if vendor in NOW_MICROSECONDS:
        schema_editor.execute(
            "INSERT INTO teams_teamdataversion (team_id, number)"
            f" SELECT id, {NOW_MICROSECONDS[vendor]} FROM teams_team"
        )
    else:
        schema_editor.execute(
            "INSERT INTO teams_teamdataversion (team_id, number) SELECT id, 1 FROM teams_team"
        )
    for sql in statements() if statements else []:
        schema_editor.execute(sql)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": sqlite_reverse, "postgresql": postgres_reverse}.get(vendor)
    for sql in statements() if statements else []:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0003_reminder_settings"),
        ("rollen", "0003_the_four_roles"),
        ("doelen", "0009_reminder_kinds_for_other_apps"),
        ("ontwikkeling", "0004_remove_scannotification"),
    ]

    operations = [
        migrations.CreateModel(
            name="TeamDataVersion",
            fields=[
                (
                    "team",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="version",
                        serialize=False,
                        to="teams.team",
                        verbose_name="team",
                    ),
                ),
                (
                    "number",
                    models.BigIntegerField(default=1, editable=False, verbose_name="data version"),
                ),
            ],
            options={
                "verbose_name": "team data version",
                "verbose_name_plural": "team data versions",
            },
        ),
        migrations.RunPython(forward, reverse),
    ]

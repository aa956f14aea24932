"""The database triggers behind the check-in rules are still there after all migrations.

SQLite drops a table's triggers when a migration rebuilds the table (Django does that for
most AlterField/RemoveField operations). A later migration on doelen_checkin must then
create them again; this test fails if one went missing.
"""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

EXPECTED = {
    "sqlite": {
        "doelen_checkin_value_in_range",
        "doelen_checkin_append_only",
        "doelen_checkin_latest_insert",
        "doelen_checkin_latest_delete",
    },
    "postgresql": {"doelen_checkin_guard", "doelen_checkin_latest"},
}


def trigger_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {row[0] for row in cursor.fetchall()}


def test_check_in_triggers_exist():
    expected = EXPECTED.get(connection.vendor)
    if expected is None:
        pytest.skip(f"no triggers for {connection.vendor}")
    assert expected <= trigger_names()

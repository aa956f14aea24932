"""The database triggers behind the check-in rules are still there after all migrations, and
they are the only ones: triggers guard integrity (append-only check-ins, values in range),
never derived data (the latest check-in and the dashboards' data versions are kept in
Python: doelen.services, dashboards.freshness).

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
    },
    "postgresql": {"doelen_checkin_guard"},
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


def test_no_trigger_keeps_derived_data():
    expected = EXPECTED.get(connection.vendor)
    if expected is None:
        pytest.skip(f"no triggers for {connection.vendor}")
    assert trigger_names() == expected

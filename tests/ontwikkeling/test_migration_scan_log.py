"""Migrations ontwikkeling/0003-0004 and doelen/0010-0011: the scan e-mail log moves into
the reminder log, which moves to the notifications app; and back."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from notifications.models import ReminderLog
from tests.factories import EmployeeFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("ontwikkeling", "0002_themes_statements_responsibilities")]


def migrate(targets=None):
    """Migrate to `targets`, by default to the latest migration of every app. Going back
    to BEFORE also takes doelen/0010-0011 back (they run after ontwikkeling/0003)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_scan_notifications_become_sent_reminder_log_rows_and_back():
    apps = migrate(BEFORE)
    try:
        ScanRound = apps.get_model("ontwikkeling", "ScanRound")
        ScanNotification = apps.get_model("ontwikkeling", "ScanNotification")
        team = TeamFactory()
        ann, bob = EmployeeFactory(), EmployeeFactory()
        today = timezone.localdate()
        scan_round = ScanRound.objects.create(
            team_id=team.pk,
            opens_on=today,
            closes_on=today + datetime.timedelta(days=14),
            created_by_id=ann.pk,
        )
        sent_at = timezone.now() - datetime.timedelta(days=2)
        for person, kind in [(ann, "invitation"), (bob, "invitation"), (ann, "reminder")]:
            ScanNotification.objects.create(
                recipient_id=person.pk, round_id=scan_round.pk, kind=kind, sent_at=sent_at
            )

        migrate()
        period = f"scan-round-{scan_round.pk}"
        rows = ReminderLog.objects.order_by("kind", "recipient_id")
        assert list(rows.values_list("recipient_id", "kind", "period", "status")) == [
            (ann.pk, "scan_invitation", period, "sent"),
            (bob.pk, "scan_invitation", period, "sent"),
            (ann.pk, "scan_reminder", period, "sent"),
        ]
        assert {row.sent_at for row in rows} == {sent_at}

        apps = migrate(BEFORE)
        ScanNotification = apps.get_model("ontwikkeling", "ScanNotification")
        assert sorted(ScanNotification.objects.values_list("recipient_id", "kind")) == sorted(
            [(ann.pk, "invitation"), (bob.pk, "invitation"), (ann.pk, "reminder")]
        )
        assert not ReminderLog.objects.exists()
    finally:
        migrate()

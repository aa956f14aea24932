import datetime
from decimal import Decimal

import pytest

from audit.models import AuditEvent
from audit.services import audit_record, diff
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_diff_lists_changed_fields_in_plain_values():
    before = {"title": "A", "due": datetime.date(2025, 1, 1), "value": Decimal("1.50"), "same": 1}
    after = {"title": "B", "due": datetime.date(2025, 2, 1), "value": Decimal("1.50"), "same": 1}
    assert diff(before, after) == {"due": ["2025-01-01", "2025-02-01"], "title": ["A", "B"]}


def test_audit_record_stores_actor_object_and_details(member):
    team = TeamFactory(name="Wonen")
    event = audit_record(
        actor=member,
        action="export",
        obj=team,
        details={"on": datetime.date(2025, 3, 1), "rows": 3},
    )
    event.refresh_from_db()
    assert (event.actor, event.action, event.object_type, event.object_id) == (
        member,
        "export",
        "teams.team",
        str(team.pk),
    )
    assert event.object_repr == "Wonen" and event.details == {"on": "2025-03-01", "rows": 3}
    assert AuditEvent.objects.count() == 1

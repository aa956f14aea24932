"""Audit events for memberships and roles, the audit page, and retention."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record, purge_expired
from audit.tasks import purge_expired_audit_events
from rollen.services import role_assign, role_end, team_leave
from teams.services import membership_start
from tests.factories import EmployeeFactory, role

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 10)


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_membership_and_role_changes_are_recorded_with_actor(team, hr):
    person = EmployeeFactory(name="Noor Nieuw")
    membership = membership_start(employee=person, team=team, since=TODAY, actor=hr)
    assignment = role_assign(employee=person, team=team, role=role("vakman"), since=TODAY, actor=hr)
    role_end(assignment=assignment, until=TODAY + datetime.timedelta(days=5), actor=hr)
    role_assign(employee=person, team=team, role=role("facilitator"), since=TODAY, actor=hr)
    team_leave(membership=membership, until=TODAY + datetime.timedelta(days=9), actor=hr)

    [start] = events("membership.start")
    assert (start.actor, start.object_type, start.object_id) == (
        hr,
        "teams.membership",
        str(membership.pk),
    )
    assert start.changes == {"since": [None, "2026-03-10"]}
    assert start.details == {"employee": person.pk, "team": team.pk}
    assert [e.details["role"] for e in events("role.assign")] == ["vakman", "facilitator"]
    ends = events("role.end")
    assert [(e.details["role"], e.changes["until"][1]) for e in ends] == [
        ("vakman", "2026-03-15"),
        ("facilitator", "2026-03-19"),  # ended with the membership
    ]
    [end] = events("membership.end")
    assert end.changes == {"until": [None, "2026-03-19"]} and end.actor == hr


def test_actor_is_optional(team):
    membership_start(employee=EmployeeFactory(), team=team, since=TODAY)
    assert AuditEvent.objects.get(action="membership.start").actor is None


def test_failed_change_records_nothing(team, member):
    with pytest.raises(Exception):  # noqa: B017 - already a member: ValidationError
        membership_start(employee=member, team=team, since=TODAY)
    assert not AuditEvent.objects.filter(action="membership.start").exists()


# The audit page


def make_events(actor, count, *, action="goal.update", at=None):
    for index in range(count):
        event = audit_record(actor=actor, action=action, object_repr=f"Doel {index}")
        if at is not None:
            AuditEvent.objects.filter(pk=event.pk).update(at=at)


def test_audit_page_lists_events_newest_first_for_hr(client_for, hr, member):
    make_events(member, 3)
    audit_record(actor=member, action="export", object_repr="Rollenoverzicht <b>x</b>")
    html = client_for(hr).get(reverse("audit:event_list")).content.decode()
    assert "4 gebeurtenissen" in html
    assert html.index("Rollenoverzicht") < html.index("Doel 2")
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert "Mila Lid" in html


@pytest.mark.parametrize("persona", ["member", "manager", "outsider"])
def test_audit_page_is_refused_to_others(client_for, persona, request):
    assert client_for(request.getfixturevalue(persona)).get("/audit/").status_code == 403


def test_audit_filters(client_for, hr, member, manager):
    make_events(
        member, 2, action="goal.update", at=timezone.make_aware(datetime.datetime(2026, 1, 5, 9))
    )
    make_events(
        manager, 1, action="export", at=timezone.make_aware(datetime.datetime(2026, 2, 5, 9))
    )
    audit_record(actor=manager, action="goal.update", obj=member, object_repr="Lid")
    client = client_for(hr)

    def count(**query):
        response = client.get(reverse("audit:event_list"), query)
        assert response.status_code == 200
        return response.context["page"].paginator.count

    assert count() == 4
    assert count(action="goal.update") == 3
    assert count(kind="teams.employee") == 1
    assert count(actor=str(member.pk)) == 2
    assert count(date_from="2026-02-01", date_to="2026-02-05") == 1
    assert count(date_to="2026-01-05") == 2  # inclusive
    assert count(action="bestaat-niet") == 0  # unknown choice: a form error, no events
    assert count(date_from="2026-02-10", date_to="2026-02-01") == 0


def test_audit_page_paginates_and_survives_bad_page_numbers(client_for, hr, member):
    make_events(member, 55)
    client = client_for(hr)
    first = client.get("/audit/?action=goal.update")
    assert len(first.context["page"].object_list) == 50
    assert "action=goal.update&amp;page=2" in first.content.decode()
    assert len(client.get("/audit/?page=2").context["page"].object_list) == 5
    for page in ["999", "-1", "abc", "1e9"]:
        assert client.get("/audit/", {"page": page}).status_code == 200


@pytest.mark.parametrize("size", [5, 60])
def test_audit_page_query_count_does_not_grow(client_for, hr, size, django_assert_max_num_queries):
    actors = [EmployeeFactory() for _ in range(5)]
    for index in range(size):
        audit_record(actor=actors[index % 5], action=f"a{index % 3}", object_repr="x")
    client = client_for(hr)
    with django_assert_max_num_queries(11):
        assert client.get("/audit/").status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get("/audit/", {"action": "a1", "page": "2"}).status_code == 200


# Retention


def test_purge_removes_only_events_past_the_retention_period(member, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    with time_machine.travel(
        timezone.make_aware(datetime.datetime(2026, 1, 1, 23, 30)), tick=False
    ):
        audit_record(actor=member, action="old")
    with time_machine.travel(timezone.make_aware(datetime.datetime(2026, 1, 2, 0, 30)), tick=False):
        audit_record(actor=member, action="kept")
    assert purge_expired(today=datetime.date(2026, 1, 31)) == 0  # 30 days old: both kept
    assert purge_expired(today=datetime.date(2026, 2, 1)) == 1  # 31 days: the first goes
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["kept"]
    assert purge_expired(today=datetime.date(2026, 2, 1)) == 0  # idempotent


def test_nightly_task_and_command_purge_with_the_current_date(member, settings):
    settings.AUDIT_RETENTION_DAYS = 730
    with time_machine.travel(timezone.make_aware(datetime.datetime(2023, 6, 1, 12)), tick=False):
        audit_record(actor=member, action="old")
        audit_record(actor=member, action="old")
    with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 6, 1, 12)), tick=False):
        audit_record(actor=member, action="recent")
        assert purge_expired_audit_events.delay().get() == 2
        audit_record(actor=member, action="recent")
    with time_machine.travel(timezone.make_aware(datetime.datetime(2027, 6, 2, 12)), tick=False):
        out = StringIO()
        call_command("purge_audit_log", stdout=out)
    assert "Removed 2 audit events" in out.getvalue()
    assert not AuditEvent.objects.exists()


def test_purge_is_scheduled_nightly():
    entry = settings.CELERY_BEAT_SCHEDULE["audit-purge-expired"]
    assert entry["task"] == purge_expired_audit_events.name
    assert settings.AUDIT_RETENTION_DAYS >= 1

"""The employee's own data: a page and a JSON download, only their own."""

import json

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import audit_record
from tests.factories import CheckInFactory, EmployeeFactory, GoalFactory, RoleAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(team, member, other_member):
    RoleAssignmentFactory(employee=member, team=team, since=member.memberships.get().since)
    goal = GoalFactory(team=team, owner=member, title="Minder wachttijd")
    CheckInFactory(goal=goal, author=member, comment="Eerste stap <script>x</script>")
    CheckInFactory(goal=goal, author=other_member, comment="Van een ander")
    GoalFactory(team=team, owner=other_member, title="Doel van een ander")
    audit_record(actor=member, action="goal.update", obj=goal)
    audit_record(actor=other_member, action="goal.update", obj=goal, object_repr="Ander")
    return goal


def test_page_shows_what_the_portal_holds(client_for, member, history, team):
    response = client_for(member).get(reverse("personal_data"))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ["Mila Lid", "member@example.org", team.name, "Minder wachttijd"]:
        assert text in html
    assert "Teamdoel gewijzigd" in html  # goal.update, in words
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x" not in html
    assert "Doel van een ander" not in html and "Van een ander" not in html
    assert 'href="/account/password_change/"' in html


def test_download_is_json_of_only_their_own_data(client_for, member, history, team):
    response = client_for(member).get(reverse("personal_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="mijn-gegevens-')
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    profile = {row["field"]: row["value"] for row in data["profile"]}
    assert profile["name"] == "Mila Lid" and profile["username"] == "member"
    assert "password" not in profile
    assert [m["team"] for m in data["memberships"]] == [team.name]
    assert [r["team"] for r in data["roles"]] == [team.name]
    assert [g["title"] for g in data["goals_owned"]] == ["Minder wachttijd"]
    assert [c["comment"] for c in data["check_ins"]] == ["Eerste stap <script>x</script>"]
    assert [e["record"] for e in data["audit_events_by_you"]] == ["Minder wachttijd"]
    assert "Ander" not in json.dumps(data)
    # The download itself is recorded.
    event = AuditEvent.objects.get(action="personal_data.download")
    assert event.actor == member and event.object_id == str(member.pk)


def test_no_parameter_can_name_someone_else(client_for, member, other_member):
    for query in ({"user": other_member.pk}, {"employee": other_member.pk}, {"pk": 2}):
        response = client_for(member).get(reverse("personal_data_download"), query)
        assert json.loads(response.content)["profile"][0]["value"] == member.pk


def test_other_records_pointing_at_the_employee_are_included(client_for, member, history):
    """Data of any app with a foreign key to the employee ends up in the download."""
    from django.contrib.admin.models import ADDITION, LogEntry

    LogEntry.objects.create(user=member, action_flag=ADDITION, object_repr="iets")
    data = json.loads(client_for(member).get(reverse("personal_data_download")).content)
    kinds = {group["kind"]: group for group in data["other_records"]}
    assert kinds["admin.logentry"]["rows"][0]["object_repr"] == "iets"


@pytest.mark.parametrize("size", [1, 15])
def test_page_query_count_does_not_grow(client_for, team, size, django_assert_max_num_queries):
    person = EmployeeFactory()
    from tests.factories import MembershipFactory

    MembershipFactory(employee=person, team=team)
    goal = GoalFactory(team=team, owner=person)
    for _ in range(size):
        CheckInFactory(goal=goal, author=person)
        audit_record(actor=person, action="goal.update", obj=goal)
    with django_assert_max_num_queries(40):
        assert client_for(person).get(reverse("personal_data")).status_code == 200


def test_page_speaks_plain_language(client_for, member, history):
    """Labels people understand, local times, numbers and states in words (issue #16)."""
    html = client_for(member).get(reverse("personal_data")).content.decode()
    for database_talk in [
        "Has_usable_password",
        "has_usable_password",
        "Stafstatus",
        "goal.update",
        ".123456",
        "+00:00",
        ">active<",
        ".00<",
    ]:
        assert database_talk not in html, database_talk
    assert "Je logt in met een wachtwoord" in html
    assert "Laatst ingelogd" in html
    import re

    assert not re.search(r"\d{4}-\d{2}-\d{2}(T|\b)", html), "ISO dates on the page"


def test_every_audit_action_has_words():
    """Every action the code records has a description on the page."""
    import re
    from pathlib import Path

    from portal.privacy import EVENT_DESCRIPTIONS

    root = Path(__file__).resolve().parents[2]
    actions = set()
    for package in ["audit", "doelen", "ontwikkeling", "portal", "rollen", "teams"]:
        for path in (root / package).rglob("*.py"):
            if "migrations" in path.parts or "management" in path.parts:
                continue
            actions |= set(re.findall(r'action="([a-z_]+(?:\.[a-z_]+)?)"', path.read_text()))
    assert actions, "no audit actions found in the source"
    assert actions - set(EVENT_DESCRIPTIONS) == set()

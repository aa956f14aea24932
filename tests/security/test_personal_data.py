"""The employee's own data: a page and a JSON download, only their own."""

import json
import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import audit_record
from doelen.models import Reaction
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
        goal.refresh_from_db()
        Reaction.objects.create(check_in_id=goal.last_check_in_id, author=person, text="Goed zo")
    # Development intentions with notes (issue #20): one query each;
    from ontwikkeling.personal.models import DevelopmentIntention, IntentionNote
    from tests.factories import role

    for number in range(size):
        made = DevelopmentIntention.objects.create(
            employee=person, role=role("vakman"), aim=f"Groeien {number}"
        )
        IntentionNote.objects.create(intention=made, text="Stap gezet")
    # 53: 46, +2 development intentions, +1 reactions, +3 agreements, contributions, +1 exports.
    with django_assert_max_num_queries(53):
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

    from portal.privacy_page import EVENT_DESCRIPTIONS

    root = Path(__file__).resolve().parents[2]
    actions = set()
    for package in ["audit", "doelen", "ontwikkeling", "portal", "rollen", "teams"]:
        for path in (root / package).rglob("*.py"):
            if "migrations" in path.parts or "management" in path.parts:
                continue
            actions |= set(re.findall(r'action="([a-z_]+(?:\.[a-z_]+)?)"', path.read_text()))
    assert actions, "no audit actions found in the source"
    assert actions - set(EVENT_DESCRIPTIONS) == set()


@pytest.fixture
def everything(team, member, other_member, manager, history):
    """A record of every kind that points at `member`, made as the portal makes it."""
    import datetime

    from django.contrib.admin.models import ADDITION, LogEntry
    from django.utils import timezone

    from notifications.models import ReminderLog
    from ontwikkeling import services
    from ontwikkeling.models import Responsibility
    from ontwikkeling.reference import ensure_reference
    from tests.ontwikkeling.helpers import make_round, scores_for

    ensure_reference()
    today = timezone.localdate()
    colleague_goal = GoalFactory(
        team=team, owner=other_member, created_by=member, title="Voor een collega"
    )
    from doelen.reactions import reaction_add

    reaction_add(
        check_in=CheckInFactory(goal=colleague_goal, author=other_member),
        author=member,
        text="Mooi werk",
    )
    team.managers.add(member)
    LogEntry.objects.create(user=member, action_flag=ADDITION, object_repr="iets")
    ReminderLog.objects.create(recipient=member, kind="scan_reminder", period="p-1")
    old = make_round(team, opened_by=member, opens_on=today - datetime.timedelta(days=30))
    services.submit_scan(scan_round=old, respondent=member, scores=scores_for(2), on=old.opens_on)
    services.close_scan_round(scan_round=old, closed_by=member)
    now = services.open_scan_round(
        team=team, opened_by=manager, closes_on=today + datetime.timedelta(days=7)
    )
    services.submit_scan(scan_round=now, respondent=member, scores=scores_for(4))
    services.change_responsibility_state(
        team=team,
        responsibility=Responsibility.objects.first(),
        state="shared",
        since=today,
        changed_by=member,
        note="Afgesproken",
    )
    from api.services import create_token, revoke_token
    from audit.submissions import submit_once

    submit_once(token="a-one-time-token", actor=member, action="goal.create", create=lambda: "/")
    from ontwikkeling.personal.services import intention_add_note, intention_create
    from rollen.models import RoleAssignment

    held = RoleAssignment.objects.filter(employee=member).first().role
    intention = intention_create(employee=member, role=held, aim="Groeien als vakman")
    intention_add_note(intention=intention, author=member, text="Eerste stap")
    token, _key = create_token(
        name="BI",
        scopes=["teams:read"],
        expires_at=timezone.now() + datetime.timedelta(30),
        actor=member,
    )
    revoke_token(token=token, actor=member)
    from rollen.imports.jobs import import_file_store, import_mapping_save
    from rollen.services import hr_details_set

    import_file_store(
        data=b"naam;e-mail\nMila Lid;mila@example.org\n", filename="hr.csv", actor=member
    )
    import_mapping_save(
        name="AFAS", mapping={"name": 0}, header=["naam"], encoding="", actor=member
    )
    from rollen.models import ExportFile

    ExportFile.objects.create(  # a large export made in the background (issue 21)
        requested_by=member, overview="personen", file_format="csv", language="nl"
    )
    hr_details_set(employee=member, changes={"department": "Publiekszaken"}, actor=member)
    from afspraken.services import agreement_retire
    from doelen.services import contribution_add, contribution_end
    from tests.factories import make_agreement

    agreement_retire(agreement=make_agreement(team=team, owner=member), actor=member, reason="x")
    contribution = contribution_add(
        goal=GoalFactory(team=team), member=member, description="denkt mee", actor=member
    )
    contribution_end(contribution=contribution, actor=member)
    return {"old": old, "now": now}


def test_every_relation_to_the_employee_is_in_their_data(client_for, member, everything):
    """Walk every model field that points at the user model (also related_name="+") and
    check the download holds each of the member's rows there: in its own section
    (portal.privacy.SECTIONS) or under other records. The fixture must have a row for every
    relation, so a new one fails here until it is made and shown."""
    from portal import privacy, privacy_teamwork

    data = json.loads(client_for(member).get(reverse("personal_data_download")).content)
    generic = {(group["kind"], group["field"]): group["rows"] for group in data["other_records"]}
    missing_rows, not_shown = [], []
    for model, field in privacy.relations_to_employee():
        key = (model._meta.app_label, model._meta.model_name, field.name)
        rows = model._default_manager.filter(**{field.name: member})
        if key == ("audit", "auditevent", "actor"):
            rows = rows.exclude(action="personal_data.download")  # made by this very request
        count = rows.count()
        if count == 0:
            missing_rows.append(key)
            continue
        if key in privacy.SECTIONS:
            shown = len(data[privacy.SECTIONS[key]])
            if key == ("doelen", "goal", "created_by"):
                count = rows.exclude(owner=member).count()  # the owned ones: goals_owned
        else:
            shown = len(generic.get((model._meta.label_lower, field.name), []))
        if key in privacy_teamwork.SECTIONS:  # a section for several relations (#20)
            shown = count if shown >= count else shown
        if shown != count:
            not_shown.append((key, count, shown))
    assert missing_rows == [], "give the fixture a row for these relations"
    assert not_shown == []


def test_scan_participation_and_own_open_answers_are_shown(client_for, member, everything):
    data = json.loads(client_for(member).get(reverse("personal_data_download")).content)
    rounds = {(p["opens_on"], p["open"]): p for p in data["scan_participation"]}
    assert len(rounds) == 2
    open_round = next(p for p in data["scan_participation"] if p["open"])
    closed = next(p for p in data["scan_participation"] if not p["open"])
    assert {a["score"] for a in open_round["answers"]} == {4}
    assert closed["answers"] == []  # no longer linked to anyone
    html = client_for(member).get(reverse("personal_data")).content.decode()
    assert "zonder je naam" in html
    assert "Voor een collega" in html and "Afgesproken" in html


# Where each section of portal.privacy.SECTIONS shows on the page: the section's heading id
# and the pattern of one row in it (tbody rows, or the items of its list).
PAGE_ROWS = {
    "memberships": ("memberships-heading", r"<tr><td>"),
    "teams_managed": ("managed-heading", r"<li>"),
    "roles": ("roles-heading", r"<tr><td>"),
    "goals_owned": ("goals-heading", r"<tr><td>"),
    "goals_created": ("goals-created-heading", r"<tr><td>"),
    "check_ins": ("checkins-heading", r"<tr><td>"),
    "reactions": ("reactions-heading", r"<tr><td>"),
    "audit_events_by_you": ("audit-heading", r"<tr><td>"),
    "scan_participation": ("scan-heading", r'<li class="mb-2">'),
    "scan_rounds_opened": ("scan-heading", r"<h3.*?</h3>\s*<ul>(?:<li>.*?</li>)+"),
    "responsibility_changes": ("responsibility-changes-heading", r"<tr><td>"),
    "development_intentions": ("development-heading", r'<li class="mb-3">'),
    "agreements": ("agreements-data-heading", r"<li><strong>"),
    "contributions": ("contributions-data-heading", r"<li><strong>"),
}


def _section(html: str, heading_id: str) -> str:
    match = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def test_every_relation_to_the_employee_shows_on_the_page(client_for, member, everything):
    """The page, not only the download: for every field that points at the user model
    (portal.privacy.relations_to_employee, also related_name="+"), the member's rows show in
    their section of /mijn-gegevens/ or are counted under "Other records about you"."""
    from portal import privacy

    html = client_for(member).get(reverse("personal_data")).content.decode()
    data = json.loads(client_for(member).get(reverse("personal_data_download")).content)
    other = _section(html, "other-heading")
    not_on_page = []
    for model, field in privacy.relations_to_employee():
        key = (model._meta.app_label, model._meta.model_name, field.name)
        if key in privacy.SECTIONS:
            section = privacy.SECTIONS[key]
            assert section in PAGE_ROWS, f"say where {section} shows on the page"
            heading, row = PAGE_ROWS[section]
            text = _section(html, heading)
            if section == "scan_rounds_opened":
                lists = re.findall(row, text, re.S)
                shown = lists[0].count("<li>") if lists else 0
            else:
                shown = len(re.findall(row, text, re.S))
            if section == "audit_events_by_you":  # the page was read before the download
                expected = len(
                    [e for e in data[section] if e["action"] != "personal_data.download"]
                )
            else:
                expected = len(data[section])
            if not expected or shown != expected:
                not_on_page.append((key, section, expected, shown))
        else:
            group = next(
                g
                for g in data["other_records"]
                if (g["kind"], g["field"]) == (model._meta.label_lower, field.name)
            )
            label = str(model._meta.verbose_name_plural)
            if f"{label[:1].upper()}{label[1:]}: {len(group['rows'])}</li>" not in other:
                not_on_page.append((key, "other records", len(group["rows"]), None))
    assert not_on_page == []

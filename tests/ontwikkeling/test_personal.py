"""Personal development in one's roles (issue #20): the owner's pages and actions, who
reads what per persona, audit without content, personal data, anonymisation, counts."""

import datetime
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from ontwikkeling.personal import selectors, services
from ontwikkeling.personal.models import (
    DevelopmentIntention,
    IntentionNote,
    IntentionStatus,
    Sharing,
)
from portal.privacy import personal_data
from rollen.services import role_end
from teams.services import employee_anonymise, employee_deactivate
from tests.factories import role
from tests.ontwikkeling.personal_helpers import (
    SECRET_AIM,
    SECRET_NOTE,
    TODAY,
    colleague,
    holds,
    intention,
)

pytestmark = pytest.mark.django_db
MY_PAGE = reverse("ontwikkeling:my_development")
SHARED = reverse("ontwikkeling:shared_intentions")


def url(name, obj):
    return reverse(f"ontwikkeling:{name}", kwargs={"pk": obj.pk})


@pytest.fixture
def owner(member, team):
    holds(member, team)
    return member


def test_owner_writes_an_intention_through_the_real_form(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    page = client.get(reverse("ontwikkeling:intention_create") + "?rol=samenwerkingspartner")
    html = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    fields = dict(re.findall(r'name="(csrfmiddlewaretoken|once)" value="([^"]+)"', html))
    role_pk = role("samenwerkingspartner").pk
    assert f'<option value="{role_pk}" selected>' in html
    # Named as the page's headings name the role, with a capital.
    option = re.search(rf'<option value="{role_pk}" selected>([^<]+)</option>', html).group(1)
    assert option == "Verbindende samenwerkingspartner"
    data = {
        **fields,
        "role": role_pk,
        "aim": SECRET_AIM,
        "approach": "Een maatje zoeken",
        "target_date": (TODAY + datetime.timedelta(days=60)).isoformat(),
        "sharing": Sharing.PRIVATE,
    }
    response = client.post(reverse("ontwikkeling:intention_create"), data)
    assert response.status_code == 302
    made = DevelopmentIntention.objects.get()
    assert (made.employee, made.sharing, made.status) == (owner, "private", "current")
    # The same form sent twice (double click) is stored once.
    again = client.post(reverse("ontwikkeling:intention_create"), data)
    assert again.status_code == 302 and DevelopmentIntention.objects.count() == 1
    mine = client.get(MY_PAGE).content.decode()
    assert SECRET_AIM in mine and "Een maatje zoeken" in mine


def test_only_a_role_held_today_gets_a_new_intention(client, owner, team):
    client.force_login(owner)
    vakman = role("vakman")  # not held
    response = client.post(
        reverse("ontwikkeling:intention_create"),
        {"role": vakman.pk, "aim": "Iets", "sharing": "private"},
    )
    assert response.status_code == 400
    assert 'href="#id_role"' in response.content.decode()  # the error summary links to it
    with pytest.raises(ValidationError):
        services.intention_create(employee=owner, role=vakman, aim="Iets")
    empty = client.post(reverse("ontwikkeling:intention_create"), {"role": "", "aim": ""})
    assert empty.status_code == 400 and DevelopmentIntention.objects.count() == 0


def test_a_few_per_role_then_complete_or_archive_first(owner):
    for number in range(3):
        intention(owner, aim=f"Voornemen {number}")
    with pytest.raises(ValidationError):
        intention(owner, aim="Een vierde")
    first = DevelopmentIntention.objects.order_by("pk").first()
    services.intention_set_status(intention=first, actor=owner, status=IntentionStatus.ARCHIVED)
    intention(owner, aim="Een vierde")
    assert DevelopmentIntention.objects.count() == 4  # archived, not deleted


def test_edit_note_share_and_close_as_owner(client, owner):
    made = intention(owner)
    client.force_login(owner)
    response = client.post(
        url("intention_edit", made),
        {"aim": "Bruggen bouwen", "approach": "", "target_date": ""},
    )
    assert response.status_code == 302
    client.post(url("intention_note", made), {"text": SECRET_NOTE})
    bad = client.post(url("intention_note", made), {"text": "  "})
    assert bad.status_code == 400 and "Schrijf een korte notitie" in bad.content.decode()
    client.post(url("intention_share", made), {"sharing": "managers"})
    invalid = client.post(url("intention_share", made), {"sharing": "everyone"})
    assert invalid.status_code == 400
    client.post(url("intention_status", made), {"status": "completed"})
    made.refresh_from_db()
    assert (made.aim, made.approach, made.target_date) == ("Bruggen bouwen", "", None)
    assert (made.sharing, made.status) == ("managers", "completed")
    assert made.closed_at is not None
    assert list(made.notes.values_list("text", flat=True)) == [SECRET_NOTE]
    # Closed: no more changes or notes, but it can be made current again.
    assert client.get(url("intention_edit", made)).status_code == 302
    with pytest.raises(ValidationError):
        services.intention_add_note(intention=made, author=owner, text="later")
    client.post(url("intention_status", made), {"status": "current"})
    made.refresh_from_db()
    assert made.status == "current" and made.closed_at is None
    client.post(url("intention_status", made), {"status": "gone"})
    assert DevelopmentIntention.objects.filter(pk=made.pk).exists()


@pytest.mark.parametrize("persona", ["manager", "other_member", "other_manager", "hr", "superuser"])
def test_nobody_else_can_change_an_intention(request, client, owner, persona):
    made = intention(owner)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url("intention_edit", made)).status_code == 404
    for name, data in [
        ("intention_edit", {"aim": "Overgenomen"}),
        ("intention_note", {"text": "Van een ander"}),
        ("intention_share", {"sharing": "team"}),
        ("intention_status", {"status": "archived"}),
    ]:
        response = client.post(url(name, made), data)
        assert response.status_code == 404, name
        assert SECRET_AIM not in response.content.decode()
    made.refresh_from_db()
    assert (made.aim, made.sharing, made.status) == (SECRET_AIM, "private", "current")
    assert not IntentionNote.objects.exists()
    with pytest.raises(PermissionDenied):
        services.intention_share(
            intention=made, actor=request.getfixturevalue(persona), sharing="team"
        )


def test_anonymous_is_sent_to_log_in(client, owner):
    made = intention(owner)
    for address in (MY_PAGE, SHARED, url("intention_edit", made)):
        response = client.get(address)
        assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_who_reads_a_shared_intention(
    client, owner, team, manager, other_member, other_manager, hr
):
    made = intention(owner)
    services.intention_add_note(intention=made, author=owner, text=SECRET_NOTE)
    teammate = colleague(team)
    superuser_or_hr = [hr, other_member, other_manager]

    def sees(person) -> bool:
        client.force_login(person)
        html = client.get(SHARED).content.decode()
        if SECRET_AIM in html:
            assert SECRET_NOTE in html  # the notes come with it
            return True
        assert SECRET_NOTE not in html
        return False

    # Private: nobody but the owner.
    assert not any(sees(p) for p in [manager, teammate, *superuser_or_hr])
    services.intention_share(intention=made, actor=owner, sharing=Sharing.MANAGERS)
    assert sees(manager) and not sees(teammate)
    assert not any(sees(p) for p in superuser_or_hr)
    services.intention_share(intention=made, actor=owner, sharing=Sharing.TEAM)
    assert sees(manager) and sees(teammate)
    assert not any(sees(p) for p in superuser_or_hr)
    # Unsharing takes it away again; archiving hides it from others too.
    services.intention_share(intention=made, actor=owner, sharing=Sharing.PRIVATE)
    assert not sees(manager) and not sees(teammate)
    services.intention_share(intention=made, actor=owner, sharing=Sharing.TEAM)
    services.intention_set_status(intention=made, actor=owner, status=IntentionStatus.ARCHIVED)
    assert not sees(manager) and not sees(teammate)


def test_sharing_follows_current_membership(owner, team, manager):
    made = intention(owner, sharing=Sharing.MANAGERS)
    assert [p.employee for p in selectors.shared_with(viewer=manager)] == [owner]
    employee_deactivate(employee=owner, actor=None, on=TODAY)
    assert selectors.shared_with(viewer=manager) == []
    assert DevelopmentIntention.objects.filter(pk=made.pk).exists()


def test_an_ended_role_keeps_its_intentions_marked_as_such(client, owner, team):
    made = intention(owner)
    assignment = owner.role_assignments.get()
    role_end(assignment=assignment, until=TODAY - datetime.timedelta(days=1), actor=None)
    sections = selectors.my_development(employee=owner)
    assert [(s.role.slug, s.held) for s in sections] == [("samenwerkingspartner", False)]
    assert [i.pk for i in sections[0].current] == [made.pk]
    assert sections[0].current[0].role_ended
    client.force_login(owner)
    html = client.get(MY_PAGE).content.decode()
    assert SECRET_AIM in html and "Rol beëindigd" in html and "Nieuw voornemen" not in html
    with pytest.raises(ValidationError):
        intention(owner, aim="Nieuw in een oude rol")
    services.intention_set_status(intention=made, actor=owner, status="completed")
    with pytest.raises(ValidationError):  # not current again in a role no longer held
        services.intention_set_status(intention=made, actor=owner, status="current")


def test_audit_says_what_happened_never_what_was_written(owner, hr, client):
    made = intention(owner)
    services.intention_update(
        intention=made, actor=owner, aim="Geheim-twee", approach="x", target_date=None
    )
    services.intention_add_note(intention=made, author=owner, text=SECRET_NOTE)
    services.intention_share(intention=made, actor=owner, sharing=Sharing.MANAGERS)
    services.intention_share(intention=made, actor=owner, sharing=Sharing.PRIVATE)
    events = AuditEvent.objects.filter(action__startswith="development_intention.")
    assert [e.action for e in events.order_by("pk")] == [
        "development_intention.create",
        "development_intention.update",
        "development_intention.note",
        "development_intention.share",
        "development_intention.share",
    ]
    shares = events.filter(action="development_intention.share").order_by("pk")
    assert [e.changes for e in shares] == [
        {"sharing": ["private", "managers"]},
        {"sharing": ["managers", "private"]},
    ]
    stored = json.dumps([[e.object_repr, e.changes, e.details] for e in events])
    for text in (SECRET_AIM, "Geheim-twee", SECRET_NOTE, "koffie"):
        assert text not in stored


def test_personal_data_page_and_download_hold_intentions_and_notes(client, owner):
    made = intention(owner, sharing=Sharing.MANAGERS)
    services.intention_add_note(intention=made, author=owner, text=SECRET_NOTE)
    data = personal_data(employee=owner)
    [row] = data["development_intentions"]
    assert row["aim"] == SECRET_AIM and row["notes"][0]["text"] == SECRET_NOTE
    assert not [r for r in data["other_records"] if "intention" in r["kind"]]
    client.force_login(owner)
    page = client.get(reverse("personal_data")).content.decode()
    assert SECRET_AIM in page and SECRET_NOTE in page
    download = client.get(reverse("personal_data_download"))
    assert SECRET_NOTE in download.content.decode()


def test_anonymisation_deletes_intentions_and_notes(owner, manager):
    made = intention(owner, sharing=Sharing.MANAGERS)
    services.intention_add_note(intention=made, author=owner, text=SECRET_NOTE)
    team = owner.memberships.get().team
    other_person = colleague(team)
    holds(other_person, team)
    other = intention(other_person, aim="Van een ander")
    employee_deactivate(employee=owner, actor=None, on=TODAY)
    assert employee_anonymise(employee=owner, actor=None)
    assert not DevelopmentIntention.objects.filter(employee=owner).exists()
    assert not IntentionNote.objects.filter(intention_id=made.pk).exists()
    assert DevelopmentIntention.objects.filter(pk=other.pk).exists()
    erase = AuditEvent.objects.get(action="development_intention.erase")
    assert erase.details == {"intentions": 1}
    assert personal_data(employee=owner)["development_intentions"] == []


def test_manager_dashboard_shows_counts_never_content(client, owner, team, manager):
    teammate = colleague(team)
    holds(teammate, team, slug="vakman")
    intention(owner)  # private
    intention(teammate, slug="vakman", aim="Ander geheim", sharing=Sharing.TEAM)
    closed = intention(teammate, slug="vakman", aim="Klaar")
    services.intention_set_status(intention=closed, actor=teammate, status="completed")
    client.force_login(manager)
    html = client.get(reverse("dashboard:index")).content.decode()
    assert "2 van 2 leden hebben een lopend ontwikkelvoornemen" in html
    for text in (SECRET_AIM, "Ander geheim", "Klaar"):
        assert text not in html
    services.intention_set_status(
        intention=DevelopmentIntention.objects.get(aim=SECRET_AIM), actor=owner, status="archived"
    )
    html = client.get(reverse("dashboard:index")).content.decode()
    assert "1 van 2 leden hebben een lopend ontwikkelvoornemen" in html
    # A member's own dashboard shows no counts.
    client.force_login(owner)
    assert (
        "lopend ontwikkelvoornemen" not in client.get(reverse("dashboard:index")).content.decode()
    )


def _grow(team, manager, size):
    for number in range(size):
        person = colleague(team, name=f"Lid {size}-{number}")
        holds(person, team)
        made = intention(person, aim=f"Doel {number}", sharing=Sharing.TEAM)
        services.intention_add_note(intention=made, author=person, text="Stap gezet")


@pytest.mark.parametrize("size", [2, 8])
def test_query_counts_do_not_grow(client, django_assert_num_queries, owner, team, manager, size):
    for slug in ("vakman", "ondernemer", "facilitator"):
        holds(owner, team, slug=slug)
    for number in range(size):
        slug = ["samenwerkingspartner", "vakman", "ondernemer", "facilitator"][number % 4]
        made = intention(owner, aim=f"Mijn doel {number}", slug=slug)
        services.intention_add_note(intention=made, author=owner, text="Eerste stap")
    _grow(team, manager, size)
    client.force_login(owner)
    client.get(MY_PAGE)  # warm the session and the language
    with django_assert_num_queries(QUERIES["my_development"]):
        assert client.get(MY_PAGE).status_code == 200
    client.force_login(manager)
    client.get(SHARED)
    with django_assert_num_queries(QUERIES["shared"]):
        html = client.get(SHARED).content.decode()
    assert html.count('class="card mb-3 intention"') == size


QUERIES = {"my_development": 11, "shared": 8}

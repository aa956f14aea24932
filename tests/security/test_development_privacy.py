"""Issue #20: a development intention and its notes are read by the owner and by whom
they shared it with, on the one page for that, and nowhere else: no other page of the
project (every dashboard, every export, the audit log, the HR pages), no admin page, for
any persona, whatever the intention's state. The rendered output of every page is searched
for phrases that occur only in the intention."""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from ontwikkeling.personal import services
from ontwikkeling.personal.models import DevelopmentIntention, IntentionNote, Sharing
from rollen.models import Role
from tests.ontwikkeling.personal_helpers import SECRET_AIM, SECRET_NOTE, colleague, intention
from tests.security.authorisation_table import TABLE
from tests.security.patterns import build_url, project_patterns

pytestmark = pytest.mark.django_db
SECRET_HOW = "Elke maand een kop koffie"  # the approach written by personal_helpers
SHARED_PAGE = "ontwikkeling:shared_intentions"
OWN_PAGES = {"ontwikkeling:my_development", "personal_data", "personal_data_download"}


def _extra_urls(samples) -> list[str]:
    """Addresses with query strings or parameters the table's defaults do not cover."""
    urls = [
        reverse("rollen:export", kwargs={"overview": overview, "file_format": file_format})
        for overview in ("matrix", "personen", "vergelijking")
        for file_format in ("csv", "xlsx")
    ]
    urls += [
        reverse("rollen:person", kwargs={"pk": samples.member.pk}),
        reverse("rollen:person_export", kwargs={"pk": samples.member.pk}),
        reverse("audit:event_list") + "?q=intention",
        reverse("audit:event_list") + "?q=Zilvervis",
        reverse("rollen:audit_export"),
        reverse("dashboard:team", kwargs={"slug": samples.team.slug}),
    ]
    return urls


def _every_get(samples) -> list[tuple[str, str]]:
    pages = []
    for pattern in project_patterns():
        row = TABLE.get(pattern.name)
        if row is None:
            continue
        pages.append((pattern.name, build_url(pattern, samples, row.kwargs(samples))))
    return pages + [("extra", address) for address in _extra_urls(samples)]


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def _leaks(client, samples, *, allowed: set[str]) -> list[str]:
    found = []
    for name, address in _every_get(samples):
        response = client.get(address)
        body = _body(response)
        if name in allowed:
            continue
        if any(text in body for text in (SECRET_AIM, SECRET_NOTE, SECRET_HOW)):
            found.append(address)
    return found


@pytest.fixture
def written(samples, team):
    """The sample member's intention (samples hold their role) with a note, changed and
    shared and unshared once, so that every kind of audit event exists."""
    role = Role.objects.get(pk=samples.role_assignment.role_id)
    made = intention(samples.member, slug=role.slug)
    services.intention_add_note(intention=made, author=samples.member, text=SECRET_NOTE)
    services.intention_update(
        intention=made,
        actor=samples.member,
        aim=SECRET_AIM,
        approach=SECRET_HOW,
        target_date=made.target_date,
    )
    services.intention_share(intention=made, actor=samples.member, sharing=Sharing.MANAGERS)
    services.intention_share(intention=made, actor=samples.member, sharing=Sharing.PRIVATE)
    return made


@pytest.mark.parametrize("persona", ["manager", "other_member", "other_manager", "hr", "superuser"])
def test_a_private_intention_is_on_no_page_but_the_owners(
    samples, written, persona_client, persona
):
    assert _leaks(persona_client(persona), samples, allowed=set()) == []


def test_the_owner_sees_it_on_their_own_pages_only(samples, written, persona_client):
    client = persona_client("member")
    assert SECRET_NOTE in _body(client.get(reverse("ontwikkeling:my_development")))
    assert SECRET_NOTE in _body(client.get(reverse("personal_data_download")))
    assert _leaks(client, samples, allowed=OWN_PAGES) == []


@pytest.mark.parametrize("persona", ["manager", "teammate", "other_member", "hr", "superuser"])
def test_shared_with_the_team_it_shows_on_the_shared_page_only(
    samples, written, persona_client, persona, client, team
):
    services.intention_share(intention=written, actor=samples.member, sharing=Sharing.TEAM)
    if persona == "teammate":
        client.force_login(colleague(team))
    else:
        client = persona_client(persona)
    shared = _body(client.get(reverse(SHARED_PAGE)))
    audience = persona in ("manager", "teammate")
    assert (SECRET_AIM in shared and SECRET_NOTE in shared) is audience
    assert _leaks(client, samples, allowed={SHARED_PAGE}) == []


def _admin_pages(employee, role) -> list[tuple[str, dict | None]]:
    pages = [(reverse("admin:index"), None)]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        pages.append((reverse(f"admin:{info[0]}_{info[1]}_changelist"), None))
    for obj in (employee, role):
        info = (obj._meta.app_label, obj._meta.model_name)
        for view in ("change", "delete", "history"):
            try:
                pages.append((reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[obj.pk]), None))
            except NoReverseMatch:
                continue
    # "Delete selected" without confirming: the page that lists related objects.
    changelist = reverse("admin:teams_employee_changelist")
    pages.append((changelist, {"action": "delete_selected", "_selected_action": [employee.pk]}))
    return pages


def test_the_admin_shows_no_content(samples, written, persona_client):
    assert DevelopmentIntention not in admin.site._registry
    assert IntentionNote not in admin.site._registry
    client = persona_client("superuser")
    role = Role.objects.get(pk=written.role_id)
    visited = 0
    for address, data in _admin_pages(samples.member, role):
        response = client.post(address, data) if data else client.get(address)
        assert response.status_code in (200, 302, 403), (address, response.status_code)
        body = _body(response)
        for text in (SECRET_AIM, SECRET_NOTE, SECRET_HOW):
            assert text not in body, address
        visited += 1
    assert visited > 20

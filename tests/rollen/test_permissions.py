"""Only HR and superusers may see the role overviews, exports and imports."""

import io

import pytest

from audit.models import AuditEvent
from rollen.models import ImportFile
from teams.models import Employee

pytestmark = pytest.mark.django_db

PAGES = [
    "/rollen/",
    "/rollen/personen/",
    "/rollen/vergelijken/",
    "/rollen/audit/",
    "/rollen/import/",
    "/rollen/export/matrix/csv/",
    "/rollen/export/personen/xlsx/",
    "/rollen/export/vergelijking/csv-semicolon/",
]
FORBIDDEN = ["member", "other_member", "manager", "other_manager", "management", "outsider"]


@pytest.mark.parametrize("persona", FORBIDDEN)
@pytest.mark.parametrize("url", PAGES)
def test_others_get_403(request, client_for, persona, url):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(url).status_code == 403
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("persona", FORBIDDEN)
def test_others_cannot_post_an_import(request, client_for, persona, team):
    client = client_for(request.getfixturevalue(persona))
    file = io.BytesIO(b"personeelsnummer;naam;team\nP9;Xander;Vergunningen\n")
    file.name = "x.csv"
    assert client.post("/rollen/import/", {"file": file}).status_code == 403
    assert not ImportFile.objects.exists()
    assert client.get("/rollen/import/1/").status_code == 403
    assert client.post("/rollen/import/1/toepassen/", {"column_name": "1"}).status_code == 403
    assert not Employee.objects.filter(personnel_number="P9").exists()


@pytest.mark.parametrize("url", [*PAGES, "/rollen/import/1/"])
def test_anonymous_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/account/login/")


def test_anonymous_post_is_sent_to_log_in(client):
    response = client.post("/rollen/import/1/toepassen/")
    assert response.status_code == 302 and response.url.startswith("/account/login/")


@pytest.mark.parametrize("persona", ["hr", "superuser"])
@pytest.mark.parametrize("url", PAGES)
def test_hr_and_superusers_may(request, client_for, persona, url):
    response = client_for(request.getfixturevalue(persona)).get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("persona", "shown"), [("hr", True), ("superuser", True), ("member", False), ("manager", False)]
)
def test_nav_item_only_for_hr(request, client_for, persona, shown):
    content = client_for(request.getfixturevalue(persona)).get("/").content.decode()
    assert ('href="/rollen/"' in content) is shown


def test_overview_pages_are_read_only(client_for, hr):
    client = client_for(hr)
    for url in ["/rollen/", "/rollen/personen/", "/rollen/vergelijken/", "/rollen/audit/"]:
        assert client.post(url).status_code == 405
    assert client.get("/rollen/import/1/toepassen/").status_code == 405

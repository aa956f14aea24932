"""The pages a Dutch public body must have and the error pages (issue #16), without a browser."""

import re

import pytest
from django.db import connections
from django.test import Client, RequestFactory
from django.urls import reverse

from portal.views import server_error

pytestmark = pytest.mark.django_db


def test_statement_is_public_in_the_model_format(client):
    response = client.get("/toegankelijkheid/")
    html = response.content.decode()
    assert response.status_code == 200
    for part in [
        "Toegankelijkheidsverklaring",
        "voldoet gedeeltelijk",
        "Hoe hebben we het onderzocht?",
        "Wat is nog niet goed?",
        "toegankelijkheid@mijngemeentedichtbij.nl",
        "Nationale ombudsman",
        "Opgesteld op",
    ]:
        assert part in html, part


def test_statement_in_english(client):
    client.post(reverse("switch_language"), {"language": "en", "next": "/toegankelijkheid/"})
    html = client.get("/toegankelijkheid/").content.decode()
    assert "Accessibility statement" in html and "partially complies" in html
    assert '<html lang="en">' in html


@pytest.mark.parametrize("user", [None, "member"])
def test_every_page_links_the_statement(client_for, request, user):
    who = request.getfixturevalue(user) if user else None
    client = client_for(who)
    path = "/" if who else "/account/login/"
    html = client.get(path).content.decode()
    assert 'href="/toegankelijkheid/"' in html


def test_404_in_the_portal_layout(client_for, member):
    response = client_for(member).get("/bestaat-niet/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "We kunnen deze pagina niet vinden" in html
    assert 'name="viewport"' in html and 'href="/"' in html and "/toegankelijkheid/" in html


def test_403_in_the_portal_layout(client_for, member):
    response = client_for(member).get(reverse("rollen:matrix"))
    assert response.status_code == 403
    assert "Je mag deze pagina niet openen" in response.content.decode()


def test_csrf_failure_in_the_portal_layout():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("switch_language"), {"language": "en"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "We konden het formulier niet versturen" in html and 'href="/"' in html


def test_500_renders_without_the_database(monkeypatch):
    """handler500 must not query: the database may be what failed."""

    def no_database(*args, **kwargs):
        raise AssertionError("the 500 page touched the database")

    for connection in connections.all():
        monkeypatch.setattr(connection, "cursor", no_database)
        monkeypatch.setattr(connection, "ensure_connection", no_database)
    request = RequestFactory().get("/ergens/")
    response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Er ging bij ons iets mis" in html and 'href="/"' in html
    assert 'name="viewport"' in html


def test_500_is_the_handler(settings):
    from zelfsturing import urls

    assert urls.handler500 == "portal.views.server_error"


def test_keep_alive_extends_the_session(client_for, member):
    client = client_for(member)
    response = client.post(reverse("keep_alive"))
    assert response.status_code == 204
    assert "sessionid" in response.cookies  # a fresh cookie: the idle timeout starts again


def test_logged_in_pages_carry_the_idle_timeout(client_for, member, settings):
    settings.SESSION_COOKIE_AGE = 600
    html = client_for(member).get("/").content.decode()
    assert 'data-session-timeout="600"' in html and 'data-session-warning="120"' in html
    assert 'role="alertdialog"' in html


def test_log_in_error_is_shown_once(client, member):
    response = client.post(reverse("login"), {"username": "member", "password": "wrong"})
    html = response.content.decode()
    assert html.count("klopt niet") == 1, html.count("klopt niet")
    assert "Wachtwoord vergeten?" in html


def test_radio_errors_link_to_the_first_radio(client_for, member, team):
    response = client_for(member).post(
        reverse("doelen:new", kwargs={"slug": team.slug}), {"measure_type": ""}
    )
    html = response.content.decode()

    targets = re.findall(r'<li><a href="#([\w-]+)"', html)
    assert "id_measure_type_0" in targets  # the radio group, not a missing #id_measure_type
    for target in targets:
        assert f'id="{target}"' in html, target


def test_dutch_free_text_is_marked_in_english_mode(client_for, member, team):
    from tests.factories import GoalFactory

    GoalFactory(team=team, title="Sneller antwoord")
    client = client_for(member)
    html = client.get(f"/teams/{team.slug}/").content.decode()
    assert 'lang="nl">Sneller antwoord' not in html  # Dutch interface: nothing to mark
    client.post(reverse("switch_language"), {"language": "en", "next": "/"})
    html = client.get(f"/teams/{team.slug}/").content.decode()
    assert 'lang="nl">Sneller antwoord' in html

"""Log-in, log-out, the login requirement, throttling and the language switch."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def login(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_every_page_requires_log_in(client, team):
    for url in [reverse("home"), team.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_login_page_in_the_portal_layout(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#content"' in html and "<main" in html
    assert 'lang="nl"' in html and "Inloggen" in html


def test_log_in_and_out(client, member):
    response = login(client, "member", "demo")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_gives_a_clear_message(client, member):
    response = login(client, "member", "wrong")
    assert response.status_code == 200
    assert "Je gebruikersnaam of wachtwoord klopt niet" in response.content.decode()


def test_lockout_is_per_username_and_address(client, member):
    EmployeeFactory(username="colleague")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "member", "wrong", ip="10.0.0.9")
    # Locked: even the right password from that address is refused.
    response = login(client, "member", "demo", ip="10.0.0.9")
    assert response.status_code == 429
    # The same person from another machine can still log in ...
    assert login(client, "member", "demo", ip="10.0.0.10").status_code == 302
    client.post(reverse("logout"))
    # ... and a colleague on the locked machine is not locked out.
    assert login(client, "colleague", "demo", ip="10.0.0.9").status_code == 302


def test_language_switch_remembers_the_choice(client, member):
    client.force_login(member)
    response = client.post(reverse("switch_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.preferred_language == "en"
    assert "My teams" in client.get(reverse("home")).content.decode()


def test_preferred_language_applies_without_a_cookie(client, member):
    member.preferred_language = "en"
    member.save()
    client.force_login(member)
    html = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in html and "My teams" in html


def test_language_switch_ignores_unknown_languages_and_foreign_redirects(client, member):
    client.force_login(member)
    response = client.post(
        reverse("switch_language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and "evil" not in response["Location"]
    member.refresh_from_db()
    assert member.preferred_language == "nl"


def test_language_switch_needs_post(client):
    assert client.get(reverse("switch_language")).status_code == 405


def test_a_very_long_username_is_a_plain_failed_log_in(client, member):
    """Longer than django-axes' column: must count as a failed try, not fail in the database."""
    response = login(client, "x" * 400, "wrong")
    assert response.status_code == 200
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get().username == "x" * 150

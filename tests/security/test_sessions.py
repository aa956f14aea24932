"""Idle session timeout and log-out of other sessions on a password change."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

IDLE = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def logged_in_client(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": "demo"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    return client


def is_logged_in(client: Client) -> bool:
    response = client.get(reverse("home"))
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
        return False
    assert response.status_code == 200
    return True


def test_default_idle_timeout_is_eight_hours():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_idle_session_is_logged_out(member):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = logged_in_client("member")
        clock.move_to(start + IDLE - datetime.timedelta(minutes=1))
        assert is_logged_in(client)  # just in time: this request extends the session
        clock.move_to(start + 2 * IDLE)
        assert not is_logged_in(client)  # idle for longer than the timeout


def test_active_session_stays_logged_in_beyond_the_timeout(member):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = logged_in_client("member")
        for step in range(1, 5):  # four requests, each a bit less than the timeout apart
            clock.move_to(start + step * (IDLE - datetime.timedelta(minutes=5)))
            assert is_logged_in(client)
        assert timezone.now() - start > 3 * IDLE


def test_password_change_logs_out_other_sessions_but_not_this_one(member):
    laptop = logged_in_client("member")
    phone = logged_in_client("member")
    response = laptop.get(reverse("password_change"))
    assert response.status_code == 200 and 'name="new_password1"' in response.content.decode()
    response = laptop.post(
        reverse("password_change"),
        {
            "old_password": "demo",
            "new_password1": "Een-nieuw-wachtwoord-42",
            "new_password2": "Een-nieuw-wachtwoord-42",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert is_logged_in(laptop)
    assert not is_logged_in(phone)


def test_wrong_old_password_changes_nothing(member):
    client = logged_in_client("member")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "fout",
            "new_password1": "X-yz-12345678",
            "new_password2": "X-yz-12345678",
        },
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.check_password("demo")


def test_deactivated_employee_is_logged_out(member):
    client = logged_in_client("member")
    member.is_active = False
    member.save()
    assert not is_logged_in(client)


def test_password_change_needs_the_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    data = {
        "old_password": "demo",
        "new_password1": "Een-nieuw-wachtwoord-42",
        "new_password2": "Een-nieuw-wachtwoord-42",
    }
    assert client.post(reverse("password_change"), data).status_code == 403
    html = client.get(reverse("password_change")).content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = client.post(reverse("password_change"), {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("Een-nieuw-wachtwoord-42")
